"""The support staff's shapes: the queue's row (with the decision countdown and who has it), a
case with its internal notes, and the inputs of assigning, noting and deciding."""

from rest_framework import serializers

from marketplace.jobs.api.serializers.refs import MINOR, UserRefSerializer

from ...models import Dispute, StaffNote
from .disputes import DisputeDetailSerializer, DisputeSerializer


class QueueRowSerializer(DisputeSerializer):
    assigned_to = UserRefSerializer(read_only=True, allow_null=True)
    client = UserRefSerializer(source="contract.client", read_only=True)
    freelancer = UserRefSerializer(source="contract.freelancer", read_only=True)

    class Meta(DisputeSerializer.Meta):
        fields = [*DisputeSerializer.Meta.fields, "assigned_to", "client", "freelancer"]
        read_only_fields = fields


class StaffNoteSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    author = UserRefSerializer(read_only=True)

    class Meta:
        model = StaffNote
        fields = ["id", "author", "body", "created_at"]
        read_only_fields = fields


class CaseSerializer(DisputeDetailSerializer):
    """The dispute as a party reads it, plus who has it, who decided, and the internal notes (never
    shown to the parties)."""

    assigned_to = UserRefSerializer(read_only=True, allow_null=True)
    client = UserRefSerializer(source="contract.client", read_only=True)
    freelancer = UserRefSerializer(source="contract.freelancer", read_only=True)
    hold = serializers.IntegerField(source="hold_id", read_only=True)
    resolved_by = UserRefSerializer(read_only=True, allow_null=True)
    staff_notes = StaffNoteSerializer(many=True, read_only=True)

    class Meta(DisputeDetailSerializer.Meta):
        fields = [
            *DisputeDetailSerializer.Meta.fields,
            "assigned_to",
            "client",
            "freelancer",
            "hold",
            "resolved_by",
            "staff_notes",
        ]
        read_only_fields = fields


class QueueFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=Dispute.Status.choices, required=False, help_text="Only disputes in this state."
    )
    assigned = serializers.CharField(
        required=False,
        help_text="`me` (yours), `none` (nobody's yet) or a support user's id.",
    )
    kind = serializers.ChoiceField(choices=Dispute.Kind.choices, required=False)

    def validate_assigned(self, value: str) -> str:
        if value not in ("me", "none") and not (
            value.isascii() and value.isdigit() and 0 < int(value) < 2**31
        ):
            raise serializers.ValidationError("`me`, `none` or a user id.")
        return value


class AssignSerializer(serializers.Serializer):
    assignee = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, help_text="The support user's id (your own to take it)."
    )


class NoteSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=10_000, allow_blank=True)


class DecideSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Dispute.Outcome.choices)
    release_minor = serializers.IntegerField(
        min_value=0,
        max_value=2**53,
        required=False,
        allow_null=True,
        default=None,
        help_text="A split only: to the freelancer. " + MINOR,
    )
    refund_minor = serializers.IntegerField(
        min_value=0,
        max_value=2**53,
        required=False,
        allow_null=True,
        default=None,
        help_text="A split only: back to the client. " + MINOR,
    )
    reason = serializers.CharField(
        max_length=10_000, allow_blank=True, help_text="Why: shown to both parties with the decision."
    )
