"""REST API for notifications, conversations and messages (mounted under /api/)."""

from django.urls import path

from . import conversations, views

app_name = "messaging_api"

urlpatterns = [
    path("notifications/", views.NotificationListView.as_view(), name="notifications"),
    path("notifications/unread-count/", views.UnreadCountView.as_view(), name="notifications-unread-count"),
    path("notifications/read-all/", views.NotificationReadAllView.as_view(), name="notifications-read-all"),
    path("notifications/<int:pk>/read/", views.NotificationReadView.as_view(), name="notification-read"),
    path("conversations/", conversations.ConversationListView.as_view(), name="conversations"),
    path("conversations/direct/", conversations.DirectConversationView.as_view(), name="conversation-direct"),
    path("conversations/<int:pk>/", conversations.ConversationDetailView.as_view(), name="conversation"),
    path(
        "conversations/<int:pk>/messages/",
        conversations.MessageListView.as_view(),
        name="conversation-messages",
    ),
    path(
        "conversations/<int:pk>/read/", conversations.ConversationReadView.as_view(), name="conversation-read"
    ),
    path(
        "messages/unread-count/", conversations.MessageUnreadCountView.as_view(), name="messages-unread-count"
    ),
    path("messages/<int:pk>/", conversations.MessageDetailView.as_view(), name="message"),
]
