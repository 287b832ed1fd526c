"""Reads for the websocket: the events a page missed, and who may see a conversation's typing."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from ..models import Participant, UserEvent, UserEventCursor


def last_event_id(user_id: int) -> int:
    """The id of the user's newest event (0 before the first): where a page starts counting."""
    return UserEventCursor.objects.filter(user_id=user_id).values_list("last_seq", flat=True).first() or 0


def events_after(user_id: int, after: int) -> list[dict] | None:
    """The user's events after id ``after``, oldest first, each with its ``"id"``; ``None`` when they
    cannot all be given (the page must reload): ``after`` is beyond the user's last id, the event right
    after it is older than ``USER_EVENTS_KEEP_DAYS`` or already pruned, or more than
    ``USER_EVENTS_REPLAY_MAX`` are waiting.

    Complete because ids are handed out under the cursor's lock: once event ``n`` is visible, every
    event before it has committed too."""
    limit = settings.USER_EVENTS_REPLAY_MAX
    rows = list(
        UserEvent.objects.filter(user_id=user_id, seq__gt=after)
        .order_by("seq")
        .values_list("seq", "payload", "created_at")[: limit + 1]
    )
    if not rows:
        return [] if after <= last_event_id(user_id) else None
    kept_since = timezone.now() - timedelta(days=settings.USER_EVENTS_KEEP_DAYS)
    first_seq, _, first_created_at = rows[0]
    if first_seq != after + 1 or first_created_at < kept_since or len(rows) > limit:
        return None
    return [{**payload, "id": seq} for seq, payload, _ in rows]


def typing_recipients(user_id: int, conversation_id: int) -> list[int] | None:
    """The other active participants of the conversation, who see this user typing; ``None`` when the
    user is not an active participant (then nobody hears of it). One query."""
    active = list(
        Participant.objects.filter(conversation_id=conversation_id, removed_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )
    if user_id not in active:
        return None
    return [other for other in active if other != user_id]
