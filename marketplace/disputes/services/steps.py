"""The steps between opening and the end: the respondent's answer, evidence from either side,
asking support to step in, and the escalation when the response deadline passes."""

from django.db import transaction
from django.utils import timezone

from marketplace.core.audit import audit_record
from marketplace.core.exceptions import Conflict, InvalidInput
from marketplace.core.transitions import transition

from .. import deadlines, events
from ..locks import dispute_under_hold
from ..models import Dispute, DisputeEvidence
from ..permissions import other_side, require_side
from .common import evidence_create, files_checked, require_active, text


@transaction.atomic
def dispute_respond(*, acting_user, dispute: Dispute, response: str, files=()) -> Dispute:
    """The other side's answer (once), with its files, while the dispute is active."""
    side = require_side(acting_user, dispute, other_side(dispute.opened_by_side))
    response = text(response, "response", least=5, what="Say what you answer")
    checked = files_checked(files)
    current = require_active(dispute_under_hold(dispute))
    if current.responded_at is not None:
        raise Conflict(
            "This dispute has been answered already; add evidence instead.", code="already_responded"
        )
    current.response, current.responded_at = response, timezone.now()
    current.save(update_fields=["response", "responded_at", "updated_at"])
    if checked:
        evidence_create(dispute=current, user=acting_user, side=side, statement="", checked=checked)
    audit_record(actor=acting_user, action="disputes.respond", target=current, summary="Responded", side=side)
    events.step_on_commit(current, "responded", acting_user)
    dispute.response, dispute.responded_at = current.response, current.responded_at
    return current


@transaction.atomic
def evidence_add(*, acting_user, dispute: Dispute, statement: str, files=()) -> DisputeEvidence:
    side = require_side(acting_user, dispute)
    statement = (statement or "").strip()
    if len(statement) > 5000 or not (statement or files):
        raise InvalidInput(
            "Add a statement (up to 5,000 characters) or a file.",
            code="evidence_required",
            fields={"statement": ["Required without a file."]},
        )
    checked = files_checked(files)
    current = require_active(dispute_under_hold(dispute))
    evidence = evidence_create(
        dispute=current, user=acting_user, side=side, statement=statement, checked=checked
    )
    audit_record(
        actor=acting_user,
        action="disputes.evidence",
        target=current,
        summary=f"Evidence from the {side}",
        evidence_id=evidence.pk,
        files=len(checked),
    )
    events.step_on_commit(current, "evidence", acting_user)
    return evidence


def _escalate(dispute: Dispute, *, actor, reason: str, now) -> Dispute:
    escalated = transition(
        dispute,
        Dispute.Status.ESCALATED,
        actor=actor,
        reason=reason,
        escalated_at=now,
        decide_by=deadlines.decide_by(now),
    )
    audit_record(actor=actor, action="disputes.escalate", target=escalated, summary=reason)
    events.step_on_commit(escalated, "escalated", actor)
    return escalated


@transaction.atomic
def dispute_ask_support(*, acting_user, dispute: Dispute) -> Dispute:
    """One side asks support to step in; when both have, the dispute escalates at once."""
    side = require_side(acting_user, dispute)
    current = require_active(dispute_under_hold(dispute))
    if current.status != Dispute.Status.OPEN:
        raise Conflict("Support has this dispute already.", code="already_escalated")
    field = "opener_asked_support_at" if side == current.opened_by_side else "respondent_asked_support_at"
    if getattr(current, field) is not None:
        raise Conflict("You have asked support already.", code="already_asked")
    now = timezone.now()
    setattr(current, field, now)
    current.save(update_fields=[field, "updated_at"])
    audit_record(
        actor=acting_user, action="disputes.ask_support", target=current, summary="Asked support", side=side
    )
    events.step_on_commit(current, "asked_support", acting_user)
    if current.opener_asked_support_at and current.respondent_asked_support_at:
        current = _escalate(current, actor=acting_user, reason="Both sides asked support", now=now)
    setattr(dispute, field, now)
    dispute.status = current.status
    return current


def disputes_escalate_due(now=None) -> int:
    """Escalate open disputes whose response deadline has passed (each in its own transaction,
    read again under its hold's lock). Idempotent; how many were escalated."""
    now = now or timezone.now()
    due = Dispute.objects.filter(status=Dispute.Status.OPEN, respond_by__lte=now).order_by("respond_by", "pk")
    escalated = 0
    for dispute in due:
        with transaction.atomic():
            current = dispute_under_hold(dispute)
            if current.status != Dispute.Status.OPEN or current.respond_by > now:
                continue
            _escalate(current, actor=None, reason="The response deadline passed", now=now)
            escalated += 1
    return escalated
