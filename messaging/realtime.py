"""Push events to people's open pages over the channel layer.

Writes happen over HTTP in services; once their transaction commits, the event goes to each
user's group, which every websocket connection of that user has joined (``UserEventsConsumer``).
All of one event's sends share one event loop (one set of connections to the layer) and run
together; an event for more than ``REALTIME_FANOUT_INLINE_MAX`` people is sent by a task, so the
writer's request does not wait for a large fan-out.
"""

import asyncio
from collections.abc import Iterable
from functools import partial

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction

from marketplace.core.task_queue import queue_task_on_commit

# The consumer's handler for these messages is ``user_event`` (Channels maps "." to "_").
USER_EVENT_MESSAGE_TYPE = "user.event"


def user_group_name(user_id: int) -> str:
    return f"user.{user_id}"


async def _send_to_all(user_ids: list[int], event: dict) -> None:
    layer = get_channel_layer()
    message = {"type": USER_EVENT_MESSAGE_TYPE, "event": event}
    await asyncio.gather(*(layer.group_send(user_group_name(user_id), message) for user_id in user_ids))


def events_send(user_ids: list[int], event: dict) -> None:
    """Send ``event`` to these users' open connections now (the task's work, and small fan-outs')."""
    async_to_sync(_send_to_all)(user_ids, event)


def send_event_on_commit(user_ids: Iterable[int], event: dict) -> None:
    """Deliver ``event`` (JSON-serialisable) to the users' open connections after commit."""
    recipients = sorted(set(user_ids))
    if not recipients:
        return
    if len(recipients) > settings.REALTIME_FANOUT_INLINE_MAX:
        queue_task_on_commit("messaging.events_send", recipients, event)
    else:
        transaction.on_commit(partial(events_send, recipients, event))


# --- Event shapes (the pages' scripts read these) -----------------------------------------------


def notification_event(*, unread: int, title: str) -> dict:
    """A new notification arrived; ``unread`` is the recipient's unread count after it."""
    return {"type": "notification", "unread": unread, "title": title}


def notifications_read_event(*, unread: int) -> dict:
    """Notifications were marked read (on another page, perhaps); the new unread count."""
    return {"type": "notifications.read", "unread": unread}


def error_event(*, code: str, message: str) -> dict:
    """The consumer could not read a frame the page sent (the connection stays open)."""
    return {"type": "error", "code": code, "message": message}
