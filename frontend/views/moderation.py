"""Reporting a job, a profile or a message to staff, and blocking a freelancer from their profile.

A target the viewer cannot see is a 404, as everywhere; the services check it again."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from marketplace.core.exceptions import DomainError, NotFound
from messaging.selectors import moderation as selectors
from messaging.services import moderation as services

from ..forms.moderation import ReportForm
from .helpers import safe_next


def _visible(find: Callable, *args):
    try:
        return find(*args)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _report_page(request: HttpRequest, *, target: dict, context: dict, back: str) -> HttpResponse:
    """The report form for one target; a sent report returns to the page it was about."""
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.report_create(acting_user=request.user, **target, **form.cleaned_data)
            except DomainError as exc:
                if exc.status == 404:
                    raise Http404(exc.message) from exc
                form.add_error(None, exc.message)
                status = exc.status
            else:
                messages.success(request, "Thank you: staff will look at your report.")
                return redirect(back)
        else:
            status = 400
    context = {**context, "form": form, "back": back}
    return render(request, "frontend/moderation/report.html", context, status=status)


@login_required
def report_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _visible(selectors.job_for_reporter, request.user, pk)
    return _report_page(
        request,
        target={"job_id": job.pk},
        context={"noun": "job", "title": job.title},
        back=reverse("frontend:job_detail", args=[job.pk]),
    )


@login_required
def report_profile(request: HttpRequest, handle: str) -> HttpResponse:
    profile = _visible(selectors.profile_for_reporter, request.user, handle)
    return _report_page(
        request,
        target={"profile_handle": profile.handle},
        context={"noun": "profile", "title": profile.user.get_full_name()},
        back=reverse("frontend:freelancer", args=[profile.handle]),
    )


@login_required
def report_message(request: HttpRequest, pk: int) -> HttpResponse:
    message = _visible(selectors.message_for_reporter, request.user, pk)
    return _report_page(
        request,
        target={"message_id": message.pk},
        context={"noun": "message", "title": message.sender.get_full_name(), "quote": message.body},
        # The conversation page links here with ?next=<itself>.
        back=safe_next(request) or reverse("frontend:landing"),
    )


@login_required
@require_POST
def profile_block(request: HttpRequest, handle: str) -> HttpResponse:
    profile = _visible(selectors.profile_for_reporter, request.user, handle)
    try:
        services.block_create(acting_user=request.user, user_id=profile.user_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"You blocked {profile.user.get_full_name()}: "
            "they cannot message you, except in a contract you share.",
        )
    return redirect("frontend:freelancer", handle=profile.handle)


@login_required
@require_POST
def profile_unblock(request: HttpRequest, handle: str) -> HttpResponse:
    profile = _visible(selectors.profile_for_reporter, request.user, handle)
    try:
        services.block_remove(acting_user=request.user, user_id=profile.user_id)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"You unblocked {profile.user.get_full_name()}.")
    return redirect("frontend:freelancer", handle=profile.handle)
