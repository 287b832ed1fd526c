"""Every read of hourly billing, visibility applied."""

from django.db.models import QuerySet

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
