"""The client's review of a billed week: approve it early, or let the review deadline pass (the
sweep approves it then); a dispute (``marketplace.disputes``, which calls the two hooks at the end
of this module) stops both until it ends. Approval releases the week's hold at once through escrow
(``hold_release``: the freelancer fee is escrow's); the week stays approved while the transfer waits
(the freelancer's payouts not enabled yet) and is released when escrow says the transfer was paid.

The lock order (``escrow/locks.py``, ``contracts/locks.py``): the week's hold first, the week read
fresh under it and checked, the money moved (escrow's levels 1 to 3), and the week's row locked last,
by ``transition``. So an approval, the sweep and a dispute of one week queue at its hold, and each
sees what the one before it committed: one release, and the loser told the week's real state.
"""

from django.db import transaction
from django.utils import timezone

from escrow.locks import lock_hold
from escrow.models import Hold
from escrow.services.holds import hold_release
from marketplace.contracts.permissions import contract_party_side, require_contract_client
from marketplace.core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied
from marketplace.core.transitions import require_transition, transition
from marketplace.jobs.permissions import is_client_side

from .. import events
from ..models import Timesheet
from ..permissions import APPROVE_WITH

Status = Timesheet.Status


def timesheet_under_hold(timesheet: Timesheet) -> Timesheet:
    """The week's hold locked (when it has one), then the week read fresh under it, with its
    contract. Must run inside the caller's ``transaction.atomic``."""
    if timesheet.hold_id:
        lock_hold(timesheet.hold_id)
    return Timesheet.objects.select_related("contract", "hold").get(pk=timesheet.pk)


def require_week_approver(user, timesheet: Timesheet) -> None:
    """Refuse unless ``user`` acts for the client side of the week's contract with the permission
    that approves payments: the freelancer 403 ``not_client_side``; who sees the contract but may
    not approve (another role of the client's organisation, staff, a suspended account) the 403 of
    ``require_contract_client`` (``role_forbids``, ``not_a_member``, ``account_suspended``); anyone
    else 404 ``timesheet_not_found`` (they do not learn the week exists)."""
    contract = timesheet.contract
    side = contract_party_side(user, contract, APPROVE_WITH)
    if side == "client":
        return
    if side == "freelancer":
        raise PermissionDenied("Only the client approves a week's hours.", code="not_client_side")
    if not (is_client_side(user, contract) or getattr(user, "is_staff", False)):
        raise NotFound("No such timesheet.", code="timesheet_not_found")
    require_contract_client(user, contract, APPROVE_WITH)


@transaction.atomic
def timesheet_approve(*, acting_user, timesheet: Timesheet) -> Timesheet:
    """Approve a week in review and release its money at once (the transfer is sent after commit;
    the week stays approved while it waits). ``acting_user`` None is the automatic approval when the
    review deadline has passed."""
    if acting_user is not None:
        require_week_approver(acting_user, timesheet)
    current = timesheet_under_hold(timesheet)
    require_transition(current, Status.APPROVED, table={Status.IN_REVIEW: {Status.APPROVED}})
    if current.hold.status == Hold.Status.FROZEN:  # a chargeback froze it: its money waits
        raise Conflict("This week's payment is frozen while it is disputed.", code="dispute_open")
    automatic = acting_user is None
    reason = "Approved automatically when the review ended" if automatic else "Approved by the client"
    hold_release(hold=current.hold, acting_user=acting_user, reason=f"{reason}: {current}"[:255])
    approved = transition(
        current,
        Status.APPROVED,
        actor=acting_user,
        reason=reason,
        approved_at=timezone.now(),
        approved_by=acting_user,
    )
    events.send_on_commit(events.timesheet_approved, timesheet=approved, automatic=automatic)
    timesheet.status, timesheet.approved_at = approved.status, approved.approved_at
    return approved


def timesheets_release_due(now=None) -> dict[str, int]:
    """Approve (and so release) every week still in review whose review deadline (Friday 23:59:59
    UTC, the last moment of the review) is behind ``now`` and
    whose money no dispute froze; each in its own transaction, a week answered meanwhile skipped.
    Idempotent (beat runs it every few minutes)."""
    now = now or timezone.now()
    done = {"approved": 0}
    due = (
        Timesheet.objects.filter(status=Status.IN_REVIEW, review_by__lt=now)
        .exclude(hold__status=Hold.Status.FROZEN)
        .order_by("review_by", "pk")
    )
    for timesheet in due:
        try:
            timesheet_approve(acting_user=None, timesheet=timesheet)
        except Conflict:
            continue  # approved, disputed or frozen meanwhile
        done["approved"] += 1
    return done


def timesheet_of_locked_hold(hold: Hold) -> Timesheet | None:
    """Inside escrow's transaction, the hold locked already: the hold's week, read fresh."""
    return Timesheet.objects.select_related("contract").filter(hold=hold).first()


def timesheet_on_release_paid(*, hold: Hold) -> None:
    """Escrow paid a release of the hold (its transfer reached the freelancer's account): an
    approved week whose hold is settled is released."""
    timesheet = timesheet_of_locked_hold(hold)
    if timesheet is None or timesheet.status != Status.APPROVED or hold.status != Hold.Status.SETTLED:
        return
    released = transition(
        timesheet, Status.RELEASED, reason="Paid to the freelancer", released_at=timezone.now()
    )
    events.send_on_commit(events.timesheet_released, timesheet=released)


# The dispute's hooks: ``marketplace.disputes`` calls these inside its own transaction, after it
# locked the week's hold and froze, unfroze or moved its money.


def timesheet_open_for_dispute(timesheet: Timesheet) -> Timesheet:
    """Under the hold's lock: the week, refused unless its money is in review (409
    ``timesheet_not_disputable``) and not frozen already (409 ``dispute_open_already``)."""
    current = timesheet_under_hold(timesheet)
    if current.status != Status.IN_REVIEW or current.hold_id is None:
        raise Conflict(
            f"Only a week in review can be disputed; this week is {current.get_status_display().lower()}.",
            code="timesheet_not_disputable",
        )
    if current.hold.status == Hold.Status.FROZEN:
        raise Conflict("A dispute about this money is open already.", code="dispute_open_already")
    if current.review_by is not None and timezone.now() > current.review_by:
        raise Conflict(
            "The review of this week has ended: it is being paid to the freelancer.", code="review_ended"
        )
    return current


def timesheet_dispute_opened(*, timesheet: Timesheet, actor, reason: str) -> Timesheet:
    """A dispute froze the week's money: the week is disputed (the review clock stops with it)."""
    return transition(timesheet, Status.DISPUTED, actor=actor, reason=reason[:255])


def timesheet_settle_by_dispute(
    *, timesheet: Timesheet, released_minor: int, refunded_minor: int, actor, reason: str
) -> Timesheet:
    """Move a disputed week to where its money went, in the caller's transaction, after the caller
    (a dispute's settlement, decision or withdrawal) locked the hold and moved the money through
    escrow: all released → approved (released once the transfer is paid), all refunded → refunded,
    both → split; nothing moved (the dispute was withdrawn) → back in review, with the deadline it
    had (the sweep releases it at once when that has passed)."""
    current = timesheet_under_hold(timesheet)
    if released_minor < 0 or refunded_minor < 0:
        raise InvalidInput("A settlement never moves a negative amount.", code="amount_negative")
    if released_minor and refunded_minor:
        to = Status.SPLIT
    elif released_minor:
        to = Status.APPROVED
    elif refunded_minor:
        to = Status.REFUNDED
    else:
        to = Status.IN_REVIEW
    require_transition(current, to, table={Status.DISPUTED: Timesheet.TRANSITIONS[Status.DISPUTED]})
    changes = {"approved_at": timezone.now()} if to == Status.APPROVED else {}
    moved = transition(current, to, actor=actor, reason=reason[:255], **changes)
    if to == Status.APPROVED:
        events.send_on_commit(events.timesheet_approved, timesheet=moved, automatic=False)
    timesheet.status = moved.status
    return moved
