from django.utils.text import Truncator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Conversation, Message, Notification, Participant
from ..payloads import message_data, person_name, sender_name

PREVIEW_CHARS = 140


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


# --- Conversations and messages -----------------------------------------------------------------


class SenderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MessageAttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField(help_text="Bytes.")
    content_type = serializers.CharField()
    url = serializers.CharField(help_text="The download, for the conversation's participants only.")
    thumbnail_url = serializers.CharField(
        allow_null=True, help_text="A small WebP preview of an image; else null."
    )


class MessageSerializer(serializers.Serializer):
    """The same dict the live ``message.new`` and ``message.edited`` events carry
    (``messaging.payloads.message_data``), for the requesting user."""

    id = serializers.IntegerField()
    conversation = serializers.IntegerField()
    sender = SenderSerializer()
    body_html = serializers.CharField(
        help_text="The Markdown as sanitised HTML (no scripts, no images, safe links). Empty when deleted."
    )
    created_at = serializers.DateTimeField()
    edited_at = serializers.DateTimeField(allow_null=True)
    deleted = serializers.BooleanField(help_text="Deleted by its sender: no text, no files.")
    hidden = serializers.BooleanField(help_text="Hidden by staff: shown as such, no text, no files.")
    attachments = MessageAttachmentSerializer(many=True)
    contact_warning = serializers.BooleanField(
        help_text="True only in the sender's own copy of a message the off-platform contact check flagged."
    )

    def to_representation(self, instance: Message) -> dict:
        request = self.context.get("request")
        return message_data(instance, viewer_id=getattr(getattr(request, "user", None), "pk", None))


class MessagePageSerializer(serializers.Serializer):
    results = MessageSerializer(many=True, help_text="Newest first.")
    next_before = serializers.IntegerField(
        allow_null=True, help_text="Pass as `before` for the next (older) page; null when this is the last."
    )


def _body_field(help_text: str) -> serializers.CharField:
    """Optional here: the service says what is wrong with a text (its length, empty), after who may."""
    return serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, help_text=help_text)


class MessagePostSerializer(serializers.Serializer):
    body = _body_field("Markdown (a subset), at most 5000 characters; may be empty when files come with it.")
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text="Up to ATTACHMENTS_MAX_COUNT files (`multipart/form-data`, each part named `files`).",
    )


class MessageEditSerializer(serializers.Serializer):
    body = _body_field("The new Markdown text (required; checked after who may edit).")


class ParticipantSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="user_id")
    name = serializers.SerializerMethodField()
    side = serializers.ChoiceField(choices=Participant.Side.choices)
    last_read_message_id = serializers.IntegerField(help_text="Their read receipt: the newest message seen.")

    def get_name(self, participant: Participant) -> str:
        return person_name(participant.user)


class LastMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sender = SenderSerializer()
    preview = serializers.CharField(help_text="The start of its text; empty when deleted or hidden.")
    created_at = serializers.DateTimeField()
    deleted = serializers.BooleanField()


class ConversationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Conversation.Kind.choices)
    title = serializers.SerializerMethodField(
        help_text="The job's or contract's title; for a direct conversation, the other person's name."
    )
    proposal = serializers.IntegerField(source="proposal_id", allow_null=True)
    contract = serializers.IntegerField(source="contract_id", allow_null=True)
    participants = serializers.SerializerMethodField(help_text="The others who read it, with their receipts.")
    unread = serializers.IntegerField(source="viewer_unread", help_text="Your unread messages in it.")
    last_read_message_id = serializers.IntegerField(source="viewer_last_read", help_text="Your read receipt.")
    last_activity_at = serializers.DateTimeField()
    last_message = serializers.SerializerMethodField()

    def _viewer_id(self) -> int | None:
        return getattr(getattr(self.context.get("request"), "user", None), "pk", None)

    def _others(self, conversation: Conversation) -> list[Participant]:
        return [row for row in conversation.active_participants if row.user_id != self._viewer_id()]

    @extend_schema_field(serializers.CharField())
    def get_title(self, conversation: Conversation) -> str:
        if conversation.kind == Conversation.Kind.DIRECT:
            return (
                ", ".join(person_name(row.user) for row in self._others(conversation)) or conversation.title
            )
        return conversation.title

    @extend_schema_field(ParticipantSerializer(many=True))
    def get_participants(self, conversation: Conversation) -> list[dict]:
        return ParticipantSerializer(self._others(conversation), many=True).data

    @extend_schema_field(LastMessageSerializer(allow_null=True))
    def get_last_message(self, conversation: Conversation) -> dict | None:
        message = conversation.last_message
        if message is None:
            return None
        shown = message.deleted_at is None and message.hidden_at is None
        return {
            "id": message.pk,
            "sender": {"id": message.sender_id, "name": sender_name(message)},
            "preview": Truncator(" ".join(message.body.split())).chars(PREVIEW_CHARS) if shown else "",
            "created_at": serializers.DateTimeField().to_representation(message.created_at),
            "deleted": message.deleted_at is not None,
        }


class DirectConversationSerializer(serializers.Serializer):
    user = serializers.IntegerField(
        help_text="The person to talk to: someone you share a proposal or contract with."
    )


class MarkReadSerializer(serializers.Serializer):
    up_to = serializers.IntegerField(
        required=False,
        help_text="The newest message you have seen (a message of this conversation); default its newest.",
    )


class ReadReceiptSerializer(serializers.Serializer):
    conversation = serializers.IntegerField()
    last_read_message_id = serializers.IntegerField()
    unread = serializers.IntegerField(min_value=0)
    unread_total = serializers.IntegerField(min_value=0, help_text="Across all your conversations.")
