"""Stripe's disputes (chargebacks) against our ``ChargeDispute`` rows, which the ``charge.dispute.*``
events keep current (escrow/services/chargebacks.py) and whose ``chargeback`` / ``_won`` / ``_lost``
postings move the money: a dispute we never recorded, one Stripe closed that we have open (or closed
the other way), and one of another amount.

One pass over the disputes created in the window, a page at a time, with one query per page. (Every
dispute Stripe reports is recorded here, ours or not, so a row Stripe does not list has no second
pass: the rows are made only from disputes read back from Stripe.)
"""

from datetime import datetime

from ... import gateway
from ...models import ChargeDispute
from .processor import Kind, pages
from .report import Report, money

KIND = "dispute"
CLOSED = {ChargeDispute.Outcome.WON, ChargeDispute.Outcome.LOST}


def _judge(report: Report, dispute: gateway.Listed, row: ChargeDispute | None) -> None:
    shown = money(dispute.amount_minor, dispute.currency)
    both = {
        "currency": dispute.currency,
        "processor_type": KIND,
        "processor_id": dispute.id,
        "processor_amount_minor": dispute.amount_minor,
    }
    if row is None:
        detail = (
            f"Stripe has a dispute {dispute.id} of {shown} ({dispute.status}) on payment "
            f"{dispute.source or 'unknown'} that was never recorded here."
        )
        report.add(Kind.DISPUTE_NOT_RECORDED, detail, **both)
        return
    both |= {
        "ledger_ref": f"charge dispute {row.pk}",
        "hold_id": row.hold_id,
        "ledger_amount_minor": row.amount_minor,
    }
    stripe_outcome = dispute.status if dispute.status in CLOSED else ""
    if stripe_outcome != row.outcome:
        detail = (
            f"Stripe's dispute {dispute.id} is {dispute.status}; here it is "
            f"{row.outcome or 'open'} ({row.status})."
        )
        report.add(Kind.DISPUTE_STATUS_MISMATCH, detail, **both)
    if (dispute.amount_minor, dispute.currency) != (row.amount_minor, row.currency):
        ours = money(row.amount_minor, row.currency)
        detail = f"Stripe's dispute {dispute.id} is for {shown}; here it is for {ours}."
        report.add(Kind.DISPUTE_AMOUNT_MISMATCH, detail, **both)


def compare_disputes(report: Report, *, start: datetime, end: datetime) -> int:
    """The pass; the number of disputes compared."""
    listed = gateway.list_objects(KIND, created_gte=int(start.timestamp()), created_lte=int(end.timestamp()))
    compared = 0
    for page in pages(listed):
        rows = ChargeDispute.objects.in_bulk([dispute.id for dispute in page], field_name="dispute_id")
        for dispute in page:
            _judge(report, dispute, rows.get(dispute.id))
        compared += len(page)
    return compared
