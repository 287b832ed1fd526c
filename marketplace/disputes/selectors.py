"""Reads of the disputes app: who may see which dispute, the staff queue, a dispute's money.

A dispute is seen by whoever sees its contract's side of things — the freelancer, the client and
their organisation's members (any role) — and by support staff. Who *acts* in it is narrower
(``permissions.dispute_side``)."""

from django.db.models import Case, F, Q, QuerySet, When
from django.utils import timezone

from escrow.models import Settlement
from escrow.selectors import ledger_of_holds
from marketplace.contracts.models import Milestone
from marketplace.core.exceptions import DomainError, NotFound
from marketplace.core.money import Money
from marketplace.jobs.permissions import client_side_q

from .models import Dispute, DisputeEvidence
from .permissions import contract_side, dispute_side, is_support, opening_terms

__all__ = [
    "active_dispute_of_milestone",
    "active_dispute_of_timesheet",
    "dispute_can_open",
    "dispute_can_open_week",
    "dispute_for",
    "dispute_money",
    "dispute_side",
    "disputes_of",
    "disputes_visible_to",
    "evidence_files_of_organisation",
    "evidence_files_visible_to",
    "is_support",
    "support_queue",
]

RELATED = ("contract", "milestone", "timesheet", "hold", "opened_by", "assigned_to", "resolved_by")


def _party_q(viewer) -> Q:
    return Q(contract__freelancer=viewer) | client_side_q(viewer, "contract__")


def disputes_visible_to(viewer) -> QuerySet[Dispute]:
    disputes = Dispute.objects.select_related(*RELATED)
    if is_support(viewer):
        return disputes
    if not getattr(viewer, "is_authenticated", False):
        return disputes.none()
    return disputes.filter(_party_q(viewer))


def dispute_for(viewer, dispute_id) -> Dispute:
    """The dispute, for a party's side or support; anyone else 404 ``dispute_not_found``."""
    dispute = disputes_visible_to(viewer).filter(pk=dispute_id).first()
    if dispute is None:
        raise NotFound("No such dispute.", code="dispute_not_found")
    return dispute


def disputes_of(viewer) -> QuerySet[Dispute]:
    """A party's disputes (their side of their contracts), newest first."""
    if not getattr(viewer, "is_authenticated", False):
        return Dispute.objects.none()
    return Dispute.objects.select_related(*RELATED).filter(_party_q(viewer)).order_by("-created_at", "-id")


def support_queue(*, status=None, assigned_to=None, kind=None) -> QuerySet[Dispute]:
    """Cases for support, the nearest deadline first (``decide_by`` once escalated, ``respond_by``
    while open; ended cases have none and come last). ``status`` None: the active ones."""
    cases = Dispute.objects.select_related(*RELATED).annotate(
        deadline=Case(
            When(status=Dispute.Status.ESCALATED, then=F("decide_by")),
            When(status=Dispute.Status.OPEN, then=F("respond_by")),
        )
    )
    cases = cases.filter(status__in=Dispute.ACTIVE) if status is None else cases.filter(status=status)
    if assigned_to is not None:
        cases = cases.filter(assigned_to=assigned_to)
    if kind is not None:
        cases = cases.filter(kind=kind)
    return cases.order_by(F("deadline").asc(nulls_last=True), "created_at", "id")


def active_dispute_of_milestone(milestone: Milestone) -> Dispute | None:
    if not milestone.hold_id:
        return None
    return Dispute.objects.filter(hold_id=milestone.hold_id, status__in=Dispute.ACTIVE).first()


def dispute_can_open(user, milestone: Milestone) -> tuple[bool, str]:
    """Whether ``user`` may open a dispute on the milestone now, and if not why, in plain words (the
    service's own rule, read without its locks)."""
    hold_status = milestone.hold.status if milestone.hold_id else ""
    try:
        opening_terms(user, milestone, hold_status=hold_status)
    except DomainError as refused:
        return False, refused.message
    return True, ""


def active_dispute_of_timesheet(timesheet) -> Dispute | None:
    if not timesheet.hold_id:
        return None
    return Dispute.objects.filter(hold_id=timesheet.hold_id, status__in=Dispute.ACTIVE).first()


def dispute_can_open_week(user, timesheet) -> tuple[bool, str]:
    """Whether ``user`` may open a dispute on the hourly week now, and if not why, in plain words
    (the service's own rules, read without its locks)."""
    if contract_side(user, timesheet.contract) is None:
        return False, "Only the freelancer and the client's people who approve payments can dispute a week."
    if timesheet.status != timesheet.Status.IN_REVIEW or timesheet.hold_id is None:
        return (
            False,
            f"Only a week in review can be disputed; this week is {timesheet.get_status_display().lower()}.",
        )
    if timesheet.hold.status == "frozen":
        return False, "A dispute about this money is open already."
    if timesheet.review_by is not None and timezone.now() > timesheet.review_by:
        return False, "The review of this week has ended: it is being paid to the freelancer."
    return True, ""


def dispute_money(dispute: Dispute) -> dict:
    """The dispute's money for a page: what the hold holds (``held``: still held now;
    ``amount``: the milestone's whole amount), what was released and refunded, and what each side
    receives of that — the freelancer the release less their fee share, the client the refund with
    its client fee share (from the settlements, once money moved) — and the hold's ledger."""
    hold, currency = dispute.hold, dispute.currency
    settlements = list(Settlement.objects.filter(hold=hold).order_by("id"))
    released = sum(s.principal_minor for s in settlements if s.kind == Settlement.Kind.RELEASE)
    refunded = sum(s.principal_minor for s in settlements if s.kind == Settlement.Kind.REFUND)
    freelancer_gets = sum(s.payee_amount_minor for s in settlements if s.kind == Settlement.Kind.RELEASE)
    client_gets = sum(s.payee_amount_minor for s in settlements if s.kind == Settlement.Kind.REFUND)

    def money(minor: int) -> Money:
        return Money(minor, currency)

    return {
        "amount": money(hold.amount_minor),
        "held": money(hold.amount_minor - released - refunded),
        "in_question": money(dispute.amount_minor),
        "released": money(released),
        "refunded": money(refunded),
        "freelancer_receives": money(freelancer_gets),
        "client_receives": money(client_gets),
        "settlements": settlements,
        "ledger": list(ledger_of_holds([hold.pk])),
    }


def evidence_files_visible_to(viewer) -> QuerySet:
    """Ids of evidence files on disputes the viewer may see (the kernel's download asks)."""
    return DisputeEvidence.attachments.through.objects.filter(
        disputeevidence__dispute__in=disputes_visible_to(viewer).values("pk")
    ).values("storedfile_id")


def evidence_files_of_organisation(organisation) -> QuerySet:
    return DisputeEvidence.attachments.through.objects.filter(
        disputeevidence__dispute__contract__organisation=organisation
    ).values("storedfile_id")
