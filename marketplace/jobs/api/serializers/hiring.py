"""Proposals, offers with their fee breakdowns, and contracts with their history."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from escrow.fees import FeeBreakdown
from marketplace.core.models import StatusChange

from ...models import Contract, Duration, Milestone, Offer, Proposal
from ...selectors import contract_history
from ...services import offer_breakdown
from .refs import (
    AMOUNT,
    MINOR,
    AttachmentSerializer,
    FreelancerRefSerializer,
    JobRefSerializer,
    MilestoneTermSerializer,
    OrganisationRefSerializer,
    UserRefSerializer,
)


class ProposalSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    job = JobRefSerializer(read_only=True)
    freelancer = FreelancerRefSerializer(read_only=True)
    amount_minor = serializers.IntegerField(read_only=True, help_text=AMOUNT)
    milestones = MilestoneTermSerializer(
        many=True, read_only=True, help_text="Fixed price only; they add up to `amount_minor`."
    )
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Proposal
        fields = [
            "id",
            "job",
            "freelancer",
            "cover_letter",
            "currency",
            "amount_minor",
            "milestones",
            "duration",
            "is_invited",
            "status",
            "decline_message",
            "attachments",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ProposalInputSerializer(serializers.Serializer):
    """A proposal's terms. On PATCH, only the fields sent change."""

    cover_letter = serializers.CharField(max_length=10_000, help_text="20 to 10,000 characters.")
    amount_minor = serializers.IntegerField(help_text=AMOUNT)
    milestones = MilestoneTermSerializer(
        many=True,
        required=False,
        max_length=50,
        help_text="Fixed price: 1 to 20 parts adding up to `amount_minor` (one part with the job's title "
        "if empty). Hourly: leave empty.",
    )
    duration = serializers.ChoiceField(choices=Duration.choices)


class DeclineMessageSerializer(serializers.Serializer):
    message = serializers.CharField(
        max_length=2000, allow_blank=True, required=False, default="", help_text="Shown to the freelancer."
    )


# --- Offers and fees --------------------------------------------------------------------------------


class FeeBreakdownSerializer(serializers.Serializer):
    amount_minor = serializers.IntegerField(help_text=MINOR)
    client_fee_bp = serializers.IntegerField(help_text="The client's fee in basis points (1/100 of a %).")
    freelancer_fee_bp = serializers.IntegerField(help_text="The freelancer's fee in basis points.")
    client_fee_minor = serializers.IntegerField()
    freelancer_fee_minor = serializers.IntegerField()
    client_total_minor = serializers.IntegerField(help_text="What the client pays: amount + client fee.")
    freelancer_receives_minor = serializers.IntegerField(help_text="Amount minus the freelancer fee.")


class MilestoneFeesSerializer(FeeBreakdownSerializer):
    title = serializers.CharField()


class FeesSerializer(serializers.Serializer):
    currency = serializers.CharField()
    whole = FeeBreakdownSerializer(help_text="The whole amount.")
    milestones = MilestoneFeesSerializer(
        many=True, help_text="Each milestone's share; the fees add up to those on the whole."
    )


def fees_data(currency: str, whole, parts, titles) -> dict:
    """The body of a ``FeesSerializer`` from ``services.offer_breakdown``/``offer_fee_preview``."""
    names = FeeBreakdownSerializer._declared_fields
    return {
        "currency": currency,
        "whole": whole,
        "milestones": [
            {"title": title, **{name: getattr(part, name) for name in names}}
            for title, part in zip(titles, parts, strict=True)
        ],
    }


class FeePreviewInputSerializer(serializers.Serializer):
    organisation = serializers.SlugField(
        required=False, allow_null=True, help_text="Use this organisation's fees (you must be a member)."
    )
    currency = serializers.CharField(max_length=3, help_text="ISO 4217; echoed back.")
    amount_minor = serializers.IntegerField(min_value=1, max_value=100_000_000_00, help_text=MINOR)
    milestones = MilestoneTermSerializer(many=True, required=False, max_length=50)

    def validate_currency(self, currency: str) -> str:
        if currency.upper() not in settings.CURRENCIES:
            raise serializers.ValidationError(
                f"Choose one of: {', '.join(settings.CURRENCIES)}.", code="unknown_currency"
            )
        return currency.upper()


class OfferSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    proposal = serializers.IntegerField(source="proposal_id", read_only=True)
    job = JobRefSerializer(read_only=True)
    client = UserRefSerializer(read_only=True)
    freelancer = FreelancerRefSerializer(read_only=True)
    organisation = OrganisationRefSerializer(read_only=True, allow_null=True)
    amount_minor = serializers.IntegerField(read_only=True, help_text=AMOUNT)
    weekly_hour_cap = serializers.IntegerField(read_only=True, allow_null=True, help_text="Hourly only.")
    milestones = MilestoneTermSerializer(many=True, read_only=True)
    client_fee_bp = serializers.IntegerField(read_only=True)
    freelancer_fee_bp = serializers.IntegerField(read_only=True)
    contract = serializers.SerializerMethodField(help_text="The contract's id once accepted.")

    class Meta:
        model = Offer
        fields = [
            "id",
            "proposal",
            "job",
            "client",
            "freelancer",
            "organisation",
            "title",
            "message",
            "budget_type",
            "currency",
            "amount_minor",
            "weekly_hour_cap",
            "milestones",
            "client_fee_bp",
            "freelancer_fee_bp",
            "status",
            "decline_reason",
            "sent_at",
            "expires_at",
            "responded_at",
            "contract",
        ]
        read_only_fields = fields

    def get_contract(self, offer: Offer) -> int | None:
        try:
            return offer.contract.pk
        except ObjectDoesNotExist:
            return None


class OfferDetailSerializer(OfferSerializer):
    fees = serializers.SerializerMethodField(help_text="The fee breakdown, from the rates fixed when sent.")

    class Meta(OfferSerializer.Meta):
        fields = [*OfferSerializer.Meta.fields, "fees"]
        read_only_fields = fields

    @extend_schema_field(FeesSerializer)
    def get_fees(self, offer: Offer) -> dict:
        whole, parts = offer_breakdown(offer)
        return FeesSerializer(
            fees_data(offer.currency, whole, parts, [m["title"] for m in offer.milestones])
        ).data


class OfferInputSerializer(serializers.Serializer):
    """Every field is optional: leave out the amount and milestones to offer the proposal's terms."""

    title = serializers.CharField(
        max_length=200, allow_blank=True, required=False, default="", help_text="The job's title if empty."
    )
    amount_minor = serializers.IntegerField(required=False, help_text=AMOUNT)
    milestones = MilestoneTermSerializer(
        many=True,
        required=False,
        max_length=50,
        help_text="Fixed price: parts adding up to `amount_minor`. If `amount_minor` is sent without "
        "milestones, one milestone covers it all.",
    )
    weekly_hour_cap = serializers.IntegerField(
        required=False, allow_null=True, help_text="Hourly: 1 to 80 (40)."
    )
    message = serializers.CharField(max_length=5000, allow_blank=True, required=False, default="")


# --- Contracts --------------------------------------------------------------------------------------


def milestone_fee_parts(contract: Contract) -> dict[int, FeeBreakdown]:
    """Each milestone's share of the contract's fees (``offer_breakdown``), by milestone id; reads the
    contract's milestones, which the contract selectors prefetch."""
    _whole, parts = offer_breakdown(contract)
    return {milestone.pk: part for milestone, part in zip(contract.milestones.all(), parts, strict=True)}


class MilestoneSerializer(serializers.ModelSerializer):
    """A milestone's money (its part of the contract's fee split), state and deadlines. Needs
    ``fee_parts`` (``milestone_fee_parts``) in its context."""

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
        ]
        read_only_fields = fields

    def _part(self, milestone: Milestone) -> FeeBreakdown:
        return self.context["fee_parts"][milestone.pk]

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
        whole, parts = offer_breakdown(contract)
        titles = [milestone.title for milestone in contract.milestones.all()]
        return FeesSerializer(fees_data(contract.currency, whole, parts, titles)).data

    @extend_schema_field(StatusChangeSerializer(many=True))
    def get_history(self, contract: Contract) -> list:
        return StatusChangeSerializer(contract_history(contract), many=True).data


class CompleteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True, help_text="5 to 2,000 characters.")
