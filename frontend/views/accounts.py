"""One's own account: the dashboard (the home after logging in: the workspaces of ``workspace.py``,
the reviews waiting and what is left to set up), the account settings, the billing details receipts
carry and which emails one gets."""

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from escrow import selectors as escrow_selectors
from marketplace.accounts import selectors
from marketplace.accounts.services.onboarding import account_settings_update, billing_details_update
from marketplace.core.exceptions import DomainError
from marketplace.organisations import selectors as org_selectors
from messaging.selectors.email_preferences import email_preferences_dict, email_preferences_of
from messaging.services.email_preferences import email_preferences_update
from reviews.selectors import reviews_waiting_for

from ..forms.accounts import AccountSettingsForm, BillingDetailsForm
from ..forms.emails import EmailPreferencesForm
from ..forms.jobs import add_service_error
from ..workspace import workspaces
from .helpers import render_page, viewer_timezone


def _setup(user) -> dict:
    """The account's setup still to finish (email, two-factor, the freelancer's profile and payouts),
    for the dashboard's compact "Finish setting up" box."""
    email_verified = any(badge.kind == "email" for badge in user.badges.all())
    mfa_enabled = is_mfa_enabled(user)
    steps = [
        ("Verify your email address", email_verified, "account_email"),
        ("Turn on two-factor authentication", mfa_enabled, "mfa_index"),
    ]
    context: dict = {"email_verified": email_verified, "mfa_enabled": mfa_enabled}
    if user.is_freelancer:
        profile = selectors.freelancer_profile_of(user)
        checklist = selectors.profile_checklist(profile)
        completeness = round(100 * sum(1 for _, ok in checklist if ok) / len(checklist))
        account = escrow_selectors.connected_account_of(user)
        payouts_ready = bool(account and account.payouts_enabled)
        steps += [
            (f"Complete your profile ({completeness}% done)", completeness == 100, "frontend:profile_edit"),
            ("Set up payouts", payouts_ready, "frontend:payouts"),
        ]
        context.update(
            profile=profile,
            completeness=completeness,
            profile_missing=[label for label, ok in checklist if not ok],
            payouts_ready=payouts_ready,
        )
    context["setup_steps"] = [{"label": t, "done": done, "url": reverse(name)} for t, done, name in steps]
    context["setup_left"] = sum(1 for _, done, _ in steps if not done)
    return context


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    tz = viewer_timezone(user)
    context = {
        **workspaces(user, tz),
        **_setup(user),
        "memberships": list(org_selectors.memberships_of(user)),
        "auto_approve_days": settings.MILESTONE_AUTO_APPROVE_DAYS,
        # Ended contracts the viewer's side may still review, soonest to close first.
        "reviews_waiting": reviews_waiting_for(user),
        "review_window_days": settings.REVIEW_WINDOW_DAYS,
    }
    return render_page(request, "frontend/accounts/dashboard.html", context)


def _own_settings_page(
    request,
    *,
    form_class,
    initial: dict,
    save,
    saved: str,
    template: str,
    url_name: str,
    extra: dict | None = None,
):
    """One of the account's own settings forms: shown filled in, saved through ``save`` (a service
    call taking the cleaned data), then back to itself with ``saved`` as the message; a service's
    refusal is shown on the form with its status."""
    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                save(form.cleaned_data)
            except DomainError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                messages.success(request, saved)
                return redirect(url_name)
        else:
            status = 400
    else:
        form = form_class(initial=initial)
    return render(request, template, {"form": form, **(extra or {})}, status=status)


@login_required
def account_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    return _own_settings_page(
        request,
        form_class=AccountSettingsForm,
        initial={
            "full_name": user.full_name,
            "is_client": user.is_client,
            "is_freelancer": user.is_freelancer,
            "timezone": user.timezone,
        },
        save=lambda data: account_settings_update(
            user=user,
            full_name=data["full_name"],
            is_client=data["is_client"],
            is_freelancer=data["is_freelancer"],
            timezone_name=data["timezone"],
        ),
        saved="Your account settings are saved.",
        template="frontend/accounts/settings.html",
        url_name="frontend:account_settings",
    )


@login_required
def account_billing(request: HttpRequest) -> HttpResponse:
    user = request.user
    return _own_settings_page(
        request,
        form_class=BillingDetailsForm,
        initial={
            "billing_name": user.billing_name,
            "billing_address": user.billing_address,
            "tax_id": user.tax_id,
        },
        save=lambda data: billing_details_update(user=user, **data),
        saved="Your billing details are saved; new and old receipts show them.",
        template="frontend/accounts/billing.html",
        url_name="frontend:account_billing",
    )


@login_required
def account_emails(request: HttpRequest) -> HttpResponse:
    user = request.user
    return _own_settings_page(
        request,
        form_class=EmailPreferencesForm,
        initial=email_preferences_dict(email_preferences_of(user)),
        save=lambda data: email_preferences_update(acting_user=user, changes=data),
        saved="Your email choices are saved.",
        template="frontend/accounts/emails.html",
        url_name="frontend:account_emails",
        extra={
            "digest_delay": settings.DIGEST_DELAY_MINUTES,
            "digest_interval": settings.DIGEST_MIN_INTERVAL_MINUTES,
        },
    )
