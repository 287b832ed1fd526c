"""One's own account: the dashboard (the home after logging in), the account settings and the
billing details receipts carry."""

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from marketplace.accounts import selectors
from marketplace.accounts.services.onboarding import account_settings_update, billing_details_update
from marketplace.core.exceptions import DomainError

from ..forms.accounts import AccountSettingsForm, BillingDetailsForm
from ..forms.jobs import add_service_error


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict = {
        "memberships": list(selectors.memberships_of(user)),
        "mfa_enabled": is_mfa_enabled(user),
        "email_verified": any(badge.kind == "email" for badge in user.badges.all()),
    }
    if user.is_freelancer:
        profile = selectors.freelancer_profile_of(user)
        checklist = selectors.profile_checklist(profile)
        done = sum(1 for _, ok in checklist if ok)
        context.update(
            profile=profile,
            avatar_url=profile.avatar.url_for("square_256") if profile.avatar else None,
            checklist=checklist,
            completeness=round(100 * done / len(checklist)),
            pool_memberships=list(selectors.pool_memberships_for_freelancer(user)),
        )
    if user.is_client:
        context["client_profile"] = selectors.client_profile_of(user)
    return render(request, "frontend/accounts/dashboard.html", context)


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    status = 200
    if request.method == "POST":
        form = AccountSettingsForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                account_settings_update(
                    user=user,
                    full_name=data["full_name"],
                    is_client=data["is_client"],
                    is_freelancer=data["is_freelancer"],
                    timezone_name=data["timezone"],
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.status
            else:
                messages.success(request, "Your account settings are saved.")
                return redirect("frontend:account_settings")
        else:
            status = 400
    else:
        form = AccountSettingsForm(
            initial={
                "full_name": user.full_name,
                "is_client": user.is_client,
                "is_freelancer": user.is_freelancer,
                "timezone": user.timezone,
            }
        )
    return render(request, "frontend/accounts/settings.html", {"form": form}, status=status)


@login_required
def account_billing(request: HttpRequest) -> HttpResponse:
    user = request.user
    status = 200
    if request.method == "POST":
        form = BillingDetailsForm(request.POST)
        if form.is_valid():
            try:
                billing_details_update(user=user, **form.cleaned_data)
            except DomainError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                messages.success(request, "Your billing details are saved; new and old receipts show them.")
                return redirect("frontend:account_billing")
        else:
            status = 400
    else:
        form = BillingDetailsForm(
            initial={
                "billing_name": user.billing_name,
                "billing_address": user.billing_address,
                "tax_id": user.tax_id,
            }
        )
    return render(request, "frontend/accounts/billing.html", {"form": form}, status=status)
