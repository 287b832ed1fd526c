"""Staff moderation of reported reviews: remove a review (it stops counting anywhere; every open
report of it is resolved as removed) or dismiss a report (the review stays). Both audited.

Both lock the review row first, as reporting does, so a report never lands on a review being removed
and a report is never both dismissed and resolved by a removal."""

from django.db import transaction
from django.utils import timezone

from marketplace.core.audit import audit_record
from marketplace.core.exceptions import Conflict
from marketplace.core.transitions import transition

from .. import events
from ..models import Review, ReviewReport
from ..permissions import require_moderator
from .common import Checked

Status = ReviewReport.Status


@transaction.atomic
def review_remove(*, acting_user, review: Review, reason: str) -> Review:
    require_moderator(acting_user)
    check = Checked()
    reason = check.text(reason, "reason", least=5, most=2000)
    check.raise_if_any("Give the reason for removing the review (5 to 2,000 characters).")
    locked = Review.objects.select_for_update().select_related("contract").get(pk=review.pk)
    if not locked.is_published:
        raise Conflict("Only a published review can be removed.", code="review_not_published")
    now = timezone.now()
    locked.removed_at, locked.removed_by, locked.removal_reason = now, acting_user, reason
    locked.save(update_fields=["removed_at", "removed_by", "removal_reason"])
    resolved = []
    for report in ReviewReport.objects.filter(review=locked, status=Status.OPEN).order_by("pk"):
        transition(
            report,
            Status.REMOVED,
            actor=acting_user,
            reason=reason[:255],
            resolved_by=acting_user,
            resolved_at=now,
            resolution_note=reason,
        )
        resolved.append(report.pk)
    audit_record(
        actor=acting_user,
        action="review_removed",
        target=locked,
        summary=reason,
        reason=reason,
        contract_id=locked.contract_id,
        direction=locked.direction,
        reports_resolved=resolved,
    )
    events.send_on_commit(events.review_removed, Review, review=locked, actor=acting_user)
    return locked


@transaction.atomic
def report_dismiss(*, acting_user, report: ReviewReport, note: str = "") -> ReviewReport:
    """Staff keep the review: the report is closed as dismissed (the reporter may report it again)."""
    require_moderator(acting_user)
    check = Checked()
    note = check.text(note, "note", least=0, most=2000)
    check.raise_if_any("The note is at most 2,000 characters.")
    Review.objects.select_for_update().only("pk").get(pk=report.review_id)
    current = ReviewReport.objects.get(pk=report.pk)
    if current.status != Status.OPEN:
        raise Conflict(
            f"This report is closed already ({current.get_status_display().lower()}).", code="report_resolved"
        )
    dismissed = transition(
        current,
        Status.DISMISSED,
        actor=acting_user,
        reason=note[:255] or "Review kept",
        resolved_by=acting_user,
        resolved_at=timezone.now(),
        resolution_note=note,
    )
    audit_record(
        actor=acting_user,
        action="review_report_dismissed",
        target=dismissed,
        summary=note or "Review kept",
        review_id=dismissed.review_id,
        note=note,
    )
    report.status = dismissed.status
    return dismissed
