"""Posting, editing and deleting messages, and read receipts.

``message_post`` keeps the whole flow of a post in one place, in this order: who may post (an
active participant, after the conversation's rows are re-derived), what is posted (text length,
not empty, the files checked before anything is stored), the rate limit (the sender's row locked,
their last minute counted, so two requests cannot both take the last place), then the writes
(message, files, the conversation's preview and order, the others' unread counts, the sender's read
position) and, after commit, one ``message.new`` push per participant with their own counts.
Between the rate limit and the writes: blocks refuse the post (403 ``blocked``) and the
off-platform contact check sets ``contact_flags`` (``posting_rules``).

Locks, always in this order: the sender's user row, the conversation row, participant rows.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied, RateLimited
from marketplace.core.markdown import markdown_to_safe_html

from ..models import Conversation, Message, Participant
from ..payloads import message_data, with_payload_rows
from ..realtime import (
    conversation_read_event,
    message_deleted_event,
    message_edited_event,
    message_new_event,
    send_events_on_commit,
)
from ..selectors.conversations import unread_totals
from .attachments import message_files_check, message_files_delete, message_files_store
from .conversations import participants_sync
from .posting_rules import contact_flags_after_edit, contact_flags_for, require_not_blocked

BODY_MAX = 5000


def _require_active(user) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Log in first.", code="not_authenticated")
    if user.is_suspended:
        raise PermissionDenied("Your account is suspended.", code="account_suspended")


def _conversation_not_found() -> NotFound:
    return NotFound("No such conversation.", code="conversation_not_found")


def _clean_body(body: str, *, has_files: bool) -> str:
    """The text as typed, trimmed: at most ``BODY_MAX`` characters (400 ``message_too_long``) and
    not empty unless files come with it (400 ``empty_message``)."""
    body = (body or "").strip()
    if len(body) > BODY_MAX:
        raise InvalidInput(
            f"A message is at most {BODY_MAX} characters; this one has {len(body)}.",
            code="message_too_long",
            fields={"body": [f"At most {BODY_MAX} characters."]},
        )
    if not body and not has_files:
        raise InvalidInput(
            "Write something or attach a file.", code="empty_message", fields={"body": ["Empty."]}
        )
    return body


def _require_below_rate(user: User) -> None:
    """At most ``MESSAGES_PER_MINUTE`` messages in any 60 seconds, counted with the sender's row
    locked (429 ``message_rate_limited``)."""
    # FOR NO KEY UPDATE: it serialises this sender's posts, yet lets other transactions insert rows
    # that point at the user (an event cursor's foreign key check takes FOR KEY SHARE on it), which
    # FOR UPDATE would block: two people posting at once then deadlocked on each other's rows.
    User.objects.select_for_update(no_key=True).filter(pk=user.pk).first()
    limit = settings.MESSAGES_PER_MINUTE
    recent = Message.objects.filter(sender=user, created_at__gte=timezone.now() - timedelta(seconds=60))
    if recent.count() >= limit:
        raise RateLimited(
            f"You have sent {limit} messages in the last minute, the limit. Wait a moment and send it again.",
            code="message_rate_limited",
        )


def _locked_conversation(user: User, conversation_id: int) -> Conversation:
    """The conversation, locked, with its rows re-derived, if ``user`` is an active participant."""
    conversation = (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("proposal__job", "contract")
        .filter(pk=conversation_id)
        .first()
    )
    if conversation is None:
        raise _conversation_not_found()
    participants_sync(conversation)
    if not Participant.objects.filter(conversation=conversation, user=user, removed_at__isnull=True).exists():
        raise _conversation_not_found()
    return conversation


def _push_new(message: Message) -> None:
    """``message.new`` to every active participant (the sender's other pages too), each with their
    own unread counts, after commit."""
    rows = list(Participant.objects.filter(conversation_id=message.conversation_id, removed_at__isnull=True))
    totals = unread_totals(row.user_id for row in rows)
    loaded = with_payload_rows(Message.objects.filter(pk=message.pk)).get()
    send_events_on_commit(
        {
            row.user_id: message_new_event(
                conversation_id=message.conversation_id,
                message=message_data(loaded, viewer_id=row.user_id),
                unread=row.unread,
                unread_total=totals.get(row.user_id, 0),
            )
            for row in rows
        }
    )


@transaction.atomic
def message_post(*, acting_user: User, conversation_id: int, body: str, files=()) -> Message:
    """Post a message (Markdown, rendered and sanitised) with up to ``ATTACHMENTS_MAX_COUNT`` files.
    Someone else's conversation is 404 ``conversation_not_found``; anything refused stores nothing."""
    _require_active(acting_user)
    files = list(files)
    body = _clean_body(body, has_files=bool(files))
    checked = message_files_check(files)
    _require_below_rate(acting_user)
    conversation = _locked_conversation(acting_user, conversation_id)
    require_not_blocked(conversation, acting_user.pk)
    contact_flags = contact_flags_for(conversation, body)

    message = Message.objects.create(
        conversation=conversation,
        sender=acting_user,
        body=body,
        body_html=markdown_to_safe_html(body),
        contact_flags=contact_flags,
    )
    message_files_store(acting_user=acting_user, message=message, checked=checked)
    Conversation.objects.filter(pk=conversation.pk).update(
        last_message=message, last_activity_at=message.created_at
    )
    active = Participant.objects.filter(conversation=conversation, removed_at__isnull=True)
    active.exclude(user=acting_user).update(unread=F("unread") + 1)
    active.filter(user=acting_user).update(
        last_read_message_id=message.pk, last_read_at=message.created_at, unread=0
    )
    _push_new(message)
    return message


def _own_message(acting_user: User, message_id: int) -> Message:
    """The message, locked, if ``acting_user`` sent it, may still change it and it can change."""
    _require_active(acting_user)
    message = (
        Message.objects.select_for_update(of=("self",))
        .filter(
            pk=message_id,
            conversation__participants__user=acting_user,
            conversation__participants__removed_at__isnull=True,
        )
        .first()
    )
    if message is None:
        raise NotFound("No such message.", code="message_not_found")
    if message.sender_id != acting_user.pk:
        raise PermissionDenied("Only its sender can change a message.", code="not_the_sender")
    if message.deleted_at is not None:
        raise Conflict("This message was deleted.", code="message_deleted")
    if message.hidden_at is not None:
        raise Conflict("Staff hid this message; it cannot be changed.", code="message_hidden")
    window = settings.MESSAGE_EDIT_WINDOW_SECONDS
    if timezone.now() - message.created_at > timedelta(seconds=window):
        raise Conflict(
            f"A message can be edited or deleted for {window // 60} minutes after it was sent.",
            code="edit_window_closed",
        )
    return message


def _active_ids(conversation_id: int) -> list[int]:
    return list(
        Participant.objects.filter(conversation_id=conversation_id, removed_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )


@transaction.atomic
def message_edit(*, acting_user: User, message_id: int, body: str | None) -> Message:
    """Change the text of one's own message within ``MESSAGE_EDIT_WINDOW_SECONDS`` (409
    ``edit_window_closed`` after); ``message.edited`` to every active participant. Who may edit is
    asked before the text (None: not given, 400 ``invalid``)."""
    message = _own_message(acting_user, message_id)
    if body is None:
        raise InvalidInput("Send the new text in `body`.", code="invalid", fields={"body": ["Required."]})
    message.body = _clean_body(body, has_files=message.attachments.exists())
    message.body_html = markdown_to_safe_html(message.body)
    message.edited_at = timezone.now()
    message.contact_flags = contact_flags_after_edit(message, message.conversation)
    message.save(update_fields=["body", "body_html", "edited_at", "contact_flags"])
    return message_changed_push(message)


def message_changed_push(message: Message) -> Message:
    """``message.edited`` (each participant's own copy) after commit, for an edit or staff hiding it."""
    loaded = with_payload_rows(Message.objects.filter(pk=message.pk)).get()
    # One call for everyone: the cursors are locked together, in one order (see send_events_on_commit).
    send_events_on_commit(
        {
            user_id: message_edited_event(
                conversation_id=message.conversation_id, message=message_data(loaded, viewer_id=user_id)
            )
            for user_id in _active_ids(message.conversation_id)
        }
    )
    return loaded


@transaction.atomic
def message_delete(*, acting_user: User, message_id: int) -> Message:
    """Delete one's own message within the edit window: the row stays (shown as deleted), its text
    and files go. Those who had not read it no longer count it as unread."""
    message = _own_message(acting_user, message_id)
    message_files_delete(message)
    message.deleted_at = timezone.now()
    message.body = message.body_html = ""
    message.save(update_fields=["deleted_at", "body", "body_html"])
    unaware = Participant.objects.filter(
        conversation_id=message.conversation_id,
        removed_at__isnull=True,
        last_read_message_id__lt=message.pk,
        unread__gt=0,
    ).exclude(user_id=message.sender_id)
    changed = set(unaware.values_list("user_id", flat=True))
    unaware.update(unread=F("unread") - 1)
    rows = Participant.objects.filter(conversation_id=message.conversation_id, removed_at__isnull=True)
    totals = unread_totals(changed)
    events = {}
    for row in rows:
        counts = (
            {"unread": row.unread, "unread_total": totals.get(row.user_id, 0)}
            if row.user_id in changed
            else {}
        )
        events[row.user_id] = message_deleted_event(
            conversation_id=message.conversation_id, message_id=message.pk, **counts
        )
    send_events_on_commit(events)
    return message


@transaction.atomic
def conversation_mark_read(
    *, acting_user: User, conversation_id: int, up_to_message_id: int | None = None
) -> Participant:
    """The read receipt: the reader's position moves to ``up_to_message_id`` (a message of this
    conversation, 404 ``message_not_found`` otherwise; default its newest), never backwards; their
    unread count is recomputed. ``conversation.read`` goes to the other participants and, with
    ``unread_total``, to the reader's own pages."""
    _require_active(acting_user)
    row = (
        Participant.objects.select_for_update()
        .filter(conversation_id=conversation_id, user=acting_user, removed_at__isnull=True)
        .first()
    )
    if row is None:
        raise _conversation_not_found()
    messages = Message.objects.filter(conversation_id=conversation_id)
    if up_to_message_id is None:
        up_to = messages.order_by("-pk").values_list("pk", flat=True).first() or 0
    elif messages.filter(pk=up_to_message_id).exists():
        up_to = up_to_message_id
    else:
        raise NotFound("No such message in this conversation.", code="message_not_found")
    position = max(row.last_read_message_id, up_to)
    unread = messages.filter(pk__gt=position, deleted_at__isnull=True).exclude(sender=acting_user).count()
    if (position, unread) == (row.last_read_message_id, row.unread):
        return row
    row.last_read_message_id, row.unread, row.last_read_at = position, unread, timezone.now()
    row.save(update_fields=["last_read_message_id", "unread", "last_read_at"])
    others = [user_id for user_id in _active_ids(conversation_id) if user_id != acting_user.pk]
    event = {"conversation_id": conversation_id, "user_id": acting_user.pk, "last_read_message_id": position}
    total = unread_totals([acting_user.pk]).get(acting_user.pk, 0)
    # One call for everyone: the recipients' event cursors are locked in user-id order.
    send_events_on_commit(
        {
            **dict.fromkeys(others, conversation_read_event(**event)),
            acting_user.pk: conversation_read_event(**event, unread_total=total),
        }
    )
    return row
