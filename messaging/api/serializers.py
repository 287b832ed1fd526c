from rest_framework import serializers

from ..models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    actor_name = serializers.SerializerMethodField(help_text="Who did it, when someone did; else null.")
    is_read = serializers.BooleanField(read_only=True)
    url = serializers.CharField(help_text="A path on this site: the page the notification is about.")

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "actor_name", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_actor_name(self, notification: Notification) -> str | None:
        actor = notification.actor
        return (actor.full_name or None) if actor is not None else None


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField(min_value=0)


class MarkedSerializer(serializers.Serializer):
    marked = serializers.IntegerField(min_value=0, help_text="How many were unread and are now read.")
    unread = serializers.IntegerField(min_value=0)
