from django.conf import settings
from django.db import models
from django.db.models import Q

from marketplace.core.money import Money


class Hold(models.Model):
    """Money a payer puts in escrow for a payee: ``amount_minor`` plus the client fee on it.

    Escrow knows nothing of what the money is for: ``reference`` is an opaque label of the caller's
    (``"milestone:42"``) and ``transfer_group`` groups the processor's charge and transfers.
    What was released or refunded is in the hold's ``Settlement`` rows and its ledger account.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting funding"
        FUNDED = "funded", "Held in escrow"
        FROZEN = "frozen", "Frozen"
        SETTLED = "settled", "Settled"

    TRANSITIONS = {
        Status.PENDING: {Status.FUNDED},
        Status.FUNDED: {Status.FROZEN, Status.SETTLED},
        Status.FROZEN: {Status.FUNDED, Status.SETTLED},
    }

    payer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="holds_paid")
    payee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="holds_owed")
    currency = models.CharField(max_length=3)
    amount_minor = models.PositiveBigIntegerField()
    client_fee_bp = models.PositiveIntegerField()
    freelancer_fee_bp = models.PositiveIntegerField()
    # The fees on the whole amount, fixed when the hold is made (a milestone's come from its
    # contract's split); partial settlements divide them (``escrow.fees.fee_share``).
    client_fee_minor = models.PositiveBigIntegerField()
    freelancer_fee_minor = models.PositiveBigIntegerField()
    reference = models.CharField(max_length=64, unique=True)
    transfer_group = models.CharField(max_length=64)
    description = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    funded_at = models.DateTimeField(null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    # The processor's limit on how long a charge's money may wait for its transfer
    # (escrow/services/aging.py): when both sides were warned, and when staff were asked to act.
    age_warned_at = models.DateTimeField(null=True, blank=True)
    age_flagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_minor__gt=0), name="escrow_hold_amount_positive"),
            models.CheckConstraint(
                condition=Q(client_fee_bp__lte=10_000, freelancer_fee_bp__lte=10_000),
                name="escrow_hold_fees_bounded",
            ),
            models.CheckConstraint(condition=~Q(payer=models.F("payee")), name="escrow_hold_two_parties"),
            models.CheckConstraint(
                condition=Q(freelancer_fee_minor__lte=models.F("amount_minor")),
                name="escrow_hold_fee_within_amount",
            ),
        ]
        indexes = [models.Index(fields=["payee", "status"]), models.Index(fields=["payer", "status"])]

    def __str__(self) -> str:
        return f"Hold {self.pk} ({self.reference})"

    @property
    def amount(self) -> Money:
        return Money(self.amount_minor, self.currency)

    @property
    def charge_amount_minor(self) -> int:
        """What the payer's card is charged: the amount plus the client fee."""
        return self.amount_minor + self.client_fee_minor


class Settlement(models.Model):
    """One decision about part of a hold's amount: released to the payee or refunded to the payer.

    ``principal_minor`` is the part of the hold's amount; the fees on that part are its share of the
    hold's fees (``escrow.fees.fee_share``: cumulative, so the parts add up to the hold's fees).
    """

    class Kind(models.TextChoices):
        RELEASE = "release", "Release"
        REFUND = "refund", "Refund"

    hold = models.ForeignKey(Hold, on_delete=models.PROTECT, related_name="settlements")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    principal_minor = models.PositiveBigIntegerField()
    client_fee_minor = models.PositiveBigIntegerField()
    freelancer_fee_minor = models.PositiveBigIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["hold", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(principal_minor__gt=0), name="escrow_settlement_positive"),
            models.CheckConstraint(
                condition=Q(kind="release") | Q(freelancer_fee_minor=0),
                name="escrow_settlement_refund_has_no_freelancer_fee",
            ),
            models.CheckConstraint(
                condition=Q(freelancer_fee_minor__lte=models.F("principal_minor")),
                name="escrow_settlement_fee_within_part",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.principal_minor} from hold {self.hold_id}"

    @property
    def payee_amount_minor(self) -> int:
        """Release: what the payee receives. Refund: what goes back to the payer (part + its fee)."""
        if self.kind == self.Kind.RELEASE:
            return self.principal_minor - self.freelancer_fee_minor
        return self.principal_minor + self.client_fee_minor
