"""The double-entry ledger: the system of record for money.

Chart of accounts (each per currency):

| kind | one per | balance means |
| --- | --- | --- |
| ``client_funding`` | payer | minus what the payer has paid in (the source of every inflow) |
| ``escrow_held`` | hold | what the hold still holds (amount + client fee not yet settled) |
| ``freelancer_payable`` | payee | released to the payee, not yet transferred to them |
| ``refunds_payable`` | payer | refunded to the payer, not yet returned to their card |
| ``platform_revenue`` | platform | fees earned |
| ``processor_fees`` | platform | minus the processor's fees on charges (the platform's cost) |
| ``processor_clearing`` | platform | paid out through the processor (transfers, refunds,
  chargebacks, and the fees it kept) |
| ``disputed_funds`` | platform | minus what the processor holds back for open chargebacks |
| ``dispute_fees`` | platform | minus the processor's dispute fees on chargebacks lost (a cost) |
| ``platform_losses`` | platform | minus what lost chargebacks took beyond the money still held |

A chargeback moves the processor's money first: it takes the disputed amount and its fee from the
platform's balance (``chargeback``: processor clearing +, disputed funds -), gives both back when
won (``chargeback_won``: the reverse). When lost, what the hold still holds of the amount is a
refund settlement (held in escrow -, refunds payable +) that the card network paid, so the
disputed funds are made good from refunds payable, the rest from the platform (platform losses -),
and the fee is the platform's (dispute fees -) (``chargeback_lost``). Money already transferred
to a freelancer is never taken back from them.

The processor keeps its fee out of each charge (its balance transaction's ``fee``): the platform
bears it, so it is posted as the platform's cost when the charge is recorded (``processor_fee``:
processor fees -F, processor clearing +F). Revenue less those fees is what the platform earned.

Entries are signed (credit positive, debit negative); a transaction's entries add up to zero
(a trigger checks each insert on PostgreSQL), entries are never updated or deleted (a trigger
refuses it), and a balance is the sum of an account's entries.

The accounts that may never go below zero (``GUARDED``) also keep that sum in ``balance_minor``,
so a posting checks what an account holds without reading its history. The database maintains it:
a trigger on the entries adds each insert's lines to it, nothing else may change it (a trigger
refuses), and a CHECK keeps it at zero or more. ``escrow.selectors.ledger_balances_off`` compares
it with the entries (the reconciliation; the ledger property test runs it after every step).
The other accounts leave it NULL: the platform's accounts take part in every posting, and a
stored balance would make their row a lock every posting waits for.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

# LedgerAccount.GUARDED as plain values, for its Meta (a nested class sees no names of the outer one).
GUARDED_KINDS = ("escrow_held", "freelancer_payable", "refunds_payable")
# The platform's own accounts (no user, no hold).
PLATFORM_KINDS = (
    "platform_revenue",
    "processor_fees",
    "processor_clearing",
    "disputed_funds",
    "dispute_fees",
    "platform_losses",
)


class LedgerAccount(models.Model):
    class Kind(models.TextChoices):
        CLIENT_FUNDING = "client_funding", "Client funding"
        ESCROW_HELD = "escrow_held", "Held in escrow"
        FREELANCER_PAYABLE = "freelancer_payable", "Freelancer payable"
        REFUNDS_PAYABLE = "refunds_payable", "Refunds payable"
        PLATFORM_REVENUE = "platform_revenue", "Platform revenue"
        PROCESSOR_FEES = "processor_fees", "Processor fees"
        PROCESSOR_CLEARING = "processor_clearing", "Processor clearing"
        DISPUTED_FUNDS = "disputed_funds", "Disputed at the processor"
        DISPUTE_FEES = "dispute_fees", "Dispute fees"
        PLATFORM_LOSSES = "platform_losses", "Platform losses"

    # Accounts whose balance may never go below zero (everything but the source of inflows and the
    # platform's own): they keep their balance in ``balance_minor``.
    GUARDED = (Kind.ESCROW_HELD, Kind.FREELANCER_PAYABLE, Kind.REFUNDS_PAYABLE)

    key = models.CharField(max_length=96, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    currency = models.CharField(max_length=3)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hold = models.ForeignKey("escrow.Hold", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # The sum of the entries, kept by the database for GUARDED accounts (NULL for the others).
    balance_minor = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=GUARDED_KINDS, balance_minor__gte=0)
                | (~Q(kind__in=GUARDED_KINDS) & Q(balance_minor__isnull=True)),
                name="escrow_ledger_guarded_balance_not_negative",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind__in=["client_funding", "freelancer_payable", "refunds_payable"],
                        user__isnull=False,
                    )
                    | Q(kind="escrow_held", hold__isnull=False)
                    | Q(
                        kind__in=PLATFORM_KINDS,
                        user__isnull=True,
                        hold__isnull=True,
                    )
                ),
                name="escrow_ledger_account_owner_fits_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.key

    @staticmethod
    def key_of(kind: str, currency: str, *, user_id: int | None = None, hold_id: int | None = None) -> str:
        owner = f"hold:{hold_id}" if hold_id else f"user:{user_id}" if user_id else "platform"
        return f"{kind}:{currency}:{owner}"


class LedgerTransaction(models.Model):
    class Kind(models.TextChoices):
        FUND = "fund", "Funded"
        RELEASE = "release", "Released"
        REFUND = "refund", "Refunded"
        TRANSFER_OUT = "transfer_out", "Transferred to the freelancer"
        REFUND_OUT = "refund_out", "Returned to the card"
        CHARGEBACK = "chargeback", "Taken by a chargeback"
        CHARGEBACK_WON = "chargeback_won", "Chargeback won"
        CHARGEBACK_LOST = "chargeback_lost", "Chargeback lost"
        PROCESSOR_FEE = "processor_fee", "Kept by the processor as its fee"
        # A refund the processor failed after it was booked as returned: owed to the payer again.
        REFUND_FAILED = "refund_failed", "Refund bounced back"

    kind = models.CharField(max_length=16, choices=Kind.choices)
    currency = models.CharField(max_length=3)
    hold = models.ForeignKey(
        "escrow.Hold", null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_transactions"
    )
    settlement = models.ForeignKey(
        "escrow.Settlement", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The processor's object this movement answers to (PaymentIntent, Transfer, Refund or Dispute id;
    # a processor fee's balance transaction).
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
