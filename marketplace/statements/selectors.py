"""Statements, read from the ledger (``escrow.models.ledger``): a person's or an organisation's
money over a date range, line by line with running balances, and a freelancer's yearly earnings.

A statement has one section per side and currency, each the movements of ledger accounts:

- **client** — the escrow accounts (``escrow_held``) of the holds the subject pays for: a person's
  own holds as payer; an organisation's, the holds of its contracts' milestones and billed weeks.
  Its balance is what is held in escrow for the subject. A funding adds the amount and the client
  fee (two lines), a release takes the part released and its client fee (the platform's revenue
  from then on), a refund takes the part refunded and its client fee (both go back to the card;
  the refund's return to the card is on its receipt).
- **freelancer** — the person's ``freelancer_payable`` account: released to them, not yet paid out.
  A release adds the part released and takes its freelancer fee (two lines), a payout (a transfer
  to their Stripe account) takes what it carried.

Each ledger entry on those accounts is one or two lines whose amounts add up to the entry, so a
section's closing balance is its opening balance plus the sum of its lines, and both are sums of
ledger entries: the statement reconciles to the ledger to the cent (tests/statements).

Four queries whatever the number of lines: the opening balances, the entries (with their
transaction, settlement, hold and parties), and the milestones and billed weeks the holds pay for.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db.models import Q, QuerySet, Sum

from escrow.models import Hold, LedgerAccount, LedgerEntry, LedgerTransaction
from marketplace.contracts.models import Milestone
from marketplace.hourly.models import Timesheet
from marketplace.organisations.models import Organisation

from .ranges import DateRange

Kind = LedgerAccount.Kind
Posting = LedgerTransaction.Kind

CLIENT, FREELANCER = "client", "freelancer"

# What each kind of line is, in the totals' order and words.
LINE_KINDS = {
    CLIENT: (
        ("charge", "Paid into escrow"),
        ("client_fee", "Client fees paid"),
        ("release", "Released to freelancers"),
        ("client_fee_earned", "Client fees kept on release"),
        ("refund", "Refunded"),
        ("client_fee_refund", "Client fees refunded"),
        ("other", "Other movements"),
    ),
    FREELANCER: (
        ("release", "Released to you"),
        ("freelancer_fee", "Freelancer fees"),
        ("payout", "Paid out to your Stripe account"),
        ("other", "Other movements"),
    ),
}
SIDE_TITLE = {CLIENT: "Payments for work (as a client)", FREELANCER: "Earnings (as a freelancer)"}
BALANCE_MEANS = {
    CLIENT: "held in escrow for your work",
    "organisation": "held in escrow for the organisation's work",
    FREELANCER: "released to you, not yet paid out",
}


@dataclass
class Line:
    at: datetime
    kind: str
    label: str  # what happened, in plain words
    purpose: str  # what the money was for (the milestone or week)
    reference: str  # the hold's reference ("milestone:42", "timesheet:7")
    amount_minor: int  # its effect on the balance (+ in, - out)
    transaction_id: int
    balance_minor: int = 0
    hold_id: int | None = None
    settlement_id: int | None = None
    receipt: tuple[str, int] | None = None  # (kind, id) of its receipt: a charge, refund or payout


@dataclass
class Section:
    side: str
    currency: str
    opening_minor: int = 0
    lines: list[Line] = field(default_factory=list)
    organisation: bool = False  # an organisation's statement (its words: "the organisation's work")

    @property
    def title(self) -> str:
        return SIDE_TITLE[self.side]

    @property
    def balance_means(self) -> str:
        return BALANCE_MEANS["organisation" if self.organisation else self.side]

    @property
    def closing_minor(self) -> int:
        return self.opening_minor + sum(line.amount_minor for line in self.lines)

    @property
    def totals(self) -> list[tuple[str, str, int]]:
        """(kind, label, sum) of each kind of line this side has, in order; kinds without lines are
        left out, except the side's usual ones (shown as zero)."""
        sums: dict[str, int] = defaultdict(int)
        for line in self.lines:
            sums[line.kind] += line.amount_minor
        return [
            (kind, label, sums.get(kind, 0))
            for kind, label in LINE_KINDS[self.side]
            if kind != "other" or kind in sums
        ]


@dataclass
class Statement:
    subject: str  # whose: a person's name or an organisation's
    period: DateRange
    sections: list[Section]

    @property
    def line_count(self) -> int:
        return sum(len(section.lines) for section in self.sections)


def _person(user) -> str:
    return (user.get_full_name() or user.email) if user is not None else "someone"


def _purposes(hold_ids) -> dict[int, str]:
    """What each hold pays for, in words: its milestone and contract, or its billed week."""
    purposes: dict[int, str] = {}
    milestones = Milestone.objects.filter(hold_id__in=hold_ids).select_related("contract")
    for milestone in milestones:
        purposes[milestone.hold_id] = f"Milestone “{milestone.title}” of “{milestone.contract.title}”"
    weeks = Timesheet.objects.filter(hold_id__in=hold_ids).select_related("contract")
    for week in weeks:
        purposes[week.hold_id] = f"Week of {week.week_start:%-d %b %Y} of “{week.contract.title}”"
    return purposes


def _lines(entry: LedgerEntry, side: str, purpose: str, *, organisation: bool = False) -> list[Line]:
    """The entry as statement lines (one or two) whose amounts add up to the entry's. On an
    organisation's statement a refund names who paid (and gets it back), not "you"."""
    posting: LedgerTransaction = entry.transaction
    hold: Hold | None = posting.hold
    settlement = posting.settlement
    amount = entry.amount_minor

    def line(kind: str, label: str, minor: int) -> Line:
        return Line(
            at=posting.created_at,
            kind=kind,
            label=label,
            purpose=purpose,
            reference=hold.reference if hold else "",
            amount_minor=minor,
            transaction_id=posting.pk,
            hold_id=posting.hold_id,
            settlement_id=posting.settlement_id,
        )

    parts: list[Line] = []
    if side == CLIENT and hold is not None:
        if posting.kind == Posting.FUND and amount == hold.amount_minor + hold.client_fee_minor:
            parts = [line("charge", f"Card payment into escrow for {_person(hold.payee)}", hold.amount_minor)]
            if hold.client_fee_minor:
                parts.append(line("client_fee", "Client fee on the payment", hold.client_fee_minor))
        elif settlement is not None and -amount == settlement.principal_minor + settlement.client_fee_minor:
            if posting.kind == Posting.RELEASE:
                parts = [line("release", f"Released to {_person(hold.payee)}", -settlement.principal_minor)]
                fee_kind, fee_label = "client_fee_earned", "Client fee on the release (kept by the platform)"
            elif posting.kind == Posting.REFUND:
                to = f"to {_person(hold.payer)}" if organisation else "to you"
                parts = [line("refund", f"Refunded {to}", -settlement.principal_minor)]
                fee_kind, fee_label = "client_fee_refund", f"Client fee refunded {to}"
            if parts and settlement.client_fee_minor:
                parts.append(line(fee_kind, fee_label, -settlement.client_fee_minor))
    elif side == FREELANCER and hold is not None:
        if (
            posting.kind == Posting.RELEASE
            and settlement is not None
            and amount == settlement.principal_minor - settlement.freelancer_fee_minor
        ):
            parts = [line("release", f"Released to you by {_person(hold.payer)}", settlement.principal_minor)]
            if settlement.freelancer_fee_minor:
                parts.append(line("freelancer_fee", "Freelancer fee", -settlement.freelancer_fee_minor))
        elif posting.kind == Posting.TRANSFER_OUT:
            parts = [line("payout", "Paid out to your Stripe account", amount)]
    if not parts:  # anything else the ledger holds: as it is, named by the ledger's own words
        parts = [line("other", posting.get_kind_display(), amount)]
    return parts


def _attach_receipts(lines: list[Line]) -> None:
    """Each card payment, refund and payout line with the receipt of its payment (once the payment
    went through): three queries, whatever the number of lines."""
    from escrow.models import Charge, Refund, Transfer

    charges = {line.hold_id for line in lines if line.kind == "charge"}
    refunds = {line.settlement_id for line in lines if line.kind == "refund"}
    payouts = {line.settlement_id for line in lines if line.kind == "payout"}
    found: dict[tuple[str, int], int] = {}
    if charges:
        paid = Charge.objects.filter(hold_id__in=charges, status=Charge.Status.SUCCEEDED)
        found.update((("charge", hold), pk) for hold, pk in paid.values_list("hold_id", "pk"))
    if refunds:
        sent = Refund.objects.filter(settlement_id__in=refunds, status=Refund.Status.SENT)
        found.update((("refund", s), pk) for s, pk in sent.values_list("settlement_id", "pk"))
    if payouts:
        sent = Transfer.objects.filter(settlement_id__in=payouts, status=Transfer.Status.SENT)
        found.update((("payout", s), pk) for s, pk in sent.values_list("settlement_id", "pk"))
    receipt_kind = {"charge": "charge", "refund": "refund", "payout": "transfer"}
    for line in lines:
        key = line.hold_id if line.kind == "charge" else line.settlement_id
        if line.kind in receipt_kind and (line.kind, key) in found:
            line.receipt = (receipt_kind[line.kind], found[line.kind, key])


def _statement(
    subject: str, period: DateRange, accounts: QuerySet[LedgerAccount], *, organisation: bool = False
) -> Statement:
    sections: dict[tuple[str, str], Section] = {}

    def section(kind: str, currency: str) -> Section:
        side = FREELANCER if kind == Kind.FREELANCER_PAYABLE else CLIENT
        return sections.setdefault((side, currency), Section(side, currency, organisation=organisation))

    entries = LedgerEntry.objects.filter(account__in=accounts)
    opening = (
        entries.filter(transaction__created_at__lt=period.starts_at)
        .values("account__kind", "account__currency")
        .annotate(total=Sum("amount_minor"))
        .order_by()
    )
    for row in opening:
        section(row["account__kind"], row["account__currency"]).opening_minor += row["total"]
    during = list(
        entries.filter(
            transaction__created_at__gte=period.starts_at, transaction__created_at__lt=period.ends_before
        )
        .select_related(
            "account",
            "transaction",
            "transaction__settlement",
            "transaction__hold",
            "transaction__hold__payer",
            "transaction__hold__payee",
        )
        .order_by("transaction__created_at", "transaction_id", "id")
    )
    purposes = _purposes({entry.transaction.hold_id for entry in during if entry.transaction.hold_id})
    for entry in during:
        into = section(entry.account.kind, entry.account.currency)
        hold = entry.transaction.hold
        purpose = purposes.get(hold.pk) or hold.description or hold.reference if hold else ""
        into.lines.extend(_lines(entry, into.side, purpose, organisation=organisation))
    ordered = sorted(sections.values(), key=lambda s: (s.side != CLIENT, s.currency))
    _attach_receipts([line for each in ordered for line in each.lines])
    for each in ordered:
        running = each.opening_minor
        for line in each.lines:
            running += line.amount_minor
            line.balance_minor = running
    return Statement(subject=subject, period=period, sections=ordered)


def statement_of_user(user, period: DateRange) -> Statement:
    """The person's own money: the holds they pay for, and what is released and paid out to them."""
    accounts = LedgerAccount.objects.filter(
        Q(kind=Kind.ESCROW_HELD, hold__payer=user) | Q(kind=Kind.FREELANCER_PAYABLE, user=user)
    )
    return _statement(_person(user), period, accounts)


def organisation_hold_ids(organisation: Organisation) -> QuerySet:
    """The holds of the organisation's contracts: their milestones' and their billed weeks'."""
    milestones = Milestone.objects.filter(contract__organisation=organisation, hold__isnull=False)
    weeks = Timesheet.objects.filter(contract__organisation=organisation, hold__isnull=False)
    return Hold.objects.filter(Q(pk__in=milestones.values("hold_id")) | Q(pk__in=weeks.values("hold_id")))


def statement_of_organisation(organisation: Organisation, period: DateRange) -> Statement:
    """The organisation's payments for work: the holds of its contracts (whoever paid them)."""
    accounts = LedgerAccount.objects.filter(
        kind=Kind.ESCROW_HELD, hold__in=organisation_hold_ids(organisation).values("pk")
    )
    return _statement(organisation.name, period, accounts, organisation=True)


# ---- the yearly earnings statement -----------------------------------------------------------

# The payment rails a payment can reach a freelancer by. Today every payment is a card charge by
# the client, settled to the freelancer by Stripe Connect transfers: the processor rail.
PROCESSOR_RAIL = "processor"
RAIL_NAMES = {
    PROCESSOR_RAIL: "Payment processor (Stripe Connect: card payments settled to your Stripe account)",
    "direct": "Direct payments outside card and payment networks (none: this marketplace makes none)",
}
# The 2026 US thresholds as PRODUCT.md states them, in US cents.
NEC_THRESHOLD_MINOR = 200_000  # 1099-NEC: $2,000 for payments outside card/payment networks
K_THRESHOLD_MINOR = 2_000_000  # 1099-K, by the processor: above $20,000 ...
K_THRESHOLD_COUNT = 200  # ... and 200 transactions


@dataclass
class RailTotals:
    rail: str
    currency: str
    released_minor: int = 0  # the gross released to the freelancer (before their fee)
    fees_minor: int = 0  # freelancer fees taken on those releases
    releases: int = 0
    paid_out_minor: int = 0  # payouts (transfers) sent to their Stripe account
    payouts: int = 0

    @property
    def name(self) -> str:
        return RAIL_NAMES[self.rail]

    @property
    def net_minor(self) -> int:
        return self.released_minor - self.fees_minor


@dataclass
class Threshold:
    form: str
    rule: str  # as PRODUCT.md states it
    counted: str  # what the marketplace counted for it
    amount_minor: int
    count: int
    amount_limit_minor: int
    count_limit: int | None

    @property
    def amount_crossed(self) -> bool:
        if self.count_limit is None:  # 1099-NEC: reaching the amount
            return self.amount_minor >= self.amount_limit_minor
        return self.amount_minor > self.amount_limit_minor

    @property
    def count_crossed(self) -> bool | None:
        return None if self.count_limit is None else self.count > self.count_limit

    @property
    def crossed(self) -> bool:
        return self.amount_crossed and self.count_crossed is not False


@dataclass
class YearlyEarnings:
    person: str
    year: int
    rails: list[RailTotals]
    thresholds: list[Threshold]

    @property
    def empty(self) -> bool:
        return not any(r.releases or r.payouts for r in self.rails)


def yearly_earnings(user, year: int) -> YearlyEarnings:
    """The freelancer's releases and payouts of a calendar year (UTC), per rail and currency, read
    from their ``freelancer_payable`` ledger account; and the 2026 US thresholds checked against the
    US-dollar figures. One query."""
    start, end = datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    entries = LedgerEntry.objects.filter(
        account__kind=Kind.FREELANCER_PAYABLE,
        account__user=user,
        transaction__created_at__gte=start,
        transaction__created_at__lt=end,
    ).select_related("account", "transaction", "transaction__settlement")
    rails: dict[str, RailTotals] = {}
    for entry in entries:
        currency = entry.account.currency
        totals = rails.setdefault(currency, RailTotals(PROCESSOR_RAIL, currency))
        posting, settlement = entry.transaction, entry.transaction.settlement
        if posting.kind == Posting.RELEASE and settlement is not None:
            totals.released_minor += settlement.principal_minor
            totals.fees_minor += settlement.freelancer_fee_minor
            totals.releases += 1
        elif posting.kind == Posting.TRANSFER_OUT:
            totals.paid_out_minor += -entry.amount_minor
            totals.payouts += 1
    usd = rails.get("USD", RailTotals(PROCESSOR_RAIL, "USD"))
    thresholds = [
        Threshold(
            form="1099-NEC",
            rule="1099-NEC $2,000 for payments outside card/payment networks",
            counted="Payments to you outside card and payment networks: this marketplace makes none, "
            "so nothing counts toward it here.",
            amount_minor=0,
            count=0,
            amount_limit_minor=NEC_THRESHOLD_MINOR,
            count_limit=None,
        ),
        Threshold(
            form="1099-K",
            rule="payments settled through a payment processor are reported on 1099-K by the processor "
            "above $20,000 and 200 transactions",
            counted="Payouts settled to your Stripe account in the year (in US dollars).",
            amount_minor=usd.paid_out_minor,
            count=usd.payouts,
            amount_limit_minor=K_THRESHOLD_MINOR,
            count_limit=K_THRESHOLD_COUNT,
        ),
    ]
    return YearlyEarnings(
        person=_person(user),
        year=year,
        rails=sorted(rails.values(), key=lambda r: r.currency),
        thresholds=thresholds,
    )


# ---- an organisation's receipts ------------------------------------------------------------


def organisations_with_statements(viewer) -> QuerySet:
    """The organisations whose statements (and receipts) ``viewer``'s role lets them see."""
    from marketplace.organisations.models import Membership
    from marketplace.organisations.permissions import ROLE_PERMISSIONS

    if not getattr(viewer, "is_authenticated", False) or viewer.is_suspended:
        return Organisation.objects.none()
    roles = [role for role, granted in ROLE_PERMISSIONS.items() if "view_statements" in granted]
    return Membership.objects.filter(user=viewer, role__in=roles).values("organisation")


def organisation_receipt_for(*, kind: str, pk: int, viewer):
    """A charge or refund of a hold of an organisation whose statements ``viewer`` may see (its
    owners and finance members open the receipts of what the organisation paid, whoever paid
    it); None otherwise. Payouts are the freelancer's: never an organisation's receipt."""
    from escrow.models import Charge, Refund

    organisations = organisations_with_statements(viewer)
    org_holds = Hold.objects.filter(
        Q(milestone__contract__organisation__in=organisations)
        | Q(timesheet__contract__organisation__in=organisations)
    ).values("pk")
    if kind == "charge":
        rows = Charge.objects.filter(status=Charge.Status.SUCCEEDED, hold__in=org_holds)
        return rows.select_related("hold__payer", "hold__payee").filter(pk=pk).first()
    if kind == "refund":
        rows = Refund.objects.filter(status=Refund.Status.SENT, settlement__hold__in=org_holds)
        return rows.select_related("settlement__hold__payer", "settlement__hold__payee").filter(pk=pk).first()
    return None
