"""Organisation pages: "my organisations", one organisation's members, invitations, talent pool,
API keys and settings, and the emailed invitation link.

The views parse input, call one service or selector, and render. Services check permissions
themselves; the pages only hide the controls a role cannot use. A service's refusal
(``DomainError``) is shown on the page with its status (4xx), never as a 500.
"""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.core.exceptions import DomainError, NotFound
from marketplace.organisations import selectors
from marketplace.organisations.models import Role
from marketplace.organisations.permissions import (
    ROLE_PERMISSIONS,
    SEE_PENDING_INVITATIONS,
    SEE_POOL_CONTACTS,
    has_org_permission,
    require_org_permission,
)
from marketplace.organisations.services import organisations as org_services
from marketplace.organisations.services import pools as pool_services

from ..forms.organisations import (
    APIKeyForm,
    InvitationForm,
    OrganisationForm,
    PoolInviteForm,
    ReasonForm,
    RoleChangeForm,
    add_domain_error,
)
from .helpers import render_page, safe_next

# ---- helpers shared by the organisation, pool and staff pages ---------------------------------


# ---- the organisation shell: header, tabs, the viewer's role --------------------------------

TABS = (
    # (tab, label, url name, permission needed to see the tab; None: every member)
    ("members", "Members", "frontend:organisation", None),
    ("invitations", "Invitations", "frontend:organisation_invitations", SEE_PENDING_INVITATIONS),
    ("pool", "Talent pool", "frontend:organisation_pool", None),
    ("pools", "Pools", "frontend:organisation_pools", None),
    ("api_keys", "API keys", "frontend:organisation_api_keys", "manage_api_keys"),
    ("statement", "Statement", "frontend:organisation_statement", "view_statements"),
    ("settings", "Settings", "frontend:organisation_settings", "manage_settings"),
)


def _shell(request: HttpRequest, slug: str, tab: str) -> dict:
    """The organisation (404 for non-members), the viewer's membership and role permissions."""
    try:
        organisation, membership = selectors.organisation_for_member(slug=slug, user=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    active = membership is not None and not request.user.is_suspended
    org_perms = ROLE_PERMISSIONS[membership.role] if active else frozenset()
    tabs = [
        {"key": key, "label": label, "url": reverse(url_name, args=[organisation.slug])}
        for key, label, url_name, needs in TABS
        if needs is None or needs in org_perms
    ]
    return {
        "organisation": organisation,
        "membership": membership,
        "org_perms": org_perms,
        "can": dict.fromkeys(org_perms, True),
        "tab": tab,
        "tabs": tabs,
        "member_count": selectors.members_of(organisation).count(),
        "pool_count": selectors.pool_memberships_of(organisation).count(),
    }


def organisation_page(tab: str, needs: str | None = None) -> Callable:
    """Resolve the organisation shell for a view; refuse (403, on the page) a tab the role may not use."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
            shell = _shell(request, slug, tab)
            if needs is not None:
                try:
                    require_org_permission(request.user, shell["organisation"], needs)
                except DomainError as exc:
                    return render_page(
                        request,
                        "frontend/organisations/denied.html",
                        {**shell, "error": exc.message},
                        status=exc.status,
                    )
            return view(request, shell, *args, **kwargs)

        return wrapper

    return decorator


def _fail(request: HttpRequest, exc: DomainError, render_tab: Callable, shell: dict, **extra) -> HttpResponse:
    messages.error(request, exc.message)
    return render_tab(request, shell, status=exc.status, **extra)


# ---- my organisations ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def organisations(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                organisation = org_services.organisation_create(
                    acting_user=request.user,
                    name=form.cleaned_data["name"],
                    website=form.cleaned_data["website"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, f"{organisation.name} is created. You are its owner.")
                return redirect("frontend:organisation", slug=organisation.slug)
    return render_page(
        request,
        "frontend/organisations/list.html",
        {"memberships": selectors.memberships_of(request.user), "form": form},
        status=status,
    )


# ---- members ---------------------------------------------------------------------------------


def _render_members(request: HttpRequest, shell: dict, *, status: int = 200) -> HttpResponse:
    members = list(selectors.members_of(shell["organisation"]))
    org_perms = shell["org_perms"]
    assignable = [
        choice for choice in Role.choices if choice[0] != Role.OWNER or "manage_owners" in org_perms
    ]
    return render_page(
        request,
        "frontend/organisations/members.html",
        {
            **shell,
            "members": members,
            "owner_count": sum(1 for m in members if m.role == Role.OWNER),
            "assignable_roles": assignable,
        },
        status=status,
    )


@organisation_page("members")
def organisation(request: HttpRequest, shell: dict) -> HttpResponse:
    return _render_members(request, shell)


@require_POST
@organisation_page("members", needs="manage_members")
def member_role(request: HttpRequest, shell: dict, membership_id: int) -> HttpResponse:
    form = RoleChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the roles in the list.")
        return _render_members(request, shell, status=400)
    try:
        membership = org_services.member_role_change(
            acting_user=request.user,
            organisation=shell["organisation"],
            membership_id=membership_id,
            role=form.cleaned_data["role"],
        )
    except DomainError as exc:
        return _fail(request, exc, _render_members, shell)
    messages.success(
        request, f"{membership.user.get_full_name()} is now {membership.get_role_display().lower()}."
    )
    return redirect("frontend:organisation", slug=shell["organisation"].slug)


@require_POST
@organisation_page("members")
def member_remove(request: HttpRequest, shell: dict, membership_id: int) -> HttpResponse:
    try:
        org_services.member_remove(
            acting_user=request.user, organisation=shell["organisation"], membership_id=membership_id
        )
    except DomainError as exc:
        return _fail(request, exc, _render_members, shell)
    messages.success(request, "The member is removed.")
    return redirect("frontend:organisation", slug=shell["organisation"].slug)


@require_POST
@organisation_page("members")
def organisation_leave(request: HttpRequest, shell: dict) -> HttpResponse:
    organisation, membership = shell["organisation"], shell["membership"]
    if membership is None:
        raise Http404("You are not a member of this organisation.")
    try:
        org_services.member_remove(
            acting_user=request.user, organisation=organisation, membership_id=membership.pk
        )
    except DomainError as exc:
        return _fail(request, exc, _render_members, shell)
    messages.success(request, f"You left {organisation.name}.")
    return redirect("frontend:organisations")


# ---- invitations -----------------------------------------------------------------------------


def _invitation_form(shell: dict, data=None) -> InvitationForm:
    return InvitationForm(data, allow_owner="manage_owners" in shell["org_perms"])


def _render_invitations(
    request: HttpRequest, shell: dict, *, status: int = 200, form=None, created=None
) -> HttpResponse:
    created_link = None
    if created is not None:
        created_link = request.build_absolute_uri(reverse("frontend:invitation", args=[created.token]))
    return render_page(
        request,
        "frontend/organisations/invitations.html",
        {
            **shell,
            "form": form or _invitation_form(shell),
            "invitations": selectors.invitations_pending(shell["organisation"]),
            "created": created,
            "created_link": created_link,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@organisation_page("invitations", needs=SEE_PENDING_INVITATIONS)
def organisation_invitations(request: HttpRequest, shell: dict) -> HttpResponse:
    if request.method == "GET":
        return _render_invitations(request, shell)
    form = _invitation_form(shell, request.POST)
    if not form.is_valid():
        return _render_invitations(request, shell, form=form, status=400)
    try:
        invitation = org_services.invitation_create(
            acting_user=request.user,
            organisation=shell["organisation"],
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return _render_invitations(request, shell, form=form, status=exc.status)
    messages.success(request, f"Invitation sent to {invitation.email}.")
    # Rendered, not redirected: the link holds the token, which exists only now and in the email.
    return _render_invitations(request, shell, created=invitation, status=201)


@require_POST
@organisation_page("invitations", needs=SEE_PENDING_INVITATIONS)
def invitation_revoke(request: HttpRequest, shell: dict, invitation_id: int) -> HttpResponse:
    try:
        invitation = org_services.invitation_revoke(
            acting_user=request.user, organisation=shell["organisation"], invitation_id=invitation_id
        )
    except DomainError as exc:
        return _fail(request, exc, _render_invitations, shell)
    messages.success(request, f"The invitation to {invitation.email} is revoked; its link no longer works.")
    return redirect("frontend:organisation_invitations", slug=shell["organisation"].slug)


# ---- the emailed invitation link ---------------------------------------------------------------


def _render_invitation(request: HttpRequest, token: str, *, status: int = 200) -> HttpResponse:
    try:
        invitation = org_services.invitation_by_token(token)
    except NotFound as exc:
        return render_page(
            request, "frontend/organisations/invitation.html", {"not_found": exc.message}, status=404
        )
    here = reverse("frontend:invitation", args=[token])
    return render_page(
        request,
        "frontend/organisations/invitation.html",
        {
            "invitation": invitation,
            "token": token,
            "state": selectors.invitation_state_for(invitation, request.user),
            "login_url": reverse("account_login") + "?" + urlencode({"next": here}),
            "signup_url": reverse("account_signup")
            + "?"
            + urlencode({"next": here, "email": invitation.email}),
            "logout_url": reverse("account_logout"),
            "here": here,
        },
        status=status,
    )


def invitation(request: HttpRequest, token: str) -> HttpResponse:
    return _render_invitation(request, token)


@require_POST
@login_required
def invitation_respond(request: HttpRequest, token: str) -> HttpResponse:
    action = request.POST.get("action")
    try:
        if action == "accept":
            membership = org_services.invitation_accept(acting_user=request.user, token=token)
        elif action == "decline":
            org_services.invitation_decline(acting_user=request.user, token=token)
        else:
            messages.error(request, "Choose Accept or Decline.")
            return _render_invitation(request, token, status=400)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _render_invitation(request, token, status=exc.status)
    if action == "accept":
        messages.success(
            request,
            f"Welcome to {membership.organisation.name}. "
            f"You joined as {membership.get_role_display().lower()}.",
        )
        return redirect("frontend:organisation", slug=membership.organisation.slug)
    messages.success(request, "You declined the invitation.")
    return redirect("frontend:organisations")


# ---- talent pool -------------------------------------------------------------------------------


def _render_pool(
    request: HttpRequest, shell: dict, *, status: int = 200, form=None, next_url=None
) -> HttpResponse:
    return render_page(
        request,
        "frontend/organisations/pool.html",
        {
            **shell,
            "form": form or PoolInviteForm(),
            "pool_memberships": selectors.pool_memberships_of(shell["organisation"]),
            # The API's rule too (organisations.api PoolView): addresses for the roles that manage the pool.
            "show_contacts": has_org_permission(request.user, shell["organisation"], SEE_POOL_CONTACTS),
            "next_url": next_url,
        },
        status=status,
    )


@organisation_page("pool")
def organisation_pool(request: HttpRequest, shell: dict) -> HttpResponse:
    return _render_pool(request, shell)


@require_POST
@organisation_page("pool", needs="manage_pool")
def organisation_pool_invite(request: HttpRequest, shell: dict) -> HttpResponse:
    form = PoolInviteForm(request.POST)
    next_url = safe_next(request)
    if not form.is_valid():
        return _render_pool(request, shell, form=form, status=400, next_url=next_url)
    try:
        pool_membership = pool_services.pool_invite(
            acting_user=request.user,
            organisation=shell["organisation"],
            freelancer_email=form.cleaned_data["freelancer_email"],
            freelancer_handle=form.cleaned_data["freelancer_handle"],
            message=form.cleaned_data["message"],
            pool_id=form.cleaned_data["pool"],
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return _render_pool(request, shell, form=form, status=exc.status, next_url=next_url)
    pool = pool_membership.pool
    where = "the talent pool" if pool.is_default else pool.name
    messages.success(
        request,
        f"{pool_membership.invitee} is invited to {where}. We emailed the invitation; they "
        "answer it on their talent pools page.",
    )
    return redirect(next_url or reverse("frontend:organisation_pool", args=[shell["organisation"].slug]))


@require_POST
@organisation_page("pool")
def organisation_pool_end(request: HttpRequest, shell: dict, membership_id: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    organisation = shell["organisation"]
    # The service finds the membership by id; make sure it belongs to the organisation on the page.
    if not selectors.pool_memberships_of(organisation).filter(pk=membership_id).exists():
        messages.error(request, "No such live membership in this pool.")
        return _render_pool(request, shell, status=404)
    try:
        pool_services.pool_membership_end(
            acting_user=request.user, membership_id=membership_id, reason=reason
        )
    except DomainError as exc:
        return _fail(request, exc, _render_pool, shell)
    messages.success(request, "The pool membership is ended.")
    return redirect("frontend:organisation_pool", slug=organisation.slug)


# ---- API keys ----------------------------------------------------------------------------------


def _render_api_keys(
    request: HttpRequest, shell: dict, *, status: int = 200, form=None, created=None, secret=None
) -> HttpResponse:
    return render_page(
        request,
        "frontend/organisations/api_keys.html",
        {
            **shell,
            "form": form or APIKeyForm(),
            "api_keys": selectors.api_keys_of(shell["organisation"]),
            "created": created,
            "secret": secret,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@organisation_page("api_keys", needs="manage_api_keys")
def organisation_api_keys(request: HttpRequest, shell: dict) -> HttpResponse:
    if request.method == "GET":
        return _render_api_keys(request, shell)
    form = APIKeyForm(request.POST)
    if not form.is_valid():
        return _render_api_keys(request, shell, form=form, status=400)
    try:
        api_key, secret = org_services.api_key_create(
            acting_user=request.user, organisation=shell["organisation"], name=form.cleaned_data["name"]
        )
    except DomainError as exc:
        add_domain_error(form, exc)
        return _render_api_keys(request, shell, form=form, status=exc.status)
    # Rendered, not redirected: the secret is stored only hashed, so this is its one showing.
    return _render_api_keys(request, shell, created=api_key, secret=secret, status=201)


@require_POST
@organisation_page("api_keys", needs="manage_api_keys")
def api_key_revoke(request: HttpRequest, shell: dict, key_id: str) -> HttpResponse:
    try:
        org_services.api_key_revoke(
            acting_user=request.user, organisation=shell["organisation"], key_id=key_id
        )
    except DomainError as exc:
        return _fail(request, exc, _render_api_keys, shell)
    messages.success(request, "The API key is revoked. Integrations using it stop working now.")
    return redirect("frontend:organisation_api_keys", slug=shell["organisation"].slug)


# ---- settings ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@organisation_page("settings", needs="manage_settings")
def organisation_settings(request: HttpRequest, shell: dict) -> HttpResponse:
    organisation = shell["organisation"]
    initial = {"name": organisation.name, "website": organisation.website}
    form = OrganisationForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                org_services.organisation_update(
                    acting_user=request.user,
                    organisation=organisation,
                    name=form.cleaned_data["name"],
                    website=form.cleaned_data["website"],
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
                organisation.refresh_from_db()
            else:
                messages.success(request, "Settings saved.")
                return redirect("frontend:organisation_settings", slug=organisation.slug)
    return render_page(
        request, "frontend/organisations/settings.html", {**shell, "form": form}, status=status
    )
