"""A milestone's page, for both parties: its money and deadline, the work handed in, and each
side's actions (the client funds, asks for changes or approves; the freelancer submits work).
Funding is its own page: the fee breakdown first, then the card (Stripe.js)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from escrow.models import Charge, Transfer
from escrow.selectors import (
    hold_latest_charge,
    hold_latest_refund,
    hold_latest_transfer,
    payouts_paused_until,
)
from marketplace.contracts import selectors, services
from marketplace.contracts.fees import milestone_fee_parts
from marketplace.contracts.models import Contract, Milestone
from marketplace.contracts.money import (
    CLIENT,
    FREELANCER,
    REFUNDED,
    funding_outcome,
    payout_note,
    refund_note,
)
from marketplace.contracts.permissions import contract_powers, milestone_actions, require_milestone_action
from marketplace.core.exceptions import DependencyUnavailable, DomainError, NotFound
from marketplace.disputes.selectors import active_dispute_of_milestone, dispute_can_open, dispute_side

from ..forms.jobs import ReasonForm, add_service_error
from ..forms.milestones import SubmissionForm
from .helpers import card_form_context, payment_json_error


def _milestone(request: HttpRequest, pk: int, mid: int) -> tuple[Contract, Milestone]:
    try:
        contract = selectors.contract_for_viewer(pk=pk, viewer=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    milestone = contract.milestones.select_related("hold").filter(pk=mid).first()
    if milestone is None:
        raise Http404("No such milestone.")
    milestone.contract = contract
    return contract, milestone


def _page(request: HttpRequest, contract: Contract, milestone: Milestone, *, status: int = 200, **forms):
    user = request.user
    is_freelancer = user.pk == contract.freelancer_id
    actions = milestone_actions(contract, milestone, contract_powers(user, contract))
    Status = Milestone.Status
    transfer = hold_latest_transfer(milestone.hold_id) if milestone.status == Status.APPROVED else None
    refund = hold_latest_refund(milestone.hold_id) if milestone.hold_id and not is_freelancer else None
    side = FREELANCER if is_freelancer else CLIENT
    paused_until = payouts_paused_until(contract.freelancer_id) if transfer else None
    context = {
        "contract": contract,
        "milestone": milestone,
        "part": milestone_fee_parts(contract)[milestone.pk],
        "is_freelancer": is_freelancer,
        "submissions": milestone.submissions.select_related("submitted_by").prefetch_related("attachments"),
        "transfer": transfer,
        "refund": refund,
        "release_waits": transfer is not None
        and transfer.status == Transfer.Status.BLOCKED
        and not transfer.last_error
        and paused_until is None,
        "payout_note": transfer and payout_note(transfer, side=side, paused_until=paused_until),
        "refund_note": refund and refund_note(refund),
        "can_fund": "fund" in actions,
        "can_submit": "submit" in actions,
        "can_review": "request_revision" in actions,
        "can_approve": "approve" in actions,
        "submit_form": forms.get("submit_form") or SubmissionForm(),
        "revision_form": forms.get("revision_form") or ReasonForm(),
        "approve_error": forms.get("approve_error"),
        "auto_approve_days": settings.MILESTONE_AUTO_APPROVE_DAYS,
        **_dispute_context(user, milestone),
    }
    return render(request, "frontend/contracts/milestone.html", context, status=status)


def _dispute_context(user, milestone: Milestone) -> dict:
    """The milestone's open dispute (for a party: staff see the money's state only), or whether the
    viewer may open one and, when the milestone could be disputed, why not."""
    dispute = active_dispute_of_milestone(milestone) if milestone.hold_id else None
    if dispute is not None:
        return {"dispute": dispute if dispute_side(user, dispute) else None, "frozen": True}
    disputable = milestone.status in Milestone.DISPUTED
    can_open, why_not = dispute_can_open(user, milestone) if disputable else (False, "")
    return {"can_dispute": can_open, "dispute_why_not": why_not, "frozen": False}


@login_required
def milestone_detail(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    contract, milestone = _milestone(request, pk, mid)
    return _page(request, contract, milestone)


@login_required
@require_POST
def milestone_submit(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    contract, milestone = _milestone(request, pk, mid)
    require_milestone_action(request.user, contract, "submit")
    form = SubmissionForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, contract, milestone, status=400, submit_form=form)
    files = [(upload.name, upload.read()) for upload in form.cleaned_data["files"]]
    try:
        services.milestone_submit(
            acting_user=request.user, milestone=milestone, message=form.cleaned_data["message"], files=files
        )
    except DomainError as exc:
        add_service_error(form, exc)
        return _page(request, contract, milestone, status=exc.status, submit_form=form)
    days = settings.MILESTONE_AUTO_APPROVE_DAYS
    messages.success(request, f"Your work is submitted. The client is told and has {days} days to answer.")
    return redirect("frontend:milestone_detail", pk=contract.pk, mid=milestone.pk)


@login_required
@require_POST
def milestone_revision(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    contract, milestone = _milestone(request, pk, mid)
    form = ReasonForm(request.POST)
    if form.is_valid():
        try:
            services.milestone_request_revision(
                acting_user=request.user, milestone=milestone, message=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            add_service_error(form, exc)
            return _page(request, contract, milestone, status=exc.status, revision_form=form)
        messages.success(request, "Changes requested. The freelancer is told what to change.")
        return redirect("frontend:milestone_detail", pk=contract.pk, mid=milestone.pk)
    return _page(request, contract, milestone, status=400, revision_form=form)


@login_required
@require_POST
def milestone_approve(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    contract, milestone = _milestone(request, pk, mid)
    try:
        services.milestone_approve(acting_user=request.user, milestone=milestone)
    except DomainError as exc:
        return _page(request, contract, milestone, status=exc.status, approve_error=exc.message)
    messages.success(request, "Approved. The payment is on its way to the freelancer.")
    return redirect("frontend:milestone_detail", pk=contract.pk, mid=milestone.pk)


@login_required
def milestone_fund(request: HttpRequest, pk: int, mid: int) -> HttpResponse:
    contract, milestone = _milestone(request, pk, mid)
    if "fund" not in milestone_actions(contract, milestone, contract_powers(request.user, contract)):
        return redirect("frontend:milestone_detail", pk=contract.pk, mid=milestone.pk)
    charge = hold_latest_charge(milestone.hold_id)
    context = {
        "contract": contract,
        "milestone": milestone,
        "part": milestone_fee_parts(contract)[milestone.pk],
        "refund_after_days": settings.CANCEL_REFUND_AFTER_DAYS,
        "auto_approve_days": settings.MILESTONE_AUTO_APPROVE_DAYS,
        **card_form_context(request, contract, last_error=charge.last_error_message if charge else ""),
    }
    return render(request, "frontend/contracts/fund.html", context)


@login_required
@require_POST
def milestone_fund_intent(request: HttpRequest, pk: int, mid: int) -> JsonResponse:
    """The PaymentIntent the card form confirms (JSON for the page's script)."""
    _contract, milestone = _milestone(request, pk, mid)
    try:
        charge = services.milestone_fund_start(acting_user=request.user, milestone=milestone)
    except (DomainError, DependencyUnavailable) as exc:
        return payment_json_error(exc)
    return JsonResponse({"client_secret": charge.client_secret, "payment_intent": charge.payment_intent_id})


@login_required
@require_POST
def milestone_fund_confirm(request: HttpRequest, pk: int, mid: int) -> JsonResponse:
    """After the card step: funded (go to the milestone) or the card's reason to show."""
    contract, milestone = _milestone(request, pk, mid)
    try:
        charge = services.milestone_fund_confirm(
            acting_user=request.user,
            milestone=milestone,
            payment_intent_id=request.POST.get("payment_intent", ""),
        )
    except (DomainError, DependencyUnavailable) as exc:
        return payment_json_error(exc)
    if charge.status == Charge.Status.SUCCEEDED:
        outcome, message = funding_outcome(Milestone.objects.get(pk=milestone.pk))
        (messages.warning if outcome == REFUNDED else messages.success)(request, message)
        return JsonResponse(
            {
                "status": outcome,
                "redirect": reverse("frontend:milestone_detail", args=[contract.pk, milestone.pk]),
            }
        )
    return JsonResponse({"status": "unpaid", "message": charge.last_error_message}, status=402)
