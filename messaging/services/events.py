"""Writes to the per-user event log besides the events themselves (``messaging.realtime``): forgetting
old events, and presence (when one of a user's pages was last open)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from ..models import UserEvent, UserEventCursor

PRUNE_BATCH_SIZE = 5000


def user_events_prune(*, batch_size: int = PRUNE_BATCH_SIZE) -> int:
    """Delete the events older than ``USER_EVENTS_KEEP_DAYS``, a batch per statement (short
    transactions, no long lock on a big table); the number deleted. A page asking to resume from
    before them is told to reload."""
    cutoff = timezone.now() - timedelta(days=settings.USER_EVENTS_KEEP_DAYS)
    deleted = 0
    while True:
        batch = list(
            UserEvent.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True)[:batch_size]
        )
        if not batch:
            return deleted
        deleted += UserEvent.objects.filter(pk__in=batch).delete()[0]
        if len(batch) < batch_size:
            return deleted


def presence_record(*, user_id: int) -> None:
    """One of the user's pages is open now (a websocket connected, pinged or closed): one upsert of
    ``last_seen_at``, creating the cursor row if the user has had no event yet."""
    UserEventCursor.objects.bulk_create(
        [UserEventCursor(user_id=user_id, last_seen_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=["last_seen_at"],
    )
