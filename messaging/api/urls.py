"""REST API for notifications, reports and blocks (mounted under /api/)."""

from django.urls import path

from . import moderation, views

app_name = "messaging_api"

urlpatterns = [
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("notifications/unread-count/", views.UnreadCountView.as_view(), name="notifications-unread-count"),
    path("notifications/read-all/", views.NotificationReadAllView.as_view(), name="notifications-read-all"),
    path("notifications/<int:pk>/read/", views.NotificationReadView.as_view(), name="notification-read"),
    path("reports/", moderation.ReportListView.as_view(), name="reports"),
    path("blocks/", moderation.BlockListView.as_view(), name="blocks"),
    path("blocks/<int:user_id>/", moderation.BlockDetailView.as_view(), name="block"),
]
