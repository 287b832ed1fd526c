from celery import shared_task

from .realtime import events_send
from .services.digest import digests_send_due
from .services.events import user_events_prune


@shared_task(name="messaging.events_send")
def messaging_events_send(batches: list) -> None:
    """Push stored events to many people's open pages (a fan-out too large for the writer's request)."""
    events_send(batches)


@shared_task(name="messaging.user_events_prune")
def messaging_user_events_prune() -> int:
    """Forget the events older than ``USER_EVENTS_KEEP_DAYS`` (periodic)."""
    return user_events_prune()


@shared_task(name="messaging.digests_send")
def messaging_digests_send() -> int:
    """Every minute (beat): each person's email digest that is due."""
    return digests_send_due()
