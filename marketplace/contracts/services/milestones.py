"""Milestones of fixed-price contracts: fund, submit, ask for changes, approve (by hand, or
automatically when a submission waits ``MILESTONE_AUTO_APPROVE_DAYS``), and refunds after a
cancellation. The money itself moves through escrow's primitives; each milestone points at its hold.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from escrow.models import Charge, Hold
from escrow.services.charges import charge_confirm, charge_start
from escrow.services.holds import hold_create, hold_refund, hold_release
from marketplace.accounts.models import User
from marketplace.core.exceptions import Conflict, InvalidInput, PermissionDenied
from marketplace.core.files import file_check, file_store
from marketplace.core.models import StoredFile
from marketplace.core.money import Money
from marketplace.core.transitions import require_transition, transition
from marketplace.jobs.models import BudgetType

from ..fees import milestone_fee_parts
from ..locks import lock_milestone, milestone_of_locked_hold, milestone_under_hold, refuse_if_disputed
from ..models import Contract, Milestone, MilestoneSubmission
from ..permissions import require_milestone_action

Status = Milestone.Status
SUBMISSION_FILES = "contracts.milestonesubmission"


@transaction.atomic
def milestone_hold(*, acting_user: User, milestone: Milestone) -> Hold:
    """The escrow hold a pending milestone is funded into, made once: its share of the contract's
    fees, the contract's transfer group, the client as payer and the freelancer as payee."""
    contract = milestone.contract
    require_milestone_action(acting_user, contract, "fund")
    locked = lock_milestone(milestone)
    if contract.budget_type != BudgetType.FIXED:
        raise Conflict("Only fixed-price contracts have milestones to fund.", code="not_fixed_price")
    if locked.status != Status.PENDING:
        raise Conflict("This milestone is funded already.", code="already_funded")
    if locked.hold_id:
        return locked.hold
    # The milestone's fees are its part of the contract's (they add up to the fees on the total).
    part = milestone_fee_parts(contract)[locked.pk]
    hold = hold_create(
        payer=contract.client,
        payee=contract.freelancer,
        amount=Money(locked.amount_minor, contract.currency),
        client_fee_bp=contract.client_fee_bp,
        freelancer_fee_bp=contract.freelancer_fee_bp,
        client_fee=Money(part.client_fee_minor, contract.currency),
        freelancer_fee=Money(part.freelancer_fee_minor, contract.currency),
        reference=f"milestone:{locked.pk}",
        transfer_group=f"contract-{contract.pk}",
        description=f"{contract.title}: {locked.title}"[:255],
    )
    locked.hold = milestone.hold = hold
    locked.save(update_fields=["hold"])
    return hold


def milestone_fund_start(*, acting_user: User, milestone: Milestone) -> Charge:
    """The payment the client's browser confirms with the card (amount + client fee).

    Two steps around the processor call, neither inside the other's transaction: the hold is
    made (or found) and committed, then escrow creates or reuses its PaymentIntent."""
    hold = milestone_hold(acting_user=acting_user, milestone=milestone)
    return charge_start(hold=hold)


def milestone_fund_confirm(*, acting_user: User, milestone: Milestone, payment_intent_id: str) -> Charge:
    """After the browser confirmed the card: the charge as the processor has it now. A paid charge
    funds the milestone (the webhook may have done so first; after the contract ended it is refunded
    at once: ``money.funding_outcome``); a decline keeps its reason; a PaymentIntent cancelled at the
    processor is 409 ``payment_canceled`` (the next start makes a new one)."""
    require_milestone_action(acting_user, milestone.contract, "fund")
    return charge_confirm(hold=milestone.hold, payment_intent_id=payment_intent_id, paying_for="milestone")


def milestone_on_hold_funded(*, hold: Hold) -> None:
    """Escrow funded a hold (inside its transaction, the hold locked): move the milestone it belongs
    to. Every writer of the milestone takes this hold first, so its state is read here as it stands:
    a cancellation racing the payment is either seen whole (the money goes back) or waits for the
    funding (and refunds it after the dispute window)."""
    milestone = milestone_of_locked_hold(hold)
    if milestone is None:
        return
    if milestone.status == Status.PENDING:
        transition(milestone, Status.FUNDED, actor=hold.payer, reason="Funded", funded_at=timezone.now())
    elif milestone.status == Status.CANCELLED:
        # A payment confirmed after its contract ended (the card form was still open): give it back.
        hold_refund(hold=hold, reason=f"Paid after the contract ended: {milestone.title}"[:255])


def milestone_on_age_limit(*, hold: Hold) -> None:
    """The hold's money reached the processor's limit untransferred (escrow's aging sweep, the hold
    locked): a milestone still waiting for work or its funding's use goes back to the client. One
    approved, submitted or in dispute is left to escrow, which flags it to staff."""
    milestone = milestone_of_locked_hold(hold)
    if milestone is None or milestone.status not in Milestone.REFUNDABLE:
        return
    days = settings.HOLD_AGE_LIMIT_DAYS
    hold_refund(hold=hold, reason=f"Held {days} days without being paid out: {milestone.title}"[:255])
    transition(
        milestone, Status.REFUNDED, reason=f"Refunded: the money may not be held longer than {days} days"
    )


def milestone_on_release_paid(*, hold: Hold) -> None:
    milestone = milestone_of_locked_hold(hold)
    if milestone is not None and milestone.status == Status.APPROVED and hold.status == Hold.Status.SETTLED:
        transition(milestone, Status.RELEASED, reason="Paid to the freelancer", released_at=timezone.now())


@transaction.atomic
def milestone_submit(
    *, acting_user: User, milestone: Milestone, message: str, files: list[tuple[str, bytes]] = ()
) -> MilestoneSubmission:
    require_milestone_action(acting_user, milestone.contract, "submit")
    message = (message or "").strip()
    if not 1 <= len(message) <= 5000:
        raise InvalidInput(
            "Say what you are handing in (up to 5,000 characters).",
            code="message_required",
            fields={"message": ["Required."]},
        )
    if len(files) > settings.ATTACHMENTS_MAX_COUNT:
        raise Conflict(
            f"At most {settings.ATTACHMENTS_MAX_COUNT} files can be attached.", code="too_many_attachments"
        )
    # Every file is checked before any is stored: a refused one must leave no file on disk.
    checked = [file_check(data, name) for name, data in files]
    locked = lock_milestone(milestone)
    now = timezone.now()
    transition(
        locked,
        Status.SUBMITTED,
        actor=acting_user,
        reason="Work submitted",
        submitted_at=now,
        auto_approve_at=now + timedelta(days=settings.MILESTONE_AUTO_APPROVE_DAYS),
    )
    submission = MilestoneSubmission.objects.create(
        milestone=locked, submitted_by=acting_user, message=message
    )
    for one in checked:
        submission.attachments.add(
            file_store(acting_user=acting_user, checked=one, owner_kind=SUBMISSION_FILES)
        )
    milestone.status, milestone.auto_approve_at = locked.status, locked.auto_approve_at
    return submission


@transaction.atomic
def milestone_request_revision(*, acting_user: User, milestone: Milestone, message: str) -> Milestone:
    require_milestone_action(acting_user, milestone.contract, "request_revision")
    message = (message or "").strip()
    if not 5 <= len(message) <= 5000:
        raise InvalidInput(
            "Say what should change (5 to 5,000 characters).",
            code="message_required",
            fields={"message": ["Required."]},
        )
    locked = refuse_if_disputed(lock_milestone(milestone), "sent back for changes")
    transition(
        locked, Status.REVISION_REQUESTED, actor=acting_user, reason=message[:255], auto_approve_at=None
    )
    latest = locked.submissions.order_by("-created_at", "-id").first()
    latest.revision_message, latest.revision_requested_at = message, timezone.now()
    latest.revision_requested_by = acting_user
    latest.save(update_fields=["revision_message", "revision_requested_at", "revision_requested_by"])
    milestone.status, milestone.auto_approve_at = locked.status, None
    return locked


@transaction.atomic
def milestone_approve(*, acting_user: User | None, milestone: Milestone) -> Milestone:
    """Approve the submitted work and release the money at once (the transfer is sent after
    commit; it waits, and the milestone stays approved, while the freelancer cannot be paid).
    ``acting_user`` None is the automatic approval."""
    if acting_user is not None:
        require_milestone_action(acting_user, milestone.contract, "approve")
    # The one lock order: the hold, the money's own rows, then the milestone (moved last).
    current = refuse_if_disputed(milestone_under_hold(milestone), "approved")
    # Approval is a step of the work's own (a dispute's release may approve from any step that holds money).
    require_transition(current, Status.APPROVED, table=Milestone.STEP_TRANSITIONS)
    automatic = acting_user is None
    reason = (
        f"Approved automatically {settings.MILESTONE_AUTO_APPROVE_DAYS} days after submission"
        if automatic
        else "Approved"
    )
    hold_release(hold=current.hold, acting_user=acting_user, reason=f"{reason}: {current.title}"[:255])
    locked = transition(
        current,
        Status.APPROVED,
        actor=acting_user,
        reason=reason,
        approved_at=timezone.now(),
        auto_approve_at=None,
    )
    milestone.status = locked.status
    return locked


@transaction.atomic
def milestone_refund(*, milestone: Milestone) -> Milestone:
    """Refund a cancelled contract's funded milestone (its dispute window has passed)."""
    current = refuse_if_disputed(milestone_under_hold(milestone, active=False), "refunded")
    if current.contract.status != Contract.Status.CANCELLED or current.refund_due_at is None:
        raise Conflict("Only a cancelled contract's milestones are refunded.", code="not_refundable")
    require_transition(current, Status.REFUNDED, table=Milestone.STEP_TRANSITIONS)
    hold_refund(hold=current.hold, reason=f"Contract cancelled: {current.title}"[:255])
    return transition(
        current, Status.REFUNDED, reason="Refunded after the contract was cancelled", refund_due_at=None
    )


def milestone_settle_by_dispute(
    *, milestone: Milestone, released_minor: int, refunded_minor: int, actor: User | None, reason: str
) -> Milestone:
    """Move a disputed milestone to where its money went, in the caller's transaction, after the
    caller (a dispute's settlement or decision) has locked the hold and moved the money through
    escrow: all released → approved (released once the transfer is paid, as an approval is), all
    refunded → refunded, both → split. Its deadlines end with it."""
    current = milestone_under_hold(milestone, active=False)
    if released_minor and refunded_minor:
        to = Status.SPLIT
    elif released_minor:
        to = Status.APPROVED
    elif refunded_minor:
        to = Status.REFUNDED
    else:
        raise InvalidInput("A settlement moves some money.", code="nothing_settled")
    require_transition(current, to, table=Milestone.DISPUTE_TRANSITIONS)
    now = timezone.now()
    moved = transition(
        current,
        to,
        actor=actor,
        reason=reason[:255],
        auto_approve_at=None,
        refund_due_at=None,
        **({"approved_at": now} if released_minor else {}),
    )
    milestone.status = moved.status
    return moved


def submission_file_remove(*, acting_user: User, file: StoredFile) -> None:
    """The kernel's removal of a file handed in for a milestone: never (it is the record of the work)."""
    raise PermissionDenied("Work handed in for a milestone stays as it was handed in.", code="submitted_work")


def milestones_due(now=None) -> dict[str, int]:
    """Approve submissions nobody answered in time; refund cancelled contracts' milestones whose
    dispute window has passed; neither while a dispute freezes the money. Idempotent (beat runs it
    every few minutes)."""
    now = now or timezone.now()
    done = {"approved": 0, "refunded": 0}
    # A dispute's frozen hold stops both: its money waits for the dispute's end.
    due = Milestone.objects.exclude(hold__status=Hold.Status.FROZEN)
    for milestone in due.filter(status=Status.SUBMITTED, auto_approve_at__lte=now).order_by("pk"):
        try:
            milestone_approve(acting_user=None, milestone=milestone)
            done["approved"] += 1
        except Conflict:
            continue  # answered or ended meanwhile
    refundable = due.filter(status__in=Milestone.REFUNDABLE, refund_due_at__lte=now).order_by("pk")
    for milestone in refundable:
        try:
            milestone_refund(milestone=milestone)
            done["refunded"] += 1
        except Conflict:
            continue
    return done
