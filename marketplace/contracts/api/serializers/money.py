"""Money: funding a milestone, a contract's ledger, a freelancer's earnings and a person's receipts.

The rows come from escrow's selectors (holds, ledger transactions, charges, refunds, transfers);
the milestone and contract each one belongs to from ``selectors.milestones_by_hold``, handed in
the context as ``milestones`` (hold id → milestone).
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from escrow.models import LedgerEntry, LedgerTransaction, Transfer
from marketplace.jobs.api.serializers.refs import MINOR, UserRefSerializer

from .milestones import MilestoneDetailSerializer

# --- Funding ----------------------------------------------------------------------------------------


class FundStartSerializer(serializers.Serializer):
    client_secret = serializers.CharField(
        help_text="Confirm the payment with it: Stripe.js `confirmCardPayment` or the mobile SDKs."
    )
    payment_intent = serializers.CharField(help_text="The PaymentIntent's id; send it to `fund/confirm/`.")
    amount_minor = serializers.IntegerField(
        help_text="What the card is charged: amount + client fee. " + MINOR
    )
    currency = serializers.CharField()
    publishable_key = serializers.CharField(help_text="The platform's Stripe publishable key.")


class FundConfirmInputSerializer(serializers.Serializer):
    payment_intent = serializers.CharField(max_length=64, help_text="The id `fund/` answered with.")


class FundConfirmedSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=["funded", "refunded"],
        help_text="`funded`: held in escrow. `refunded`: the contract ended before the payment went "
        "through, so all of it goes back to the card.",
    )
    message = serializers.CharField(help_text="What happened, in plain words for the payer.")
    milestone = MilestoneDetailSerializer()


# --- References -------------------------------------------------------------------------------------


class ContractRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class MilestoneRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField()
    title = serializers.CharField()
    status = serializers.CharField()
    contract = ContractRefSerializer()


def _milestone_of(serializer: serializers.Serializer, hold_id: int | None):
    milestone = serializer.context["milestones"].get(hold_id)
    return MilestoneRefSerializer(milestone).data if milestone is not None else None


# --- The ledger -------------------------------------------------------------------------------------


class LedgerEntrySerializer(serializers.ModelSerializer):
    account = serializers.CharField(
        source="account.kind",
        help_text="`client_funding`, `escrow_held`, `freelancer_payable`, `refunds_payable`, "
        "`platform_revenue`, `processor_fees`, `processor_clearing`, `disputed_funds`, `dispute_fees` "
        "or `platform_losses` (docs/escrow.md).",
    )
    account_label = serializers.CharField(source="account.get_kind_display")
    amount_minor = serializers.IntegerField(help_text="Signed: credit +, debit -. " + MINOR)
    currency = serializers.CharField(source="account.currency")

    class Meta:
        model = LedgerEntry
        fields = ["account", "account_label", "amount_minor", "currency"]
        read_only_fields = fields


class LedgerTransactionSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    hold = serializers.IntegerField(source="hold_id", read_only=True, allow_null=True)
    milestone = serializers.SerializerMethodField(help_text="The milestone whose money moved.")
    entries = LedgerEntrySerializer(
        many=True, read_only=True, help_text="Append-only; they add up to zero, oldest first."
    )

    class Meta:
        model = LedgerTransaction
        fields = [
            "id",
            "kind",
            "kind_label",
            "currency",
            "memo",
            "created_at",
            "hold",
            "milestone",
            "entries",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_milestone(self, posted: LedgerTransaction) -> int | None:
        milestone = self.context["milestones"].get(posted.hold_id)
        return milestone.pk if milestone is not None else None


# --- Earnings ---------------------------------------------------------------------------------------


class PayoutSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    amount_minor = serializers.IntegerField(
        read_only=True, help_text="What the freelancer receives. " + MINOR
    )
    status = serializers.ChoiceField(
        choices=Transfer.Status.choices,
        read_only=True,
        help_text="`blocked`: waiting until payouts are set up; `intended`: being sent; `sent`; `failed`.",
    )

    class Meta:
        model = Transfer
        fields = ["id", "amount_minor", "currency", "status", "created_at", "sent_at"]
        read_only_fields = fields


class EarningHoldSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The escrow hold.")
    status = serializers.CharField(help_text="`funded`, `frozen` or `settled`.")
    amount_minor = serializers.IntegerField(help_text="The milestone's amount. " + MINOR)
    freelancer_fee_minor = serializers.IntegerField()
    held_minor = serializers.IntegerField(help_text="Still held in escrow.")
    released_minor = serializers.IntegerField(source="released", help_text="Released to you.")
    refunded_minor = serializers.IntegerField(source="refunded", help_text="Refunded to the client.")
    funded_at = serializers.DateTimeField(allow_null=True)
    milestone = serializers.SerializerMethodField()
    payouts = PayoutSerializer(source="transfers", many=True, help_text="The transfers that pay it out.")

    @extend_schema_field(MilestoneRefSerializer(allow_null=True))
    def get_milestone(self, hold) -> dict | None:
        return _milestone_of(self, hold.pk)

    def to_representation(self, hold) -> dict:
        data = super().to_representation(hold)
        data["released_minor"] = data["released_minor"] or 0
        data["refunded_minor"] = data["refunded_minor"] or 0
        return data


class EarningsSerializer(serializers.Serializer):
    currency = serializers.CharField()
    held_minor = serializers.IntegerField(help_text="In escrow for you: funded, not yet released.")
    pending_minor = serializers.IntegerField(
        help_text="Released to you, not yet paid out (waiting for your payout account, or being sent)."
    )
    paid_minor = serializers.IntegerField(help_text="Paid out to your payout account.")
    holds = EarningHoldSerializer(many=True, help_text="The money behind the figures, newest funding first.")


class MyEarningsSerializer(serializers.Serializer):
    currencies = EarningsSerializer(many=True, help_text="One entry per currency you have earned in.")


# --- Receipts ---------------------------------------------------------------------------------------


class ReceiptSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["charge", "refund", "transfer"],
        source="receipt_kind",
        help_text="`charge`: you paid (amount + client fee); `refund`: returned to your card; "
        "`transfer`: paid out to you.",
    )
    id = serializers.IntegerField()
    amount_minor = serializers.IntegerField(help_text=MINOR)
    currency = serializers.CharField()
    at = serializers.SerializerMethodField(help_text="When it was paid, returned or sent.")
    card = serializers.SerializerMethodField(help_text="Charges: the card (brand and last four); else empty.")
    description = serializers.SerializerMethodField()
    payer = serializers.SerializerMethodField()
    payee = serializers.SerializerMethodField()
    milestone = serializers.SerializerMethodField()

    @staticmethod
    def _hold(payment):
        return payment.hold if payment.receipt_kind == "charge" else payment.settlement.hold

    @extend_schema_field(serializers.DateTimeField())
    def get_at(self, payment):
        moment = payment.succeeded_at if payment.receipt_kind == "charge" else payment.sent_at
        return serializers.DateTimeField().to_representation(moment or payment.created_at)

    def get_card(self, payment) -> str:
        return payment.card_label if payment.receipt_kind == "charge" else ""

    def get_description(self, payment) -> str:
        return self._hold(payment).description

    @extend_schema_field(UserRefSerializer)
    def get_payer(self, payment) -> dict:
        return UserRefSerializer(self._hold(payment).payer).data

    @extend_schema_field(UserRefSerializer)
    def get_payee(self, payment) -> dict:
        return UserRefSerializer(self._hold(payment).payee).data

    @extend_schema_field(MilestoneRefSerializer(allow_null=True))
    def get_milestone(self, payment) -> dict | None:
        return _milestone_of(self, self._hold(payment).pk)
