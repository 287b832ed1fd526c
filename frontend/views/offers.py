"""Offers, for both sides: the list (received as a freelancer, sent from the client side) and the
offer page — terms, milestone schedule, the fee breakdown, expiry — where the freelancer accepts
(starting the contract) or declines, and the client side withdraws."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from marketplace.contracts import services as contract_services
from marketplace.core.exceptions import DomainError, NotFound
from marketplace.jobs import selectors, services
from marketplace.jobs.models import BudgetType, Offer
from marketplace.jobs.permissions import require_client_side
from reviews.selectors import client_scorecard_for_job

from ..forms.jobs import ReasonForm
from .helpers import allowed, paginate, query_without_page

ROLES = (("received", "Received"), ("sent", "Sent"))


def _roles(user) -> list[str]:
    """Which lists the user has: offers received (freelancers), sent (clients and organisation members)."""
    roles = ["received"] if user.is_freelancer else []
    if user.is_client or user.memberships.exists():
        roles.append("sent")
    return roles or ["received"]


@login_required
def my_offers(request: HttpRequest) -> HttpResponse:
    roles = _roles(request.user)
    role = request.GET.get("role", "")
    if role not in roles:
        role = roles[0]
    offers = selectors.offers_of(request.user, role="freelancer" if role == "received" else "client")
    context = {
        "page": paginate(request, offers),
        "role": role,
        "roles": [(value, label) for value, label in ROLES if value in roles],
        "now": timezone.now(),
        "query": query_without_page(request),
    }
    return render(request, "frontend/work/offers.html", context)


def _offer(request: HttpRequest, pk: int) -> Offer:
    try:
        return selectors.offer_for_viewer(pk=pk, viewer=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _page(request: HttpRequest, offer: Offer, *, status: int = 200, **forms) -> HttpResponse:
    """The offer page; ``forms``: an answer's form with its errors, and ``refusal``, the message of a
    service that refused an answer (shown on top: the control may no longer be on the page)."""
    user = request.user
    whole, parts = services.offer_breakdown(offer)
    waiting = offer.status == Offer.Status.SENT
    lapsed = waiting and offer.expires_at <= timezone.now()
    is_freelancer = user.pk == offer.freelancer_id
    context = {
        "offer": offer,
        "is_freelancer": is_freelancer,
        "lapsed": lapsed,
        "breakdown": {
            "whole": whole,
            "parts": list(zip(offer.milestones, parts, strict=True)),
            "currency": offer.currency,
            "hourly": offer.budget_type == BudgetType.HOURLY,
        },
        "can_answer": waiting and not lapsed and is_freelancer and not user.is_suspended,
        "can_withdraw": waiting
        and allowed(
            require_client_side,
            user,
            client_id=offer.client_id,
            organisation=offer.organisation,
            codename="make_offers",
        ),
        # The freelancer deciding sees how the client hires, approves, pays and rates.
        "client_scorecard": client_scorecard_for_job(offer.job) if is_freelancer else None,
        "refusal": forms.get("refusal"),
        "decline_form": forms.get("decline_form") or ReasonForm(),
        "withdraw_form": forms.get("withdraw_form") or ReasonForm(),
    }
    return render(request, "frontend/work/offer.html", context, status=status)


@login_required
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _offer(request, pk))


@login_required
@require_POST
def offer_accept(request: HttpRequest, pk: int) -> HttpResponse:
    offer = _offer(request, pk)
    try:
        contract = contract_services.offer_accept(acting_user=request.user, offer=offer)
    except DomainError as exc:
        return _page(request, offer, refusal=exc.message, status=exc.status)
    messages.success(request, "You accepted the offer: the contract has started. The client is told.")
    return redirect("frontend:contract_detail", pk=contract.pk)


def _answer(request: HttpRequest, pk: int, form_name: str, answer, done: str) -> HttpResponse:
    """Decline or withdraw, each with an optional reason; a refusal shows on the offer page."""
    offer = _offer(request, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _page(request, offer, status=400, **{form_name: form})
    try:
        answer(offer, form.cleaned_data["reason"])
    except DomainError as exc:
        return _page(request, offer, refusal=exc.message, status=exc.status, **{form_name: form})
    messages.success(request, done)
    return redirect("frontend:offer_detail", pk=offer.pk)


@login_required
@require_POST
def offer_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request,
        pk,
        "decline_form",
        lambda offer, reason: services.offer_decline(acting_user=request.user, offer=offer, reason=reason),
        "You declined the offer; the client is told.",
    )


@login_required
@require_POST
def offer_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _answer(
        request,
        pk,
        "withdraw_form",
        lambda offer, reason: services.offer_withdraw(acting_user=request.user, offer=offer, reason=reason),
        "The offer is withdrawn; the freelancer is told, and their proposal is back on your shortlist.",
    )
