"""The ledger against the processor, one kind of money-moving object at a time (``SIDES``):
payments (PaymentIntents against fund postings), refunds (against refund_out postings) and transfers
(against transfer_out postings, and their reversals).

Two passes per kind, each bounded:

1. the processor's objects created in the window, a page at a time: each page's postings, our rows
   and the holds its metadata names are read with one query each, and every object is judged;
2. our postings created in the window, a page at a time (keyset on the id): a posting whose object
   the first pass did not meet (made before the window, or gone) is read from the processor by id.

Memory holds a page, plus the ids the first pass met (strings, one per object in the window).
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from itertools import islice

from django.db.models import Q, Sum

from ... import gateway
from ...models import Charge, Hold, LedgerTransaction, ReconciliationFinding, Refund, Transfer
from .report import BATCH, Report, money

Kind = ReconciliationFinding.Kind
Posting = LedgerTransaction.Kind


@dataclass(frozen=True)
class Side:
    """How one kind of processor object meets the ledger."""

    kind: str  # the processor's object (``gateway.LISTED_KINDS``)
    label: str  # in findings: "payment"
    posting: str  # the ledger transaction kind that records it
    posting_label: str  # in findings: "funding"
    row_model: type  # our row that asked for it, found by ``row_field``
    row_field: str
    moves: Callable[[gateway.Listed], bool]  # whether the object moved money (else it failed)
    missing_in_ledger: str  # it moved money the ledger does not show
    gone: str  # the ledger shows money moved by an object the processor does not have
    failed: str  # … by an object that did not move it
    amount_mismatch: str


PAYMENTS = Side(
    "payment_intent",
    "payment",
    Posting.FUND,
    "funding",
    Charge,
    "payment_intent_id",
    lambda obj: obj.status == "succeeded",
    Kind.CHARGE_MISSING_IN_LEDGER,
    Kind.LEDGER_FUND_WITHOUT_CHARGE,
    Kind.LEDGER_FUND_WITHOUT_CHARGE,
    Kind.AMOUNT_MISMATCH,
)
REFUNDS = Side(
    "refund",
    "refund",
    Posting.REFUND_OUT,
    "refund to the card",
    Refund,
    "processor_id",
    lambda obj: obj.status not in ("failed", "canceled"),
    Kind.REFUND_MISSING_IN_LEDGER,
    Kind.REFUND_MISSING,
    Kind.REFUND_FAILED,
    Kind.REFUND_AMOUNT_MISMATCH,
)
TRANSFERS = Side(
    "transfer",
    "transfer",
    Posting.TRANSFER_OUT,
    "payout",
    Transfer,
    "processor_id",
    lambda obj: True,  # a transfer has no status: it moved the money (reversals are judged apart)
    Kind.TRANSFER_MISSING_IN_LEDGER,
    Kind.TRANSFER_MISSING,
    Kind.TRANSFER_MISSING,
    Kind.TRANSFER_AMOUNT_MISMATCH,
)
SIDES = (PAYMENTS, REFUNDS, TRANSFERS)


def pages(items: Iterable, size: int = BATCH) -> Iterator[list]:
    iterator = iter(items)
    while page := list(islice(iterator, size)):
        yield page


def _postings(side: Side) -> "Iterable[LedgerTransaction]":
    return moved_postings(side.posting)


def moved_postings(kind: str):
    """The postings of ``kind``, each with ``moved``: what it moved (the sum of its credits)."""
    return LedgerTransaction.objects.filter(kind=kind).annotate(
        moved=Sum("entries__amount_minor", filter=Q(entries__amount_minor__gt=0))
    )


def _metadata_hold(obj: gateway.Listed) -> int | None:
    value = obj.metadata.get("hold_id", "")
    return int(value) if value.isdigit() else None


@dataclass
class _Ours:
    """What we have of a page of processor objects: postings by object id, our rows' ids by object
    id, the ids of the holds their metadata names that exist, and the holds of the payments they
    come from (a refund's PaymentIntent) by PaymentIntent id."""

    postings: dict
    rows: dict
    holds: set
    paid_holds: dict

    def hold_of(self, obj: gateway.Listed) -> int | None:
        hold = _metadata_hold(obj)
        return hold if hold in self.holds else self.paid_holds.get(obj.source)


def _ours(side: Side, page: list[gateway.Listed]) -> _Ours:
    ids = [obj.id for obj in page]
    postings = {posting.external_id: posting for posting in _postings(side).filter(external_id__in=ids)}
    field = side.row_field
    rows = dict(side.row_model.objects.filter(**{f"{field}__in": ids}).values_list(field, "pk"))
    wanted = {hold for hold in map(_metadata_hold, page) if hold is not None}
    holds = set(Hold.objects.filter(pk__in=wanted).values_list("pk", flat=True)) if wanted else set()
    sources = {obj.source for obj in page if obj.source}
    paid = Charge.objects.filter(payment_intent_id__in=sources) if sources else Charge.objects.none()
    return _Ours(postings, rows, holds, dict(paid.values_list("payment_intent_id", "hold_id")))


def _judge(report: Report, side: Side, obj: gateway.Listed, posting, ours: _Ours | None) -> None:
    """One processor object against its posting (None: the ledger has none)."""
    shown = money(obj.amount_minor, obj.currency)
    both = {
        "currency": obj.currency,
        "processor_type": obj.kind,
        "processor_id": obj.id,
        "processor_amount_minor": obj.amount_minor,
    }
    if posting is None:
        if not side.moves(obj):
            return
        row = ours.rows.get(obj.id) if ours else None
        hold = ours.hold_of(obj) if ours else None
        if row is None and hold is None:
            detail = f"Stripe has a {side.label} {obj.id} of {shown} that no hold or {side.label} here knows."
            report.add(Kind.ORPHAN_PROCESSOR_OBJECT, detail, **both)
            return
        ref = f"{side.row_model._meta.verbose_name} {row}" if row else ""
        detail = f"Stripe's {side.label} {obj.id} of {shown} has no {side.posting_label} in the ledger."
        report.add(side.missing_in_ledger, detail, ledger_ref=ref, hold_id=hold, **both)
        return
    both |= {"ledger_ref": f"ledger transaction {posting.pk}", "hold_id": posting.hold_id}
    booked = money(posting.moved, posting.currency)
    if not side.moves(obj):
        detail = (
            f"The ledger records the {side.posting_label} of {booked} by {side.label} {obj.id}, but "
            f"Stripe shows that {side.label} {obj.status or 'not done'}."
        )
        report.add(side.failed, detail, ledger_amount_minor=posting.moved, **both)
        return
    if (obj.amount_minor, obj.currency) != (posting.moved, posting.currency):
        detail = f"Stripe's {side.label} {obj.id} is {shown}; the ledger's {side.posting_label} is {booked}."
        report.add(side.amount_mismatch, detail, ledger_amount_minor=posting.moved, **both)
    if obj.reversed_minor:
        detail = (
            f"Stripe reversed {money(obj.reversed_minor, obj.currency)} of {side.label} {obj.id} "
            f"({shown}); the ledger counts all of it paid to the freelancer."
        )
        both["processor_amount_minor"] = obj.reversed_minor
        report.add(Kind.TRANSFER_REVERSED, detail, ledger_amount_minor=posting.moved, **both)


def compare(report: Report, *, side: Side, start: datetime, end: datetime) -> int:
    """Both passes for one side; the number of processor objects compared."""
    listed = gateway.list_objects(
        side.kind, created_gte=int(start.timestamp()), created_lte=int(end.timestamp())
    )
    seen: set[str] = set()
    for page in pages(listed):
        seen.update(obj.id for obj in page)
        ours = _ours(side, page)
        for obj in page:
            _judge(report, side, obj, ours.postings.get(obj.id), ours)
    compared = len(seen)
    postings = _postings(side).filter(created_at__range=(start, end)).exclude(external_id="").order_by("pk")
    last = 0
    while page := list(postings.filter(pk__gt=last)[:BATCH]):
        last = page[-1].pk
        for posting in page:
            if posting.external_id in seen:
                continue
            compared += 1
            obj = gateway.retrieve_object(side.kind, posting.external_id)
            if obj is not None:
                _judge(report, side, obj, posting, None)
                continue
            detail = (
                f"The ledger records the {side.posting_label} of {money(posting.moved, posting.currency)} "
                f"by {side.label} {posting.external_id}, but Stripe has no such {side.label}."
            )
            report.add(
                side.gone,
                detail,
                currency=posting.currency,
                processor_type=side.kind,
                processor_id=posting.external_id,
                ledger_ref=f"ledger transaction {posting.pk}",
                ledger_amount_minor=posting.moved,
                hold_id=posting.hold_id,
            )
    return compared
