"""Every read of hourly billing, visibility applied."""

from django.db.models import QuerySet
from django.utils import timezone

from marketplace.contracts.selectors import contracts_visible_to
from marketplace.core.exceptions import NotFound

from .models import Timesheet


def timesheets_visible_to(viewer) -> QuerySet[Timesheet]:
    """Weeks of the contracts the viewer sees (a party's side, any role; staff)."""
    return Timesheet.objects.select_related("contract", "hold").filter(
        contract__in=contracts_visible_to(viewer).values("pk")
    )


def timesheet_for_viewer(*, pk: int, viewer) -> Timesheet:
    """The week, for whoever sees its contract; anyone else 404 ``timesheet_not_found``."""
    found = timesheets_visible_to(viewer).filter(pk=pk).first()
    if found is None:
        raise NotFound("No such timesheet.", code="timesheet_not_found")
    return found


def review_state(timesheet: Timesheet, *, side: str | None, can_approve: bool, now=None) -> dict:
    """What the week's review box shows one side: whether the review runs, its deadline (and the
    seconds left, for the countdown), and what the viewer may do now."""
    now = now or timezone.now()
    in_review = timesheet.status == Timesheet.Status.IN_REVIEW and timesheet.review_by is not None
    running = in_review and now <= timesheet.review_by
    return {
        "in_review": in_review,
        "running": running,
        "review_by": timesheet.review_by,
        "seconds_left": max(0, int((timesheet.review_by - now).total_seconds())) if running else 0,
        "can_approve": running and can_approve and side == "client",
        "can_dispute": running and side in ("client", "freelancer"),
    }
