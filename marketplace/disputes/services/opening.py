"""Opening a dispute (the money frozen at once) and the opener withdrawing it (unfrozen: the
milestone goes on where it was; a cancellation's refund follows at its time; a week goes back to
review). A week of an hourly contract is disputed on the entries in question, each with the minutes
and the amount of it in question."""

from django.db import transaction
from django.utils import timezone

from escrow.locks import lock_hold
from escrow.services.holds import hold_freeze, hold_unfreeze
from marketplace.contracts.locks import milestone_under_hold
from marketplace.contracts.models import Milestone
from marketplace.core.audit import audit_record
from marketplace.core.exceptions import InvalidInput, PermissionDenied
from marketplace.core.money import Money
from marketplace.hourly.models import TimeEntry, Timesheet
from marketplace.hourly.services.review import (
    timesheet_dispute_opened,
    timesheet_open_for_dispute,
    timesheet_settle_by_dispute,
)
from marketplace.hourly.weeks import amount_minor as entry_amount_minor

from .. import deadlines, events
from ..locks import dispute_under_hold
from ..models import Dispute, DisputedEntry
from ..permissions import contract_side, opening_terms, refuse_outsider, require_side
from .common import (
    dispute_end,
    evidence_create,
    files_checked,
    held_minor,
    minor_of,
    require_active,
    require_no_open_chargeback,
    text,
)

# What a party may give as the reason (a chargeback is the processor's).
PARTY_REASONS = {choice for choice in Dispute.Reason.values if choice != Dispute.Reason.CHARGEBACK}


@transaction.atomic
def dispute_open(
    *, acting_user, milestone: Milestone, reason: str, description: str, amount: Money, files=()
) -> Dispute:
    """Open a dispute on the milestone's money and freeze its hold, in one transaction under the
    hold's lock (the state is read under it: an approval or a sweep that got there first has moved
    the milestone, and the opening is refused by what it left)."""
    contract = milestone.contract
    if contract_side(acting_user, contract) is None:
        refuse_outsider(acting_user, contract, "milestone_not_found")
    if reason not in PARTY_REASONS:
        raise InvalidInput("Choose a reason.", code="reason_invalid", fields={"reason": ["Choose one."]})
    description = text(description, "description", least=10, what="Say what the dispute is about")
    currency = contract.currency
    amount_minor = minor_of(amount, currency, "amount")
    checked = files_checked(files)
    current = milestone_under_hold(milestone, active=False)
    hold = lock_hold(current.hold_id) if current.hold_id else None
    kind, side = opening_terms(acting_user, current, hold_status=hold.status if hold else "")
    held = held_minor(hold)
    if amount_minor > held:
        raise InvalidInput(
            f"Only {Money(held, currency)} is held for this milestone.",
            code="amount_exceeds_held",
            fields={"amount": [f"At most {Money(held, currency)}."]},
        )
    hold_freeze(hold=hold, acting_user=acting_user, reason=f"Dispute opened: {current.title}"[:255])
    now = timezone.now()
    dispute = Dispute.objects.create(
        kind=kind,
        contract=current.contract,
        milestone=current,
        hold=hold,
        opened_by=acting_user,
        opened_by_side=side,
        reason=reason,
        description=description,
        amount_minor=amount_minor,
        currency=currency,
        respond_by=deadlines.respond_by(now),
    )
    if checked:
        evidence_create(dispute=dispute, user=acting_user, side=side, statement="", checked=checked)
    audit_record(
        actor=acting_user,
        action="disputes.open",
        target=dispute,
        summary=f"Dispute on {current} for {Money(amount_minor, currency)}",
        kind=kind,
        side=side,
        hold_id=hold.pk,
        amount_minor=amount_minor,
    )
    events.send_on_commit(events.dispute_opened, Dispute, dispute=dispute)
    return dispute


@transaction.atomic
def dispute_withdraw(*, acting_user, dispute: Dispute, reason: str) -> Dispute:
    side = require_side(acting_user, dispute)
    if side != dispute.opened_by_side:
        raise PermissionDenied("Only the side that opened a dispute can withdraw it.", code="not_the_opener")
    reason = text(reason, "reason", least=5, what="Say why the dispute is withdrawn")
    current = require_active(dispute_under_hold(dispute))
    require_no_open_chargeback(current)
    hold_unfreeze(hold=current.hold, acting_user=acting_user, reason=f"Dispute {current.pk} withdrawn")
    if current.timesheet_id:  # the week goes back to review, with the deadline it had
        timesheet_settle_by_dispute(
            timesheet=current.timesheet,
            released_minor=0,
            refunded_minor=0,
            actor=acting_user,
            reason=f"Dispute {current.pk} withdrawn",
        )
    ended = dispute_end(current, Dispute.Status.WITHDRAWN, actor=acting_user, note=reason)
    audit_record(actor=acting_user, action="disputes.withdraw", target=current, summary=reason, side=side)
    events.step_on_commit(ended, "withdrawn", acting_user)
    dispute.status = ended.status
    return ended


def _entries_in_question(timesheet: Timesheet, entries, currency: str) -> list[tuple[TimeEntry, int, int]]:
    """(entry, minutes, amount) of each entry in question, checked against the week: an entry of this
    week (400 ``entry_not_in_week``), once (``entry_duplicate``), minutes 1 to the entry's
    (``minutes_invalid``), an amount above zero and at most what the entry's minutes cost at the
    week's rate (``amount_exceeds_entry``)."""
    entries = list(entries or ())
    if not entries:
        raise InvalidInput(
            "Choose the entries in question.", code="entries_required", fields={"entries": ["Required."]}
        )
    ids = [item.get("entry") for item in entries]
    found = {entry.pk: entry for entry in TimeEntry.objects.filter(timesheet=timesheet, pk__in=ids)}
    rate = timesheet.rate_minor or 0
    checked, seen = [], set()
    for n, item in enumerate(entries):
        field = f"entries.{n}"
        entry = found.get(item.get("entry"))
        if entry is None:
            raise InvalidInput(
                "That entry is not one of this week's.",
                code="entry_not_in_week",
                fields={field: ["Not an entry of this week."]},
            )
        if entry.pk in seen:
            raise InvalidInput(
                "Each entry is in question once.", code="entry_duplicate", fields={field: ["Given twice."]}
            )
        seen.add(entry.pk)
        minutes = item.get("minutes") or entry.minutes
        if not isinstance(minutes, int) or not 1 <= minutes <= entry.minutes:
            raise InvalidInput(
                f"At most the entry's {entry.minutes} minutes can be in question.",
                code="minutes_invalid",
                fields={field: [f"1 to {entry.minutes} minutes."]},
            )
        amount = minor_of(item.get("amount"), currency, field)
        most = entry_amount_minor(entry.minutes, rate)
        if amount > most:
            raise InvalidInput(
                f"This entry cost {Money(most, currency)}; no more of it can be in question.",
                code="amount_exceeds_entry",
                fields={field: [f"At most {Money(most, currency)}."]},
            )
        checked.append((entry, minutes, amount))
    return checked


@transaction.atomic
def dispute_open_week(
    *, acting_user, timesheet: Timesheet, reason: str, description: str, entries, files=()
) -> Dispute:
    """Open a dispute on a week in review, on the entries in question (``entries``: dicts of
    ``entry`` (its id), ``amount`` (``Money``) and optionally ``minutes``): the dispute's amount is
    their sum. The week's hold is locked first and the week read under it (an approval or the sweep
    that got there first leaves a week that is no longer in review: 409), the money frozen, and the
    week moved to disputed."""
    contract = timesheet.contract
    side = contract_side(acting_user, contract)
    if side is None:
        refuse_outsider(acting_user, contract, "timesheet_not_found")
    if reason not in PARTY_REASONS:
        raise InvalidInput("Choose a reason.", code="reason_invalid", fields={"reason": ["Choose one."]})
    description = text(description, "description", least=10, what="Say what the dispute is about")
    currency = contract.currency
    checked_files = files_checked(files)
    current = timesheet_open_for_dispute(timesheet)
    in_question = _entries_in_question(current, entries, currency)
    amount_minor = sum(amount for _entry, _minutes, amount in in_question)
    hold = current.hold
    held = held_minor(hold)
    if amount_minor > held:
        raise InvalidInput(
            f"Only {Money(held, currency)} is held for this week.",
            code="amount_exceeds_held",
            fields={"entries": [f"At most {Money(held, currency)} in all."]},
        )
    hold_freeze(hold=hold, acting_user=acting_user, reason=f"Dispute opened: {current}"[:255])
    now = timezone.now()
    dispute = Dispute.objects.create(
        kind=Dispute.Kind.TIMESHEET,
        contract=current.contract,
        timesheet=current,
        hold=hold,
        opened_by=acting_user,
        opened_by_side=side,
        reason=reason,
        description=description,
        amount_minor=amount_minor,
        currency=currency,
        respond_by=deadlines.respond_by(now),
    )
    DisputedEntry.objects.bulk_create(
        DisputedEntry(dispute=dispute, entry=entry, minutes=minutes, amount_minor=amount)
        for entry, minutes, amount in in_question
    )
    timesheet_dispute_opened(timesheet=current, actor=acting_user, reason=f"Dispute {dispute.pk} opened")
    if checked_files:
        evidence_create(dispute=dispute, user=acting_user, side=side, statement="", checked=checked_files)
    audit_record(
        actor=acting_user,
        action="disputes.open",
        target=dispute,
        summary=f"Dispute on {current} for {Money(amount_minor, currency)}",
        kind=Dispute.Kind.TIMESHEET,
        side=side,
        hold_id=hold.pk,
        amount_minor=amount_minor,
        entries=[entry.pk for entry, _m, _a in in_question],
    )
    events.send_on_commit(events.dispute_opened, Dispute, dispute=dispute)
    timesheet.status = Timesheet.Status.DISPUTED
    return dispute
