"""The client's review of an hourly week, as a page action: approve it early (the week's page,
built by the time pages, shows the review box ``hourly/_week_review.html`` with the button). The
dispute of a week is ``disputes.dispute_open_week``."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from marketplace.core.exceptions import DomainError, NotFound
from marketplace.hourly.selectors import timesheet_for_viewer
from marketplace.hourly.services.review import timesheet_approve

from ..refusals import flash_unless_refused
from .helpers import safe_next


@login_required
@require_POST
def week_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve the week (the client side with ``approve_payments``): its money is released at once.
    Back to ``next`` (the week's page) or the contract; a refusal of who may act is the refusal page."""
    try:
        timesheet = timesheet_for_viewer(pk=pk, viewer=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    try:
        timesheet_approve(acting_user=request.user, timesheet=timesheet)
    except DomainError as exc:
        flash_unless_refused(request, exc)
    else:
        messages.success(request, "Week approved: the payment to the freelancer is on its way.")
    target = safe_next(request)
    return redirect(target) if target else redirect("frontend:contract_detail", pk=timesheet.contract_id)
