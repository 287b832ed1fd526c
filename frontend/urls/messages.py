"""Pages: messages — the inbox, a conversation, and the conversation panel's writes
(frontend/views/messages.py)."""

from django.urls import path

from ..views import messages

urlpatterns = [
    path("messages/", messages.inbox, name="inbox"),
    path("messages/<int:pk>/", messages.conversation, name="conversation"),
    path("messages/<int:pk>/send/", messages.message_send, name="message_send"),
    path("messages/message/<int:mid>/edit/", messages.message_change, name="message_edit"),
    path("messages/message/<int:mid>/delete/", messages.message_remove, name="message_delete"),
]
