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


# Conversations (``messaging.services.messages``); ``message`` is ``payloads.message_data``.


def message_new_event(*, conversation_id: int, message: dict, unread: int, unread_total: int) -> dict:
    """A message arrived; ``unread`` is this recipient's unread in the conversation, ``unread_total``
    across all of theirs (the navigation's count)."""
    return {
        "type": "message.new",
        "conversation": conversation_id,
        "message": message,
        "unread": unread,
        "unread_total": unread_total,
    }


def message_edited_event(*, conversation_id: int, message: dict) -> dict:
    return {"type": "message.edited", "conversation": conversation_id, "message": message}


def message_deleted_event(
    *, conversation_id: int, message_id: int, unread: int | None = None, unread_total: int | None = None
) -> dict:
    """A message was deleted; a recipient who had not read it also gets their new ``unread`` and
    ``unread_total`` (it no longer counts)."""
    event = {"type": "message.deleted", "conversation": conversation_id, "message_id": message_id}
    if unread is not None:
        event |= {"unread": unread, "unread_total": unread_total}
    return event


def conversation_read_event(
    *, conversation_id: int, user_id: int, last_read_message_id: int, unread_total: int | None = None
) -> dict:
    """``user_id`` read up to ``last_read_message_id``; ``unread_total`` only in the reader's own."""
    event = {
        "type": "conversation.read",
        "conversation": conversation_id,
        "user": user_id,
        "last_read_message_id": last_read_message_id,
    }
    if unread_total is not None:
        event["unread_total"] = unread_total
    return event
