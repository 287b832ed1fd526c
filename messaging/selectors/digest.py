"""What is due for an email digest (PRODUCT.md: "only if still unread after 10 minutes and the person
had no open page in that time").

An item — a notification of a digest kind, or another participant's message after the person's
read receipt — is due when it is unread, no digest carried it yet, it is at least
``DIGEST_DELAY_MINUTES`` old, the person wants its group emailed, and they had no open page since
it arrived: "had an open page at time T" is ``UserEventCursor.last_seen_at >= T -
REALTIME_HEARTBEAT_SECONDS``, and ``last_seen_at`` only grows, so an item that arrived while a page was
open is never emailed. Items older than ``DIGEST_LOOKBACK`` are not looked at (the scan stays small
while the task runs every minute; after a longer outage old news is left in the app).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import DateTimeField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Greatest

from ..email_policy import DIGEST_KINDS, GROUPS, MESSAGES
from ..models import Message, Notification, Participant

DIGEST_LOOKBACK = timedelta(days=2)


def _heartbeat() -> timedelta:
    return timedelta(seconds=settings.REALTIME_HEARTBEAT_SECONDS)


def _delay_cut(now: datetime) -> datetime:
    return now - timedelta(minutes=settings.DIGEST_DELAY_MINUTES)


def _window_open(user: str, now: datetime) -> Q:
    """No digest to this person in the last ``DIGEST_MIN_INTERVAL_MINUTES`` (``user``: the path to the
    person, e.g. ``recipient__``)."""
    last = f"{user}email_preference__digest_sent_at"
    return (
        Q(**{f"{user}email_preference__isnull": True})
        | Q(**{f"{last}__isnull": True})
        | Q(**{f"{last}__lte": now - timedelta(minutes=settings.DIGEST_MIN_INTERVAL_MINUTES)})
    )


def _not_seen(user: str) -> Q:
    """The item arrived after the person's last open page (``created_at`` is the item's)."""
    seen = f"{user}event_cursor__last_seen_at"
    return Q(**{f"{seen}__isnull": True}) | Q(created_at__gt=F(seen) + _heartbeat())


def _wanted_notifications() -> Q:
    """The recipient has not turned off the email of the notification's group (no row: all on)."""
    wanted = Q(recipient__email_preference__isnull=True)
    for group in GROUPS:
        if group.kinds and not group.at_once:
            wanted |= Q(kind__in=group.kinds, **{f"recipient__email_preference__{group.key}": True})
    return wanted


def notifications_due(now: datetime) -> QuerySet[Notification]:
    return Notification.objects.filter(
        _wanted_notifications(),
        _window_open("recipient__", now),
        _not_seen("recipient__"),
        kind__in=DIGEST_KINDS,
        read_at__isnull=True,
        digest__isnull=True,
        created_at__lte=_delay_cut(now),
        created_at__gt=now - DIGEST_LOOKBACK,
        recipient__is_active=True,
    )


def _messages_after_receipt(now: datetime) -> QuerySet[Message]:
    """Messages that could be due, before the per-person conditions."""
    return Message.objects.filter(
        created_at__lte=_delay_cut(now),
        created_at__gt=now - DIGEST_LOOKBACK,
        deleted_at__isnull=True,
        hidden_at__isnull=True,
    )


def participants_due(now: datetime) -> QuerySet[Participant]:
    """Active participants with at least one due message."""
    since = Coalesce(
        ExpressionWrapper(F("user__event_cursor__last_seen_at") + _heartbeat(), output_field=DateTimeField()),
        Value(now - DIGEST_LOOKBACK),
    )
    due = (
        _messages_after_receipt(now)
        .filter(
            conversation_id=OuterRef("conversation_id"),
            id__gt=Greatest(OuterRef("last_read_message_id"), OuterRef("digest_message_id")),
            created_at__gt=OuterRef("since"),
        )
        .exclude(sender_id=OuterRef("user_id"))
    )
    return (
        Participant.objects.filter(
            _window_open("user__", now),
            Q(user__email_preference__isnull=True) | Q(**{f"user__email_preference__{MESSAGES}": True}),
            removed_at__isnull=True,
            unread__gt=0,
            user__is_active=True,
        )
        .annotate(since=since)
        .filter(Exists(due))
    )


def users_due(now: datetime) -> list[int]:
    """Everyone with something due, in id order (two queries)."""
    ids = set(notifications_due(now).values_list("recipient_id", flat=True).distinct())
    ids |= set(participants_due(now).values_list("user_id", flat=True).distinct())
    return sorted(ids)


@dataclass
class ConversationDue:
    conversation_id: int
    title: str
    senders: list[str]
    count: int
    last_message_id: int


def messages_due(user_id: int, now: datetime, seen: datetime | None) -> list[ConversationDue]:
    """The person's due messages, per conversation (one query)."""
    since = max(now - DIGEST_LOOKBACK, seen + _heartbeat()) if seen else now - DIGEST_LOOKBACK
    rows = (
        _messages_after_receipt(now)
        .filter(
            conversation__participants__user_id=user_id,
            conversation__participants__removed_at__isnull=True,
            conversation__participants__unread__gt=0,
            id__gt=Greatest(
                "conversation__participants__last_read_message_id",
                "conversation__participants__digest_message_id",
            ),
            created_at__gt=since,
        )
        .exclude(sender_id=user_id)
        .order_by("conversation_id", "id")
        .values_list("conversation_id", "conversation__title", "sender__full_name", "id")
    )
    conversations: dict[int, ConversationDue] = {}
    for conversation_id, title, sender, message_id in rows:
        item = conversations.setdefault(conversation_id, ConversationDue(conversation_id, title, [], 0, 0))
        if (sender or "Someone") not in item.senders:
            item.senders.append(sender or "Someone")
        item.count += 1
        item.last_message_id = message_id
    return sorted(conversations.values(), key=lambda item: -item.last_message_id)
