"""A message as its readers get it, in one place: the API's ``MessageSerializer`` and the live
events (``message.new``, ``message.edited``) both hand out this dict, so a page gets the same thing
from a push and from a reload.

A deleted message keeps only who sent it and when; a message staff hid shows as hidden (no text, no
files) to the participants. ``contact_warning`` is true only in the sender's own copy of a message
the off-platform contact check flagged.
"""

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from rest_framework.fields import DateTimeField

from marketplace.core.models import StoredFile

from .models import Message

HIDDEN_HTML = "<p><em>Hidden by staff.</em></p>"
_datetime = DateTimeField()  # the API's own rendering of a time, so both ways agree


def with_payload_rows(messages: QuerySet[Message]) -> QuerySet[Message]:
    """What ``message_data`` reads, in two queries for any number of messages."""
    files = StoredFile.objects.select_related("message_thumbnail").order_by("pk")
    return messages.select_related("sender").prefetch_related(Prefetch("attachments", queryset=files))


def _file_url(file_id: int) -> str:
    return reverse("frontend:attachment_file", args=[file_id])


def attachment_data(file: StoredFile) -> dict:
    thumbnail = getattr(file, "message_thumbnail", None)
    return {
        "id": file.pk,
        "name": file.original_name,
        "size": file.size,
        "content_type": file.content_type,
        "url": _file_url(file.pk),
        "thumbnail_url": _file_url(thumbnail.thumbnail_id) if thumbnail is not None else None,
    }


def person_name(user) -> str:
    """How a person is named to the others in a conversation (never their email address)."""
    return user.full_name or f"Member {user.pk}"


def sender_name(message: Message) -> str:
    return person_name(message.sender)


def message_data(message: Message, *, viewer_id: int | None) -> dict:
    """The message for ``viewer_id`` (its sender sees their contact warning). Reads
    ``message.sender`` and ``message.attachments.all()``: load them with ``with_payload_rows``."""
    hidden = message.hidden_at is not None
    deleted = message.deleted_at is not None
    shown = not (hidden or deleted)
    return {
        "id": message.pk,
        "conversation": message.conversation_id,
        "sender": {"id": message.sender_id, "name": sender_name(message)},
        "body_html": message.body_html if shown else (HIDDEN_HTML if hidden and not deleted else ""),
        "created_at": _datetime.to_representation(message.created_at),
        "edited_at": _datetime.to_representation(message.edited_at) if message.edited_at else None,
        "deleted": deleted,
        "hidden": hidden and not deleted,
        "attachments": [attachment_data(file) for file in message.attachments.all()] if shown else [],
        "contact_warning": bool(message.contact_flags) and viewer_id == message.sender_id,
    }
