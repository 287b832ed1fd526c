"""Disputes as their parties (and the organisation's API key) read them, and the inputs of their
steps. The support staff's shapes (the queue, notes, assignment, decisions) are in ``support.py``."""

from rest_framework import serializers

from marketplace.jobs.api.serializers.refs import MINOR, AttachmentSerializer, UserRefSerializer

from ...models import Dispute, DisputedEntry, DisputeEvidence, SettlementOffer

FILES_HELP = (
    "Evidence files (repeat the `files` part; multipart only), each checked as job attachments are: PDF, "
    "images, text, Office Open XML; at most 10 MB each."
)
# What a party may give as the reason (a chargeback is the processor's).
OPEN_REASONS = [choice for choice in Dispute.Reason.choices if choice[0] != Dispute.Reason.CHARGEBACK]


class DisputeMilestoneSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)


class DisputeTimesheetSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    week_start = serializers.DateField(read_only=True, help_text="The Monday (UTC) the week starts on.")
    status = serializers.CharField(read_only=True)


class DisputedEntrySerializer(serializers.ModelSerializer):
    """A time entry of the disputed week and how much of it is in question."""

    entry = serializers.IntegerField(source="entry_id", read_only=True)
    started_at = serializers.DateTimeField(source="entry.started_at", read_only=True)
    memo = serializers.CharField(source="entry.memo", read_only=True)
    entry_minutes = serializers.IntegerField(source="entry.minutes", read_only=True)
    minutes = serializers.IntegerField(read_only=True, help_text="The minutes of the entry in question.")
    amount_minor = serializers.IntegerField(read_only=True, help_text="The amount in question. " + MINOR)

    class Meta:
        model = DisputedEntry
        fields = ["entry", "started_at", "memo", "entry_minutes", "minutes", "amount_minor"]
        read_only_fields = fields


class DisputeSerializer(serializers.ModelSerializer):
    """A dispute's state, deadlines and money: the list's row."""

    id = serializers.IntegerField(read_only=True)
    contract = serializers.IntegerField(source="contract_id", read_only=True)
    contract_title = serializers.CharField(source="contract.title", read_only=True)
    milestone = DisputeMilestoneSerializer(read_only=True, allow_null=True)
    timesheet = DisputeTimesheetSerializer(
        read_only=True, allow_null=True, help_text="The hourly week disputed (kind `timesheet`)."
    )
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    opened_by = UserRefSerializer(read_only=True, allow_null=True, help_text="Null for a card chargeback.")
    amount_minor = serializers.IntegerField(
        read_only=True, help_text="The part of the held money the opener says is theirs. " + MINOR
    )
    respond_by = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="While open: the other side's deadline to respond."
    )
    decide_by = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="Once escalated: support's target for a decision."
    )
    released_minor = serializers.IntegerField(
        read_only=True, help_text="Settled or decided: released to the freelancer. " + MINOR
    )
    refunded_minor = serializers.IntegerField(
        read_only=True, help_text="Settled or decided: refunded to the client. " + MINOR
    )

    class Meta:
        model = Dispute
        fields = [
            "id",
            "kind",
            "status",
            "status_label",
            "contract",
            "contract_title",
            "milestone",
            "timesheet",
            "opened_by",
            "opened_by_side",
            "reason",
            "amount_minor",
            "currency",
            "respond_by",
            "escalated_at",
            "decide_by",
            "outcome",
            "released_minor",
            "refunded_minor",
            "resolved_at",
            "created_at",
        ]
        read_only_fields = fields


class EvidenceSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    submitted_by = UserRefSerializer(read_only=True)
    files = AttachmentSerializer(source="attachments", many=True, read_only=True)

    class Meta:
        model = DisputeEvidence
        fields = ["id", "side", "submitted_by", "statement", "files", "created_at"]
        read_only_fields = fields


class SettlementOfferSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    proposed_by = UserRefSerializer(read_only=True)
    release_minor = serializers.IntegerField(read_only=True, help_text="To the freelancer. " + MINOR)
    refund_minor = serializers.IntegerField(read_only=True, help_text="Back to the client. " + MINOR)
    answered_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = SettlementOffer
        fields = [
            "id",
            "side",
            "proposed_by",
            "release_minor",
            "refund_minor",
            "message",
            "status",
            "answered_by",
            "answered_at",
            "created_at",
        ]
        read_only_fields = fields


class DisputeDetailSerializer(DisputeSerializer):
    """With what each side said (the description, the response, evidence with files), the
    settlement offers (newest first) and how it ended."""

    description = serializers.CharField(read_only=True)
    response = serializers.CharField(read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    offers = SettlementOfferSerializer(many=True, read_only=True)
    entries = DisputedEntrySerializer(
        many=True, read_only=True, help_text="An hourly week's entries in question (empty for a milestone)."
    )
    resolution_note = serializers.CharField(
        read_only=True, help_text="Support's reason for a decision (shown to both sides)."
    )

    class Meta(DisputeSerializer.Meta):
        fields = [
            *DisputeSerializer.Meta.fields,
            "description",
            "response",
            "responded_at",
            "opener_asked_support_at",
            "respondent_asked_support_at",
            "resolution_note",
            "evidence",
            "offers",
            "entries",
        ]
        read_only_fields = fields


def _files():
    return serializers.ListField(
        child=serializers.FileField(allow_empty_file=True),  # the kernel refuses it: `empty_file`
        required=False,
        default=list,
        help_text=FILES_HELP,
    )


class EntryInQuestionSerializer(serializers.Serializer):
    entry = serializers.IntegerField(min_value=1, max_value=2**31 - 1, help_text="A time entry of the week.")
    amount_minor = serializers.IntegerField(
        min_value=0,
        max_value=2**53,
        help_text="The amount of it in question: above zero, at most what the entry cost. " + MINOR,
    )
    minutes = serializers.IntegerField(
        min_value=1,
        max_value=7 * 24 * 60,
        required=False,
        allow_null=True,
        default=None,
        help_text="The minutes in question (default: all of the entry's).",
    )


class OpenSerializer(serializers.Serializer):
    milestone = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        help_text="The milestone's id (or give `timesheet`).",
    )
    timesheet = serializers.IntegerField(
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        help_text="An hourly week's id (or give `milestone`), with its `entries` in question.",
    )
    reason = serializers.ChoiceField(choices=OPEN_REASONS)
    description = serializers.CharField(max_length=10_000, allow_blank=True, help_text="What went wrong.")
    amount_minor = serializers.IntegerField(
        min_value=1,
        max_value=2**53,
        required=False,
        help_text="A milestone's: the part of the held money you say is yours (at most the milestone's). "
        "A week's is the sum of its entries' amounts in question. " + MINOR,
    )
    entries = EntryInQuestionSerializer(
        many=True,
        required=False,
        default=list,
        help_text="A week's: the entries in question (JSON only), each once.",
    )
    files = _files()

    def validate(self, data):
        if ("milestone" in data) == ("timesheet" in data):
            raise serializers.ValidationError({"milestone": ["Give a milestone or a timesheet."]})
        if "milestone" in data and "amount_minor" not in data:
            raise serializers.ValidationError({"amount_minor": ["Required for a milestone."]})
        return data


class RespondSerializer(serializers.Serializer):
    response = serializers.CharField(max_length=10_000, allow_blank=True, help_text="Your side of it.")
    files = _files()


class EvidenceInputSerializer(serializers.Serializer):
    statement = serializers.CharField(max_length=10_000, allow_blank=True, required=False, default="")
    files = _files()


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=10_000, allow_blank=True, help_text="Why you drop it.")


class SettlementOfferInputSerializer(serializers.Serializer):
    release_minor = serializers.IntegerField(
        min_value=0, max_value=2**53, help_text="To the freelancer. " + MINOR
    )
    refund_minor = serializers.IntegerField(
        min_value=0, max_value=2**53, help_text="Back to the client. " + MINOR
    )
    message = serializers.CharField(max_length=10_000, allow_blank=True, required=False, default="")
