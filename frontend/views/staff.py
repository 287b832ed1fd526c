"""Staff tools for accounts: find a user, suspend or reinstate them, grant or revoke verification
badges, and read the audit trail of those actions. Anyone but staff gets a 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from marketplace.accounts import selectors
from marketplace.accounts.services import staff as staff_services
from marketplace.core.exceptions import DomainError, NotFound

from ..forms.organisations import BadgeGrantForm, ReinstateForm, StaffUserSearchForm, SuspendForm
from .helpers import render_page, staff_only

USERS_PER_PAGE = 25
AUDIT_ENTRIES_SHOWN = 100


@staff_only
def staff_users(request: HttpRequest) -> HttpResponse:
    form = StaffUserSearchForm(request.GET)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page = Paginator(selectors.users_for_staff(query), USERS_PER_PAGE).get_page(request.GET.get("page"))
    return render_page(request, "frontend/staff/users.html", {"form": form, "query": query, "page": page})


def _render_user(request: HttpRequest, user_id: int, *, status: int = 200, **forms) -> HttpResponse:
    try:
        subject = selectors.user_for_staff(user_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    badges = list(subject.badges.all())
    held = {badge.kind for badge in badges}
    context = {
        "subject": subject,
        "badges": badges,
        "memberships": list(subject.memberships.all()),
        "audit": selectors.user_audit_trail(subject).order_by("-created_at", "-pk")[:AUDIT_ENTRIES_SHOWN],
        "suspend_form": forms.get("suspend_form") or SuspendForm(),
        "reinstate_form": forms.get("reinstate_form") or ReinstateForm(),
        "badge_form": forms.get("badge_form") or BadgeGrantForm(held=held),
        "all_badges_held": len(held) == len(BadgeGrantForm.base_fields["kind"].choices),
    }
    return render_page(request, "frontend/staff/user.html", context, status=status)


@staff_only
def staff_user(request: HttpRequest, user_id: int) -> HttpResponse:
    return _render_user(request, user_id)


def _act(request: HttpRequest, user_id: int, form, form_name: str, call, success: str) -> HttpResponse:
    """Run a staff service with the form's data; show its refusal next to the form."""
    if not form.is_valid():
        return _render_user(request, user_id, status=400, **{form_name: form})
    try:
        call(form.cleaned_data)
    except DomainError as exc:
        if exc.status == 404 and exc.code == "user_not_found":
            raise Http404(exc.message) from exc
        messages.error(request, exc.message)
        return _render_user(request, user_id, status=exc.status, **{form_name: form})
    messages.success(request, success)
    return redirect("frontend:staff_user", user_id=user_id)


@require_POST
@staff_only
def staff_user_suspend(request: HttpRequest, user_id: int) -> HttpResponse:
    return _act(
        request,
        user_id,
        SuspendForm(request.POST),
        "suspend_form",
        lambda data: staff_services.user_suspend(
            acting_user=request.user, user_id=user_id, reason=data["reason"]
        ),
        "The user is suspended. They can log in only to read the reason.",
    )


@require_POST
@staff_only
def staff_user_reinstate(request: HttpRequest, user_id: int) -> HttpResponse:
    return _act(
        request,
        user_id,
        ReinstateForm(request.POST),
        "reinstate_form",
        lambda data: staff_services.user_reinstate(
            acting_user=request.user, user_id=user_id, note=data["note"]
        ),
        "The user is reinstated.",
    )


@require_POST
@staff_only
def staff_badge_grant(request: HttpRequest, user_id: int) -> HttpResponse:
    return _act(
        request,
        user_id,
        BadgeGrantForm(request.POST),
        "badge_form",
        lambda data: staff_services.badge_grant(acting_user=request.user, user_id=user_id, kind=data["kind"]),
        "Badge granted.",
    )


@require_POST
@staff_only
def staff_badge_revoke(request: HttpRequest, user_id: int, kind: str) -> HttpResponse:
    try:
        staff_services.badge_revoke(acting_user=request.user, user_id=user_id, kind=kind)
    except DomainError as exc:
        if exc.code == "user_not_found":
            raise Http404(exc.message) from exc
        messages.error(request, exc.message)
        return _render_user(request, user_id, status=exc.status)
    messages.success(request, "Badge revoked.")
    return redirect("frontend:staff_user", user_id=user_id)
