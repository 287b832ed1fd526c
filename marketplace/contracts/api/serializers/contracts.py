"""Contracts, their milestones with each one's part of the fee split, and their history."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from escrow.fees import FeeBreakdown
from marketplace.core.models import StatusChange
from marketplace.jobs.api.serializers.hiring import FeesSerializer, fees_data
from marketplace.jobs.api.serializers.refs import (
    AMOUNT,
    FreelancerRefSerializer,
    JobRefSerializer,
    OrganisationRefSerializer,
    UserRefSerializer,
)

from ...fees import contract_breakdown, milestone_fee_parts
from ...models import Contract, Milestone
from ...permissions import MILESTONE_ACTION_NAMES, milestone_actions
from ...selectors import contract_history


class MilestoneSerializer(serializers.ModelSerializer):
    """A milestone's money (its part of the contract's fee split), state, deadlines and the actions
    you may take on it now."""

    # Reads ``fee_parts`` and ``powers`` from its context (``ContractsApiView.milestone_context``).

    id = serializers.IntegerField(read_only=True)
    position = serializers.IntegerField(read_only=True)
    amount_minor = serializers.IntegerField(
        read_only=True, help_text="Integer minor units of the contract's currency."
    )
    client_fee_minor = serializers.SerializerMethodField(help_text="This milestone's part of the client fee.")
    client_total_minor = serializers.SerializerMethodField(
        help_text="What funding it charges the client's card: amount + client fee."
    )
    freelancer_fee_minor = serializers.SerializerMethodField(
        help_text="This milestone's part of the freelancer fee."
    )
    freelancer_receives_minor = serializers.SerializerMethodField(
        help_text="What the freelancer is paid on approval: amount - freelancer fee."
    )
    hold = serializers.IntegerField(
        source="hold_id",
        read_only=True,
        allow_null=True,
        help_text="The escrow hold that keeps its money (see the contract's ledger); null until funding "
        "starts.",
    )
    funded_at = serializers.DateTimeField(read_only=True, allow_null=True)
    submitted_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="The latest submission of work."
    )
    auto_approve_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="While submitted: when it is approved (and paid) automatically if the client does not "
        "answer.",
    )
    approved_at = serializers.DateTimeField(read_only=True, allow_null=True)
    released_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="When the money reached the freelancer's payout account."
    )
    actions = serializers.SerializerMethodField(
        help_text="What you may do on it now, by your side and role: `fund` (`fund/`), `submit` "
        "(`submit/`), `request_revision` (`revision/`), `approve` (`approve/`). None with an API key, "
        "or once the contract has ended."
    )
    refund_due_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="After a cancellation: when its money goes back to the client (the dispute window's end).",
    )

    class Meta:
        model = Milestone
        fields = [
            "id",
            "position",
            "title",
            "amount_minor",
            "client_fee_minor",
            "client_total_minor",
            "freelancer_fee_minor",
            "freelancer_receives_minor",
            "status",
            "hold",
            "funded_at",
            "submitted_at",
            "auto_approve_at",
            "approved_at",
            "released_at",
            "refund_due_at",
            "actions",
        ]
        read_only_fields = fields

    def _part(self, milestone: Milestone) -> FeeBreakdown:
        return self.context["fee_parts"][milestone.pk]

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=MILESTONE_ACTION_NAMES)))
    def get_actions(self, milestone: Milestone) -> list[str]:
        return milestone_actions(milestone.contract, milestone, self.context["powers"])

    def get_client_fee_minor(self, milestone: Milestone) -> int:
        return self._part(milestone).client_fee_minor

    def get_client_total_minor(self, milestone: Milestone) -> int:
        return self._part(milestone).client_total_minor

    def get_freelancer_fee_minor(self, milestone: Milestone) -> int:
        return self._part(milestone).freelancer_fee_minor

    def get_freelancer_receives_minor(self, milestone: Milestone) -> int:
        return self._part(milestone).freelancer_receives_minor


class StatusChangeSerializer(serializers.ModelSerializer):
    target = serializers.SerializerMethodField(help_text="What changed: `proposal`, `offer` or `contract`.")
    actor = UserRefSerializer(read_only=True, allow_null=True, help_text="Null for the platform's own moves.")

    class Meta:
        model = StatusChange
        fields = ["target", "from_status", "to_status", "actor", "reason", "created_at"]
        read_only_fields = fields

    def get_target(self, change: StatusChange) -> str:
        return change.target_type.rpartition(".")[2]


class CancelReasonField(serializers.ChoiceField):
    """The stored reason, or null where none is kept. Not an empty string: an enum holding "" (which
    drf-spectacular would document as a ``BlankEnum``) stops Swagger UI from drawing the docs page."""

    def to_representation(self, value):
        return super().to_representation(value) if value else None


class ContractSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    offer = serializers.IntegerField(source="offer_id", read_only=True)
    job = JobRefSerializer(read_only=True)
    client = UserRefSerializer(read_only=True)
    freelancer = FreelancerRefSerializer(read_only=True)
    organisation = OrganisationRefSerializer(read_only=True, allow_null=True)
    amount_minor = serializers.IntegerField(read_only=True, help_text=AMOUNT)
    weekly_hour_cap = serializers.IntegerField(read_only=True, allow_null=True)
    client_fee_bp = serializers.IntegerField(read_only=True)
    freelancer_fee_bp = serializers.IntegerField(read_only=True)
    ended_by = UserRefSerializer(read_only=True, allow_null=True)
    cancel_reason = CancelReasonField(
        choices=Contract.CancelReason.choices,
        allow_null=True,
        read_only=True,
        help_text="Why a cancelled contract was cancelled; null for others (and for contracts cancelled "
        "before the reason was asked).",
    )

    class Meta:
        model = Contract
        fields = [
            "id",
            "offer",
            "job",
            "client",
            "freelancer",
            "organisation",
            "title",
            "budget_type",
            "currency",
            "amount_minor",
            "weekly_hour_cap",
            "client_fee_bp",
            "freelancer_fee_bp",
            "status",
            "started_at",
            "ended_at",
            "ended_by",
            "end_reason",
            "cancel_reason",
        ]
        read_only_fields = fields


class ContractDetailSerializer(ContractSerializer):
    milestones = serializers.SerializerMethodField(
        help_text="Fixed price: the schedule, each milestone with its money, state and deadlines."
    )
    fees = serializers.SerializerMethodField(help_text="The fee breakdown, from the rates agreed.")
    history = serializers.SerializerMethodField(
        help_text="Every state change of the proposal, the offer and the contract, oldest first."
    )

    class Meta(ContractSerializer.Meta):
        fields = [*ContractSerializer.Meta.fields, "milestones", "fees", "history"]
        read_only_fields = fields

    @extend_schema_field(MilestoneSerializer(many=True))
    def get_milestones(self, contract: Contract) -> list:
        context = {**self.context, "fee_parts": milestone_fee_parts(contract)}
        return MilestoneSerializer(contract.milestones.all(), many=True, context=context).data

    @extend_schema_field(FeesSerializer)
    def get_fees(self, contract: Contract) -> dict:
        whole, parts = contract_breakdown(contract)
        titles = [milestone.title for milestone in contract.milestones.all()]
        return FeesSerializer(fees_data(contract.currency, whole, parts, titles)).data

    @extend_schema_field(StatusChangeSerializer(many=True))
    def get_history(self, contract: Contract) -> list:
        return StatusChangeSerializer(contract_history(contract), many=True).data


class CompleteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")


class CancelSerializer(serializers.Serializer):
    cancel_reason = serializers.ChoiceField(
        choices=Contract.CancelReason.choices,
        help_text="Why the contract ends. The client side's `not_delivered` after a milestone was funded "
        "counts against the freelancer's job success score.",
    )
    reason = serializers.CharField(
        max_length=2000,
        allow_blank=True,
        help_text="In your own words, for the other party: 5 to 2,000 characters.",
    )
