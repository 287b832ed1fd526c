"""The processor's fees: what Stripe kept of each of our charges (the ``fee`` of the charge's balance
transaction) against the ledger's ``processor_fee`` postings, whose ``external_id`` is that balance
transaction's id (escrow/services/charges.py books them).

The same two bounded passes as the other sides (``processor``): the balance transactions created in
the window a page at a time (a charge nobody here made is the payments' orphan, not a fee finding),
then the fee postings of the window the first pass did not meet, read by id.
"""

from datetime import datetime

from ... import gateway
from ...models import Charge, LedgerTransaction
from .processor import Kind, moved_postings, pages
from .report import BATCH, Report, money

KIND = "balance_transaction"


def _fee_postings():
    return moved_postings(LedgerTransaction.Kind.PROCESSOR_FEE)


def _judge(report: Report, txn: gateway.Listed, posting) -> None:
    """A charge's balance transaction against its fee posting (None: the ledger has none)."""
    both = {"currency": txn.currency, "processor_type": KIND, "processor_id": txn.id}
    kept = money(txn.fee_minor, txn.currency)
    if posting is None:
        if txn.fee_minor:
            detail = f"Stripe kept {kept} of charge {txn.source} ({txn.id}); the ledger has no such fee."
            report.add(Kind.FEE_MISSING_IN_LEDGER, detail, processor_amount_minor=txn.fee_minor, **both)
        return
    if (txn.fee_minor, txn.currency) != (posting.moved, posting.currency):
        detail = (
            f"Stripe kept {kept} of charge {txn.source} ({txn.id}); the ledger's fee is "
            f"{money(posting.moved, posting.currency)}."
        )
        report.add(
            Kind.FEE_AMOUNT_MISMATCH,
            detail,
            processor_amount_minor=txn.fee_minor,
            ledger_ref=f"ledger transaction {posting.pk}",
            ledger_amount_minor=posting.moved,
            hold_id=posting.hold_id,
            **both,
        )


def compare_fees(report: Report, *, start: datetime, end: datetime) -> int:
    """Both passes; the number of balance transactions of our charges compared."""
    listed = gateway.list_objects(KIND, created_gte=int(start.timestamp()), created_lte=int(end.timestamp()))
    seen: set[str] = set()
    for page in pages(listed):
        charges = [txn for txn in page if txn.type == "charge"]
        ours = set(
            Charge.objects.filter(charge_id__in=[t.source for t in charges]).values_list(
                "charge_id", flat=True
            )
        )
        charges = [txn for txn in charges if txn.source in ours]
        postings = {p.external_id: p for p in _fee_postings().filter(external_id__in=[t.id for t in charges])}
        for txn in charges:
            seen.add(txn.id)
            _judge(report, txn, postings.get(txn.id))
    compared = len(seen)
    postings = _fee_postings().filter(created_at__range=(start, end)).order_by("pk")
    last = 0
    while page := list(postings.filter(pk__gt=last)[:BATCH]):
        last = page[-1].pk
        for posting in (p for p in page if p.external_id not in seen):
            compared += 1
            txn = gateway.retrieve_object(KIND, posting.external_id)
            if txn is not None:
                _judge(report, txn, posting)
                continue
            report.add(
                Kind.FEE_WITHOUT_BALANCE_TRANSACTION,
                f"The ledger books a processor fee of {money(posting.moved, posting.currency)} from balance "
                f"transaction {posting.external_id}, but Stripe has no such balance transaction.",
                currency=posting.currency,
                processor_type=KIND,
                processor_id=posting.external_id,
                ledger_ref=f"ledger transaction {posting.pk}",
                ledger_amount_minor=posting.moved,
                hold_id=posting.hold_id,
            )
    return compared
