"""Push events to people's open pages over the channel layer.

Writes happen over HTTP in services; once their transaction commits, the event goes to each
user's group, which every websocket connection of that user has joined (``UserEventsConsumer``).
"""

from collections.abc import Iterable

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

# The consumer's handler for these messages is ``user_event`` (Channels maps "." to "_").
USER_EVENT_MESSAGE_TYPE = "user.event"


def user_group_name(user_id: int) -> str:
    return f"user.{user_id}"


def send_event_on_commit(user_ids: Iterable[int], event: dict) -> None:
    """Deliver ``event`` (JSON-serialisable) to the users' open connections after commit."""
    recipients = sorted(set(user_ids))

    def push() -> None:
        layer = get_channel_layer()
        for user_id in recipients:
            async_to_sync(layer.group_send)(
                user_group_name(user_id), {"type": USER_EVENT_MESSAGE_TYPE, "event": event}
            )

    transaction.on_commit(push)


# --- Event shapes (the pages' scripts read these) -----------------------------------------------


def notification_event(*, unread: int, title: str) -> dict:
    """A new notification arrived; ``unread`` is the recipient's unread count after it."""
    return {"type": "notification", "unread": unread, "title": title}


def notifications_read_event(*, unread: int) -> dict:
    """Notifications were marked read (on another page, perhaps); the new unread count."""
    return {"type": "notifications.read", "unread": unread}
