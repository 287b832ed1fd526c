"""Messaging's tables: notifications, conversations and their messages, and the per-user event log
that the websocket replays after a reconnect."""

from .attachments import AttachmentThumbnail
from .conversations import Conversation, Message, Participant
from .events import UserEvent, UserEventCursor
from .notifications import Notification

__all__ = [
    "AttachmentThumbnail",
    "Conversation",
    "Message",
    "Notification",
    "Participant",
    "UserEvent",
    "UserEventCursor",
]
