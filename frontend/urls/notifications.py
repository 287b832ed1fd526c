"""Pages: notifications (see frontend/views/notifications.py)."""

from django.urls import path

from ..views import notifications

urlpatterns = [
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/read-all/", notifications.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/", notifications.notification_open, name="notification_open"),
    path("notifications/<int:pk>/read/", notifications.notification_read, name="notification_read"),
]
