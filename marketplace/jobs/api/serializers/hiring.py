"""Proposals, and offers with their fee breakdowns."""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.core.text import validate_single_line_text

from ...models import Duration, Offer, Proposal
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
        validators=[validate_single_line_text],
        max_length=200,
        allow_blank=True,
        required=False,
        default="",
        help_text="The job's title if empty.",
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
