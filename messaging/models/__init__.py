"""Messaging's tables: notifications, conversations and their messages, and the per-user event log
that the websocket replays after a reconnect."""

from .attachments import AttachmentThumbnail
from .conversations import Conversation, Message, Participant
from .email import EmailDigest, EmailPreference
from .events import UserEvent, UserEventCursor
from .moderation import Block, FlagReview, Report
from .notifications import Notification

__all__ = [
    "AttachmentThumbnail",
    "Block",
    "Conversation",
    "EmailDigest",
    "EmailPreference",
    "FlagReview",
    "Message",
    "Notification",
    "Participant",
    "Report",
    "UserEvent",
    "UserEventCursor",
]
