"""Staff's reads: the queue of reported reviews (only published reviews can be reported, so the
queue never shows a hidden one)."""

from django.db.models import QuerySet

from ..models import ReviewReport


def review_reports_queue(status: str = ReviewReport.Status.OPEN) -> QuerySet[ReviewReport]:
    """Reports in ``status``, oldest first, with what a queue row shows."""
    return (
        ReviewReport.objects.filter(status=status)
        .select_related("review", "review__contract", "review__author", "review__reviewee", "reporter")
        .order_by("created_at", "id")
    )
