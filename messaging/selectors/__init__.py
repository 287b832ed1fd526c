"""Every read of messaging, one module per area, always from the viewer's side."""

from .notifications import notifications_for, unread_count

__all__ = ["notifications_for", "unread_count"]
