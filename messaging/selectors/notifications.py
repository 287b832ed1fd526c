"""Reads of notifications: always the viewer's own."""

from django.db.models import QuerySet

from ..models import Notification


def notifications_for(user, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first (with the actor, for lists)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    rows = Notification.objects.filter(recipient=user).select_related("actor")
    return rows.filter(read_at__isnull=True) if unread_only else rows


def unread_count(user) -> int:
    """One indexed count (the partial index on unread rows)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
