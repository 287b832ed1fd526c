"""Payout settings: where a freelancer's money goes (a Stripe Connect Express account), set up on
Stripe's own onboarding pages; two-factor authentication first."""

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from escrow.selectors import connected_account_of, transfers_waiting_for
from marketplace.accounts.services.payouts import payout_account_refresh, payout_onboarding_start
from marketplace.core.exceptions import DependencyUnavailable, DomainError


@login_required
def payouts(request: HttpRequest, *, status: int = 200, error: str = "") -> HttpResponse:
    user = request.user
    context = {
        "account": connected_account_of(user),
        "mfa_enabled": is_mfa_enabled(user),
        "waiting": transfers_waiting_for(user),
        "error": error,
    }
    return render(request, "frontend/accounts/payouts.html", context, status=status)


@login_required
@require_POST
def payouts_start(request: HttpRequest) -> HttpResponse:
    try:
        url = payout_onboarding_start(
            acting_user=request.user,
            return_url=request.build_absolute_uri(reverse("frontend:payouts_return")),
            refresh_url=request.build_absolute_uri(reverse("frontend:payouts")),
        )
    except DomainError as exc:
        return payouts(request, status=exc.status, error=exc.message)
    except DependencyUnavailable as exc:
        return payouts(request, status=503, error=str(exc))
    return redirect(url)


@login_required
def payouts_return(request: HttpRequest) -> HttpResponse:
    """Stripe sends the freelancer back here; read the account as Stripe has it now."""
    try:
        account = payout_account_refresh(acting_user=request.user)
    except DependencyUnavailable:
        messages.warning(request, "Stripe did not answer; your payout status will update in a minute.")
        return redirect("frontend:payouts")
    if account is not None and account.can_receive:
        messages.success(request, "Payouts are set up. Approved payments now reach you.")
    else:
        messages.info(request, "Stripe still needs some details before it can pay you out.")
    return redirect("frontend:payouts")
