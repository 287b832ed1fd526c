"""The double-entry ledger: the system of record for money.

Chart of accounts (each per currency):

| kind | one per | balance means |
| --- | --- | --- |
| ``client_funding`` | payer | minus what the payer has paid in (the source of every inflow) |
| ``escrow_held`` | hold | what the hold still holds (amount + client fee not yet settled) |
| ``freelancer_payable`` | payee | released to the payee, not yet transferred to them |
| ``refunds_payable`` | payer | refunded to the payer, not yet returned to their card |
| ``platform_revenue`` | platform | fees earned |
| ``processor_clearing`` | platform | paid out through the processor (transfers and refunds) |

Entries are signed (credit positive, debit negative); a transaction's entries add up to zero
(a deferred constraint trigger checks it at commit on PostgreSQL), entries are never updated or
deleted (a trigger refuses it), and a balance is the sum of an account's entries.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class LedgerAccount(models.Model):
    class Kind(models.TextChoices):
        CLIENT_FUNDING = "client_funding", "Client funding"
        ESCROW_HELD = "escrow_held", "Held in escrow"
        FREELANCER_PAYABLE = "freelancer_payable", "Freelancer payable"
        REFUNDS_PAYABLE = "refunds_payable", "Refunds payable"
        PLATFORM_REVENUE = "platform_revenue", "Platform revenue"
        PROCESSOR_CLEARING = "processor_clearing", "Processor clearing"

    # Accounts whose balance may never go below zero (everything but the source of inflows).
    NON_NEGATIVE = (Kind.ESCROW_HELD, Kind.FREELANCER_PAYABLE, Kind.REFUNDS_PAYABLE)

    key = models.CharField(max_length=96, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    currency = models.CharField(max_length=3)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hold = models.ForeignKey("escrow.Hold", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind__in=["client_funding", "freelancer_payable", "refunds_payable"],
                        user__isnull=False,
                    )
                    | Q(kind="escrow_held", hold__isnull=False)
                    | Q(
                        kind__in=["platform_revenue", "processor_clearing"],
                        user__isnull=True,
                        hold__isnull=True,
                    )
                ),
                name="escrow_ledger_account_owner_fits_kind",
            )
        ]

    def __str__(self) -> str:
        return self.key


class LedgerTransaction(models.Model):
    class Kind(models.TextChoices):
        FUND = "fund", "Funded"
        RELEASE = "release", "Released"
        REFUND = "refund", "Refunded"
        TRANSFER_OUT = "transfer_out", "Transferred to the freelancer"
        REFUND_OUT = "refund_out", "Returned to the card"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    currency = models.CharField(max_length=3)
    hold = models.ForeignKey(
        "escrow.Hold", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_transactions"
    )
    settlement = models.ForeignKey(
        "escrow.Settlement", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The processor's object this movement answers to (PaymentIntent, Transfer or Refund id).
    external_id = models.CharField(max_length=64, blank=True)
    memo = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            # One funding per hold and one ledger posting per processor object: replays are no-ops.
            models.UniqueConstraint(
                fields=["hold"], condition=Q(kind="fund"), name="escrow_one_funding_per_hold"
            ),
            models.UniqueConstraint(
                fields=["kind", "external_id"],
                condition=~Q(external_id=""),
                name="escrow_external_posted_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class LedgerEntry(models.Model):
    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="entries")
    amount_minor = models.BigIntegerField()

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "ledger entries"
        constraints = [models.CheckConstraint(condition=~Q(amount_minor=0), name="escrow_entry_not_zero")]

    def __str__(self) -> str:
        return f"{self.amount_minor:+} on {self.account_id}"
