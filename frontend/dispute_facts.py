"""What a dispute page shows, for both the parties' page and support's case page: the deadline that
runs, each side's evidence, the offers, and what each side receives from a split (the escrow's own
fee shares, so the page says exactly what ``hold_split`` will pay).

Composed from the disputes' models and selectors; the pages call services for every change."""

from dataclasses import dataclass

from django.db.models import Prefetch, prefetch_related_objects

from escrow.fees import fee_share
from marketplace.disputes.models import Dispute, DisputedEntry, DisputeEvidence, SettlementOffer
from marketplace.disputes.selectors import dispute_money
from marketplace.hourly.weeks import amount_minor

SIDE_LABEL = {Dispute.Side.CLIENT: "The client", Dispute.Side.FREELANCER: "The freelancer"}


@dataclass(frozen=True)
class SplitShown:
    """A split of a hold's amount and what each side ends up with from it."""

    release_minor: int  # of the milestone's amount, to the freelancer (before their fee)
    refund_minor: int  # of the milestone's amount, back to the client
    freelancer_receives_minor: int  # after the freelancer fee on the released part
    client_gets_back_minor: int  # with the client fee on the refunded part
    currency: str


def split_shown(hold, release_minor: int, refund_minor: int) -> SplitShown:
    """What a release of ``release_minor`` and a refund of ``refund_minor`` pay each side, as
    ``escrow.services.holds.hold_split`` settles them (the release first, then the refund)."""
    whole = hold.amount_minor
    freelancer_fee = fee_share(hold.freelancer_fee_minor, whole, release_minor) if release_minor else 0
    client_fee = (
        fee_share(hold.client_fee_minor, whole, refund_minor, before_minor=release_minor)
        if refund_minor
        else 0
    )
    return SplitShown(
        release_minor=release_minor,
        refund_minor=refund_minor,
        freelancer_receives_minor=release_minor - freelancer_fee,
        client_gets_back_minor=refund_minor + client_fee,
        currency=hold.currency,
    )


def held_now(dispute: Dispute) -> int:
    """What the dispute's hold still holds (principal): what an offer or a decision divides."""
    return dispute_money(dispute)["held"].amount_minor


def deadline_of(dispute: Dispute) -> dict | None:
    """The clock both sides see: the time to respond while open, support's decision target once
    escalated; None when nothing waits."""
    if dispute.status == Dispute.Status.OPEN and dispute.respond_by:
        return {"at": dispute.respond_by, "kind": "respond", "what": "Response due"}
    if dispute.status == Dispute.Status.ESCALATED and dispute.decide_by:
        return {"at": dispute.decide_by, "kind": "decide", "what": "Support decides by"}
    return None


def evidence_by_side(dispute: Dispute) -> dict[str, list[DisputeEvidence]]:
    rows = dispute.evidence.select_related("submitted_by").prefetch_related("attachments")
    sides = {Dispute.Side.CLIENT: [], Dispute.Side.FREELANCER: []}
    for row in rows:
        sides.setdefault(row.side, []).append(row)
    return sides


def offers_shown(dispute: Dispute) -> list[dict]:
    """Every offer, newest first, with what each side would receive."""
    return [
        {"offer": offer, "split": split_shown(dispute.hold, offer.release_minor, offer.refund_minor)}
        for offer in dispute.offers.select_related("proposed_by", "answered_by")
    ]


def decision_shown(dispute: Dispute, money: dict) -> SplitShown | None:
    """The money each side received from a decision or a settlement (``selectors.dispute_money``:
    from the settlements the escrow made)."""
    if dispute.status not in (Dispute.Status.DECIDED, Dispute.Status.SETTLED):
        return None
    return SplitShown(
        release_minor=money["released"].amount_minor,
        refund_minor=money["refunded"].amount_minor,
        freelancer_receives_minor=money["freelancer_receives"].amount_minor,
        client_gets_back_minor=money["client_receives"].amount_minor,
        currency=dispute.currency,
    )


def load_rows(disputes) -> list[Dispute]:
    """A page of disputes with what a list row shows, in a fixed number of queries."""
    rows = list(disputes)
    prefetch_related_objects(
        rows,
        "contract__client",
        "contract__freelancer",
        "milestone",
        "hold",
        "assigned_to",
        Prefetch("offers", queryset=SettlementOffer.objects.filter(status=SettlementOffer.Status.OPEN)),
    )
    return rows


def week_entry_costs(timesheet) -> list[tuple]:
    """(entry, what its minutes cost at the week's rate) of each of the week's entries, in time order."""
    rate = timesheet.rate_minor or 0
    return [
        (entry, amount_minor(entry.minutes, rate)) for entry in timesheet.entries.order_by("started_at", "pk")
    ]


def week_shown(dispute: Dispute) -> dict | None:
    """An hourly week's dispute: the week, and each of its entries with its cost and what of it is
    in question (None for an entry not in question); None for a milestone's dispute."""
    if not dispute.timesheet_id:
        return None
    timesheet = dispute.timesheet
    in_question = {row.entry_id: row for row in DisputedEntry.objects.filter(dispute=dispute)}
    rows = [
        {"entry": entry, "cost_minor": cost, "in_question": in_question.get(entry.pk)}
        for entry, cost in week_entry_costs(timesheet)
    ]
    return {
        "timesheet": timesheet,
        "rows": rows,
        "minutes_in_question": sum(row.minutes for row in in_question.values()),
        "amount_in_question_minor": sum(row.amount_minor for row in in_question.values()),
    }
