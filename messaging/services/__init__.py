"""Every write of messaging, one module per area; callers import from the area's module."""

from .notifications import notification_create, notifications_mark_all_read, notifications_mark_read

__all__ = ["notification_create", "notifications_mark_all_read", "notifications_mark_read"]
