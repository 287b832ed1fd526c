from celery import shared_task

from .realtime import events_send
from .services.digest import digests_send_due


@shared_task(name="messaging.events_send")
def messaging_events_send(user_ids: list[int], event: dict) -> None:
    """Push one event to many people's open pages (a fan-out too large for the writer's request)."""
    events_send(user_ids, event)


@shared_task(name="messaging.digests_send")
def messaging_digests_send() -> int:
    """Every minute (beat): each person's email digest that is due."""
    return digests_send_due()
