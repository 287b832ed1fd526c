"""Paying an hourly week whose off-session charge failed, on its own page: the week's bill first,
then the card form milestones use (``contracts/_card_form.html``, ``fund.js``), on the PaymentIntent
the failed charge left open. Paid: the week goes to review and the contract resumes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from escrow.models import Charge
from escrow.selectors import hold_latest_charge
from marketplace.contracts import selectors as contract_selectors
from marketplace.contracts.models import Contract
from marketplace.contracts.permissions import CLIENT, contract_party_side
from marketplace.core.exceptions import DependencyUnavailable, DomainError, NotFound
from marketplace.hourly.models import Timesheet
from marketplace.hourly.services import billing

from .helpers import card_form_context, payment_json_error


def _week(request: HttpRequest, pk: int, week_pk: int) -> tuple[Contract, Timesheet]:
    try:
        contract = contract_selectors.contract_for_viewer(pk=pk, viewer=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    week = Timesheet.objects.select_related("hold").filter(contract=contract, pk=week_pk).first()
    if week is None:
        raise Http404("No such week.")
    week.contract = contract
    return contract, week


@login_required
def hourly_week_pay(request: HttpRequest, pk: int, week_pk: int) -> HttpResponse:
    contract, week = _week(request, pk, week_pk)
    payer = contract_party_side(request.user, contract, billing.PAY_PERMISSION) == CLIENT
    if not payer or week.status != Timesheet.Status.PAYMENT_FAILED:
        messages.info(request, "This week is not waiting for your payment.")
        return redirect("frontend:contract_detail", pk=contract.pk)
    charge = hold_latest_charge(week.hold_id)
    last_error = (charge.last_error_message if charge else "") or week.failure_message
    context = {
        "contract": contract,
        "week": week,
        "hold": week.hold,
        "hours": divmod(week.minutes, 60),
        **card_form_context(request, contract, last_error=last_error),
    }
    return render(request, "frontend/hourly/week_pay.html", context)


@login_required
@require_POST
def hourly_week_pay_intent(request: HttpRequest, pk: int, week_pk: int) -> JsonResponse:
    """The PaymentIntent the card form confirms (JSON for the page's script)."""
    _contract, week = _week(request, pk, week_pk)
    try:
        charge = billing.timesheet_pay_start(acting_user=request.user, timesheet=week)
    except (DomainError, DependencyUnavailable) as exc:
        return payment_json_error(exc)
    return JsonResponse({"client_secret": charge.client_secret, "payment_intent": charge.payment_intent_id})


@login_required
@require_POST
def hourly_week_pay_confirm(request: HttpRequest, pk: int, week_pk: int) -> JsonResponse:
    """After the card step: paid (back to the contract, resumed) or the card's reason to show."""
    contract, week = _week(request, pk, week_pk)
    try:
        charge = billing.timesheet_pay_confirm(
            acting_user=request.user, timesheet=week, payment_intent_id=request.POST.get("payment_intent", "")
        )
    except (DomainError, DependencyUnavailable) as exc:
        return payment_json_error(exc)
    if charge.status == Charge.Status.SUCCEEDED:
        messages.success(request, "Paid. The week is in escrow for your review, and the contract resumes.")
        return JsonResponse(
            {"status": "funded", "redirect": reverse("frontend:contract_detail", args=[contract.pk])}
        )
    return JsonResponse({"status": "unpaid", "message": charge.last_error_message}, status=402)
