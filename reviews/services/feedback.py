"""After publication: the reviewee's one public reply, and either side's report of a review to staff.

Who may act is checked before the input (404 for a review the caller may not see, 403 for the wrong
person), then the input (400), then the review's state under its row lock (409)."""

from django.db import transaction
from django.utils import timezone

from marketplace.core.exceptions import Conflict, NotFound, PermissionDenied

from .. import events
from ..models import Review, ReviewReport
from ..permissions import (
    AUTHOR_OF_DIRECTION,
    CLIENT,
    require_side,
    review_side,
    review_visible_to,
    reviewee_side,
    side_refusal,
)
from .common import Checked


def _refreshed(review: Review) -> Review:
    """The caller's copy may predate the review's publication (or removal): read both again."""
    review.refresh_from_db(fields=["revealed_at", "removed_at"])
    return review


def _require_visible(user, review: Review) -> None:
    if not review_visible_to(user, _refreshed(review)):
        raise NotFound("No such review.", code="not_found")


def _locked_published(review: Review) -> Review:
    locked = Review.objects.select_for_update().select_related("contract").get(pk=review.pk)
    if not locked.is_published:
        raise Conflict("This review is not published.", code="review_not_published")
    return locked


@transaction.atomic
def review_reply(*, acting_user, review: Review, text: str) -> Review:
    """The reviewee's side answers the review publicly, once."""
    _require_visible(acting_user, review)
    contract, wanted = review.contract, reviewee_side(review.direction)
    side = review_side(acting_user, contract)
    if side != wanted:
        refusal = side_refusal(acting_user, contract) if side is None and wanted == CLIENT else None
        if isinstance(refusal, PermissionDenied):  # a client-side member whose role does not hire
            raise refusal
        raise PermissionDenied("Only the reviewed side replies to a review.", code="not_the_reviewee")
    check = Checked()
    text = check.text(text, "text", least=1, most=2000)
    check.raise_if_any("Write the reply (1 to 2,000 characters).")
    locked = _locked_published(review)
    if locked.replied_at is not None:
        raise Conflict("This review has a reply already.", code="already_replied")
    locked.reply, locked.replied_at = text, timezone.now()
    locked.save(update_fields=["reply", "replied_at"])
    events.send_on_commit(events.review_replied, Review, review=locked)
    return locked


@transaction.atomic
def review_report(*, acting_user, review: Review, reason: str, details: str = "") -> ReviewReport:
    """Either side of the review's contract asks staff to look at a published review; one open
    report per person and review."""
    side = require_side(acting_user, review.contract)
    if _refreshed(review).revealed_at is None and side != AUTHOR_OF_DIRECTION[review.direction]:
        raise NotFound("No such review.", code="not_found")
    check = Checked()
    if reason not in ReviewReport.Reason.values:
        check.error("reason", "Choose a reason.")
    details = check.text(details, "details", least=0, most=2000)
    check.raise_if_any("Say why the review should be looked at.")
    locked = _locked_published(review)
    if ReviewReport.objects.filter(
        review=locked, reporter=acting_user, status=ReviewReport.Status.OPEN
    ).exists():
        raise Conflict(
            "You have reported this review already; staff will look at it.", code="already_reported"
        )
    report = ReviewReport.objects.create(review=locked, reporter=acting_user, reason=reason, details=details)
    events.send_on_commit(events.review_reported, ReviewReport, report=report)
    return report
