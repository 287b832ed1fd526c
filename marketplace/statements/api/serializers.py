"""The shapes of the statements API (read-only; they document ``exports.statement_data`` and
``exports.earnings_data`` for OpenAPI)."""

from rest_framework import serializers


class StatementTotalSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    amount_minor = serializers.IntegerField()


class StatementLineSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.ChoiceField(
        choices=[
            "charge",
            "client_fee",
            "release",
            "client_fee_earned",
            "refund",
            "client_fee_refund",
            "freelancer_fee",
            "payout",
            "other",
        ]
    )
    label = serializers.CharField(help_text="What happened, in plain words.")
    purpose = serializers.CharField(help_text="What the money was for: the milestone or billed week.")
    reference = serializers.CharField(
        help_text="The escrow hold's reference (`milestone:42`, `timesheet:7`)."
    )
    amount_minor = serializers.IntegerField(help_text="Its effect on the balance (+ in, - out), minor units.")
    balance_minor = serializers.IntegerField(help_text="The running balance after this line.")
    ledger_transaction = serializers.IntegerField()


class StatementSectionSerializer(serializers.Serializer):
    side = serializers.ChoiceField(choices=["client", "freelancer"])
    currency = serializers.CharField()
    balance_means = serializers.CharField()
    opening_minor = serializers.IntegerField()
    closing_minor = serializers.IntegerField()
    totals = StatementTotalSerializer(many=True)
    lines = StatementLineSerializer(many=True)


class StatementSerializer(serializers.Serializer):
    subject = serializers.CharField()
    from_ = serializers.DateField()
    to = serializers.DateField()
    timezone = serializers.CharField(help_text="The dates' time zone: the caller's (UTC for an API key).")
    sections = StatementSectionSerializer(many=True)

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class RailTotalsSerializer(serializers.Serializer):
    rail = serializers.ChoiceField(choices=["processor"])
    name = serializers.CharField()
    currency = serializers.CharField()
    released_minor = serializers.IntegerField()
    freelancer_fees_minor = serializers.IntegerField()
    net_minor = serializers.IntegerField()
    releases = serializers.IntegerField()
    paid_out_minor = serializers.IntegerField()
    payouts = serializers.IntegerField()


class ReportingThresholdSerializer(serializers.Serializer):
    form = serializers.ChoiceField(choices=["1099-NEC", "1099-K"])
    rule = serializers.CharField()
    counted = serializers.CharField()
    currency = serializers.CharField()
    amount_minor = serializers.IntegerField()
    count = serializers.IntegerField()
    amount_limit_minor = serializers.IntegerField()
    count_limit = serializers.IntegerField(allow_null=True)
    amount_crossed = serializers.BooleanField()
    count_crossed = serializers.BooleanField(allow_null=True)
    crossed = serializers.BooleanField()


class YearlyEarningsSerializer(serializers.Serializer):
    person = serializers.CharField()
    year = serializers.IntegerField()
    timezone = serializers.CharField()
    rails = RailTotalsSerializer(many=True)
    thresholds = ReportingThresholdSerializer(many=True)
    informational = serializers.BooleanField()
