"""REST API for notifications and one's email choices (mounted under /api/)."""

from django.urls import path

from . import email_preferences, views

app_name = "messaging_api"

urlpatterns = [
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("notifications/unread-count/", views.UnreadCountView.as_view(), name="notifications-unread-count"),
    path("notifications/read-all/", views.NotificationReadAllView.as_view(), name="notifications-read-all"),
    path("notifications/<int:pk>/read/", views.NotificationReadView.as_view(), name="notification-read"),
    path(
        "me/email-preferences/", email_preferences.EmailPreferencesView.as_view(), name="my-email-preferences"
    ),
]
