"""Escrow's reads: a payee's earnings (derived from holds, settlements and transfers), the ledger of a set
of holds, and the payments a person may see a receipt of."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import CharField, Count, F, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from marketplace.core.exceptions import NotFound

from .models import (
    Charge,
    ConnectedAccount,
    Hold,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    ProcessorDiscrepancy,
    ReconciliationRun,
    Refund,
    Settlement,
    Transfer,
)

Kind = LedgerAccount.Kind


@dataclass
class Earnings:
    """A payee's money in one currency: held in escrow, released but not yet paid, paid out (and of
    that, what was paid since a given moment)."""

    currency: str
    held_minor: int = 0
    pending_minor: int = 0
    paid_minor: int = 0
    paid_since_minor: int = 0
    holds: list = field(default_factory=list)


@dataclass
class Spending:
    """A payer side's money in one currency: still held in escrow, and paid in by card since a given
    moment."""

    currency: str
    held_minor: int = 0
    spent_since_minor: int = 0


def _funded_holds(holds: QuerySet[Hold]) -> QuerySet[Hold]:
    """The funded holds among ``holds``, each annotated with what was released and refunded."""
    return holds.exclude(status=Hold.Status.PENDING).annotate(
        released=Sum("settlements__principal_minor", filter=Q(settlements__kind=Settlement.Kind.RELEASE)),
        refunded=Sum("settlements__principal_minor", filter=Q(settlements__kind=Settlement.Kind.REFUND)),
    )


def _still_held(hold: Hold) -> int:
    return hold.amount_minor - (hold.released or 0) - (hold.refunded or 0)


def earnings_of(user, *, since=None) -> list[Earnings]:
    """Per currency, with the holds that make each figure up (each hold carries ``settled`` and
    ``transfers`` for tracing a payout to the work it paid for); ``paid_since_minor`` counts the
    payouts sent at or after ``since``."""
    holds = _funded_holds(Hold.objects.filter(payee=user)).order_by("-funded_at", "-id")
    transfers = Transfer.objects.filter(destination_user=user).select_related("settlement")
    by_hold = defaultdict(list)
    for transfer in transfers:
        by_hold[transfer.settlement.hold_id].append(transfer)
    result: dict[str, Earnings] = {}
    for hold in holds:
        earnings = result.setdefault(hold.currency, Earnings(hold.currency))
        hold.transfers = by_hold.get(hold.pk, [])
        hold.held_minor = _still_held(hold)
        earnings.held_minor += hold.held_minor
        for transfer in hold.transfers:
            if transfer.status == Transfer.Status.SENT:
                earnings.paid_minor += transfer.amount_minor
                if since is not None and transfer.sent_at and transfer.sent_at >= since:
                    earnings.paid_since_minor += transfer.amount_minor
            else:
                earnings.pending_minor += transfer.amount_minor
        earnings.holds.append(hold)
    return sorted(result.values(), key=lambda e: e.currency)


def spending_of(hold_ids, *, since) -> list[Spending]:
    """Per currency, for the holds of ``hold_ids`` (a payer side's, from a visibility-filtered
    selector of the caller): what is still held in escrow and what their successful card payments
    (the amount plus the client fee) came to at or after ``since``. Two queries."""
    result: dict[str, Spending] = {}
    for hold in _funded_holds(Hold.objects.filter(pk__in=hold_ids)).exclude(status=Hold.Status.SETTLED):
        result.setdefault(hold.currency, Spending(hold.currency)).held_minor += _still_held(hold)
    paid = (
        Charge.objects.filter(hold__in=hold_ids, status=Charge.Status.SUCCEEDED, succeeded_at__gte=since)
        .values("currency")
        .annotate(total=Sum("amount_minor"))
        .order_by()
    )
    for row in paid:
        result.setdefault(row["currency"], Spending(row["currency"])).spent_since_minor += row["total"]
    return sorted(result.values(), key=lambda s: s.currency)


def ledger_balances_off() -> list[tuple[str, int, int]]:
    """The reconciliation of stored balances: (key, stored, sum of entries) of every guarded account
    whose stored balance is not the sum of its entries. Empty when the ledger is whole (the
    database keeps it so; this proves it, reading every entry)."""
    accounts = (
        LedgerAccount.objects.filter(balance_minor__isnull=False)
        .annotate(summed=Coalesce(Sum("entries__amount_minor"), 0))
        .exclude(balance_minor=F("summed"))
        .order_by("pk")
    )
    return list(accounts.values_list("key", "balance_minor", "summed"))


def ledger_of_holds(hold_ids, *, platform_costs: bool = True) -> QuerySet[LedgerTransaction]:
    """Every ledger transaction of these holds, oldest first, with entries and their accounts (and
    the settlement a release or refund carries out, with who decided it). ``platform_costs=False``
    leaves out what the platform alone bears (the processor's fee on a charge): the parties' view."""
    entries = LedgerEntry.objects.select_related("account").order_by("id")
    postings = LedgerTransaction.objects.filter(hold_id__in=list(hold_ids))
    if not platform_costs:
        postings = postings.exclude(kind=LedgerTransaction.Kind.PROCESSOR_FEE)
    return (
        postings.select_related("hold", "settlement", "settlement__created_by")
        .prefetch_related(Prefetch("entries", queryset=entries))
        .order_by("created_at", "id")
    )


def held_in_escrow(hold_ids) -> dict[int, int]:
    """What each of these holds still holds (amount and client fee not yet released or refunded),
    by hold id, in one query: the balance of each hold's own ledger account."""
    balances = LedgerAccount.objects.filter(kind=Kind.ESCROW_HELD, hold_id__in=list(hold_ids))
    return dict(balances.values_list("hold_id", "balance_minor"))


RECEIPT_KINDS = {"charge": Charge, "refund": Refund, "transfer": Transfer}


def receipt_for(*, kind: str, pk: int, viewer):
    """A payment the viewer took part in (the payer of a charge or refund, the payee of a
    transfer) or staff; anything else is not found."""
    model = RECEIPT_KINDS.get(kind)
    if model is None:
        raise NotFound("No such receipt.", code="not_found")
    if model is Charge:
        rows = Charge.objects.filter(status=Charge.Status.SUCCEEDED).select_related(
            "hold__payer", "hold__payee"
        )
        mine = Q(hold__payer=viewer)
    else:
        rows = model.objects.filter(status=model.Status.SENT).select_related(
            "settlement__hold__payer", "settlement__hold__payee"
        )
        mine = Q(settlement__hold__payer=viewer) if model is Refund else Q(settlement__hold__payee=viewer)
    if not getattr(viewer, "is_staff", False):
        rows = rows.filter(mine)
    row = rows.filter(pk=pk).first()
    if row is None:
        raise NotFound("No such receipt.", code="not_found")
    return row


def payments_of(user) -> dict[str, QuerySet]:
    """The receipts a person has: charges and refunds they paid or got back, transfers they received."""
    return {
        "charges": Charge.objects.filter(hold__payer=user, status=Charge.Status.SUCCEEDED).select_related(
            "hold"
        ),
        "refunds": Refund.objects.filter(
            settlement__hold__payer=user, status=Refund.Status.SENT
        ).select_related("settlement__hold"),
        "transfers": Transfer.objects.filter(
            destination_user=user, status=Transfer.Status.SENT
        ).select_related("settlement__hold"),
    }


RECEIPT_DATES = {"charge": "succeeded_at", "refund": "sent_at", "transfer": "sent_at"}


def receipts_of(user) -> QuerySet:
    """The person's receipts (``payments_of``) in one list, newest first, as rows of ``kind``
    ("charge", "refund", "transfer"), ``id`` and ``at``: one SQL union, so a page of it (a Paginator
    slice) is one query; ``receipts_load`` turns a page of rows into the payments themselves."""
    payments = payments_of(user)
    parts = [
        payments[f"{kind}s"]
        .order_by()
        .annotate(kind=Value(kind, output_field=CharField()), at=Coalesce(RECEIPT_DATES[kind], "created_at"))
        .values_list("id", "kind", "at")
        for kind in RECEIPT_KINDS
    ]
    return parts[0].union(*parts[1:], all=True).order_by("-at", "-id")


def receipts_load(user, rows) -> list:
    """The payments of ``rows`` (a page of ``receipts_of``), in that order: at most one query per
    kind, each payment with its hold's parties and its ``receipt_kind``."""
    wanted: dict[str, list[int]] = defaultdict(list)
    for pk, kind, _at in rows:
        wanted[kind].append(pk)
    payments = payments_of(user)
    loaded = {}
    for kind, pks in wanted.items():
        hold = "hold" if kind == "charge" else "settlement__hold"
        found = payments[f"{kind}s"].select_related(f"{hold}__payer", f"{hold}__payee").filter(pk__in=pks)
        for payment in found:
            payment.receipt_kind = kind
            loaded[kind, payment.pk] = payment
    return [loaded[kind, pk] for pk, kind, _at in rows if (kind, pk) in loaded]


def hold_latest_charge(hold_id: int | None) -> Charge | None:
    """The newest payment attempt into a hold (its decline reason, when it has one)."""
    return Charge.objects.filter(hold_id=hold_id).order_by("-id").first() if hold_id else None


def hold_latest_transfer(hold_id: int | None) -> Transfer | None:
    """The newest transfer out of a hold (whether it waits for the payee's payouts)."""
    return Transfer.objects.filter(settlement__hold_id=hold_id).order_by("-id").first() if hold_id else None


def transfers_waiting_for(user) -> int:
    """How many transfers to ``user`` wait until their payouts are enabled."""
    return Transfer.objects.filter(destination_user=user, status=Transfer.Status.BLOCKED).count()


def connected_account_of(user) -> ConnectedAccount | None:
    """The user's payout account at the processor, if they started onboarding."""
    return ConnectedAccount.objects.filter(user=user).first()


def hold_latest_refund(hold_id: int | None) -> Refund | None:
    """The newest refund out of a hold (whether it went back to the card, or is delayed)."""
    return Refund.objects.filter(settlement__hold_id=hold_id).order_by("-id").first() if hold_id else None


# Rows listed per kind on /ops/: the worst cases are few; more than this means something systemic.
ATTENTION_LIMIT = 50


def money_needing_staff() -> dict[str, list]:
    """What the recovery paths left for staff (/ops/), oldest first: transfers and refunds stuck
    after their last attempt, discrepancies with the processor nobody resolved, and holds whose
    money reached the age limit without being settled (``escrow.services.aging``)."""
    outgoing = ("settlement__hold__payer", "settlement__hold__payee")
    unsent = Transfer.objects.exclude(status=Transfer.Status.SENT).values("settlement__hold_id")
    return {
        "transfers": list(
            Transfer.objects.filter(status=Transfer.Status.STUCK)
            .select_related(*outgoing)
            .order_by("created_at", "pk")[:ATTENTION_LIMIT]
        ),
        "refunds": list(
            Refund.objects.filter(status=Refund.Status.STUCK)
            .select_related(*outgoing)
            .order_by("created_at", "pk")[:ATTENTION_LIMIT]
        ),
        "discrepancies": list(
            ProcessorDiscrepancy.objects.filter(resolved_at=None).order_by("found_at", "pk")[:ATTENTION_LIMIT]
        ),
        "aged_holds": list(
            Hold.objects.filter(age_flagged_at__isnull=False)
            .filter(Q(status__in=[Hold.Status.FUNDED, Hold.Status.FROZEN]) | Q(pk__in=unsent))
            .select_related("payer", "payee")
            .order_by("age_flagged_at", "pk")[:ATTENTION_LIMIT]
        ),
    }


def payouts_paused_until(user_id: int):
    """When the pause on transfers to this payee ends (their payout details changed); None if none."""
    account = ConnectedAccount.objects.filter(user_id=user_id)
    until = account.values_list("payouts_paused_until", flat=True).first()
    return until if until and until > timezone.now() else None


@dataclass
class ReconciliationReport:
    """What /ops/ shows of the reconciliation: the run in progress (if any), the latest finished
    run, the first ``shown`` of its findings (unexplained first) and how many it has of each."""

    running: ReconciliationRun | None
    latest: ReconciliationRun | None
    findings: list = field(default_factory=list)
    total: int = 0
    unexplained: int = 0

    @property
    def compared(self) -> list[tuple[int, str]]:
        """(count, noun) of each kind of object the latest run compared, in the report's order."""
        counts = self.latest.compared if self.latest else {}
        nouns = (("payment_intent", "payment"), ("refund", "refund"), ("transfer", "transfer"))
        return [(counts[kind], noun) for kind, noun in nouns if kind in counts]


def reconciliation_report(*, shown: int = 50) -> ReconciliationReport:
    """Four queries, whatever the number of findings."""
    runs = ReconciliationRun.objects.select_related("started_by").order_by("-started_at", "-id")
    report = ReconciliationReport(
        running=runs.filter(status=ReconciliationRun.Status.RUNNING).first(),
        latest=runs.exclude(status=ReconciliationRun.Status.RUNNING).first(),
    )
    if report.latest is not None:
        findings = report.latest.findings.select_related("explained_by")
        report.findings = list(findings.order_by(F("explained_at").desc(nulls_first=True), "id")[:shown])
        counts = findings.aggregate(total=Count("id"), unexplained=Count("id", filter=Q(explained_at=None)))
        report.total, report.unexplained = counts["total"], counts["unexplained"]
    return report
