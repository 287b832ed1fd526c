"""The worker's side of talent pools: /pools/ (invitations, my memberships, pools to browse), a pool's
page (its requirements, Apply), and a membership's onboarding checklist (upload, sign, ask for an
override, the status history). The services decide; these pages show their answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from marketplace.core.client_address import client_address
from marketplace.core.exceptions import DomainError, NotFound
from marketplace.organisations.models import PoolMembership, TalentPool
from marketplace.organisations.selectors import pools_worker as selectors
from marketplace.organisations.services import agreements, credentials, joining, overrides
from marketplace.organisations.services import pools as pool_services

from ..forms.organisations import ReasonForm
from ..forms.pools_worker import ApplyForm, CredentialForm, OverrideForm, SignForm, add_service_errors
from .helpers import paginate, render_page

Status = PoolMembership.Status
OVERRIDE_STATUSES = (Status.AWAITING_REQUIREMENTS, Status.SUSPENDED)
STATUS_LABELS = dict(Status.choices)


def _render_pools(request: HttpRequest, *, status: int = 200) -> HttpResponse:
    memberships = list(selectors.my_pool_memberships(request.user))
    return render_page(
        request,
        "frontend/pools/worker_list.html",
        {
            "invited": [m for m in memberships if m.status == Status.INVITED],
            "joined": [m for m in memberships if m.status != Status.INVITED],
            "page": paginate(request, selectors.pools_to_browse(request.user)),
        },
        status=status,
    )


@login_required
def pools(request: HttpRequest) -> HttpResponse:
    return _render_pools(request)


def _respond(request: HttpRequest, service, success: str, **kwargs) -> HttpResponse:
    try:
        membership = service(acting_user=request.user, **kwargs)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _render_pools(request, status=exc.status)
    organisation = membership.pool.organisation.name
    if membership.status in selectors.JOINED and membership.status != Status.ACTIVE:
        # Accepted into a vetted pool: not in yet, the checklist comes first.
        messages.success(
            request, f"Invitation accepted. Meet {organisation}'s requirements below to join the pool."
        )
        return redirect("frontend:pool_membership", membership.pk)
    messages.success(request, success.format(organisation=organisation))
    return redirect("frontend:pools")


@require_POST
@login_required
def pool_accept(request: HttpRequest, membership_id: int) -> HttpResponse:
    return _respond(
        request,
        pool_services.pool_membership_accept,
        "You joined the talent pool of {organisation}.",
        membership_id=membership_id,
    )


@require_POST
@login_required
def pool_decline(request: HttpRequest, membership_id: int) -> HttpResponse:
    return _respond(
        request,
        pool_services.pool_membership_decline,
        "You declined the invitation from {organisation}.",
        membership_id=membership_id,
    )


@require_POST
@login_required
def pool_leave(request: HttpRequest, membership_id: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _respond(
        request,
        pool_services.pool_membership_end,
        "You left the talent pool of {organisation}.",
        membership_id=membership_id,
        reason=reason,
    )


def _pool(request: HttpRequest, pool_id: int) -> TalentPool:
    try:
        return selectors.pool_for_worker(request.user, pool_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _render_pool(request: HttpRequest, pool: TalentPool, form=None, *, status: int = 200) -> HttpResponse:
    return render_page(
        request,
        "frontend/pools/worker_pool.html",
        {
            "pool": pool,
            "lines": selectors.requirement_lines(pool),
            "form": form or ApplyForm(),
            "may_apply": pool.join_policy == TalentPool.JoinPolicy.APPLY and pool.my_membership_id is None,
        },
        status=status,
    )


@login_required
def pool_page(request: HttpRequest, pool_id: int) -> HttpResponse:
    return _render_pool(request, _pool(request, pool_id))


@require_POST
@login_required
def pool_apply(request: HttpRequest, pool_id: int) -> HttpResponse:
    pool = _pool(request, pool_id)
    form = ApplyForm(request.POST)
    if not form.is_valid():
        return _render_pool(request, pool, form, status=400)
    try:
        membership = joining.pool_apply(
            acting_user=request.user, pool_id=pool.pk, message=form.cleaned_data["message"]
        )
    except DomainError as exc:
        add_service_errors(form, exc.fields, exc.message)
        return _render_pool(request, pool, form, status=exc.status)
    messages.success(request, f"You applied to {pool.name}. Here is what it asks of you.")
    return redirect("frontend:pool_membership", membership.pk)


def _membership(request: HttpRequest, membership_id: int) -> PoolMembership:
    try:
        return selectors.my_pool_membership(request.user, membership_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _render_checklist(
    request: HttpRequest, membership: PoolMembership, *, bound=None, status: int = 200
) -> HttpResponse:
    """The checklist; ``bound``: (requirement id or "override", form) shown with its errors."""
    bound_id, bound_form = bound or (None, None)
    joined = membership.status in selectors.JOINED
    rows = []
    for item in selectors.membership_checklist(membership):
        requirement = item.line.requirement
        form = None
        if joined and item.line.action == "upload":
            form = bound_form if bound_id == requirement.pk else CredentialForm(requirement)
        elif joined and item.line.action == "sign" and item.signed is None:
            form = bound_form if bound_id == requirement.pk else SignForm()
        rows.append({"item": item, "form": form})
    override_form = None
    if membership.status in OVERRIDE_STATUSES:
        override_form = bound_form if bound_id == "override" else OverrideForm()
    return render_page(
        request,
        "frontend/pools/worker_checklist.html",
        {
            "membership": membership,
            "pool": membership.pool,
            "rows": rows,
            "joined": joined,
            "override_form": override_form,
            "overrides": list(membership.overrides.order_by("-requested_at")[:5]),
            "history": [
                (change, STATUS_LABELS.get(change.to_status, change.to_status))
                for change in selectors.membership_history(membership)
            ],
        },
        status=status,
    )


@login_required
def pool_membership(request: HttpRequest, membership_id: int) -> HttpResponse:
    return _render_checklist(request, _membership(request, membership_id))


def _requirement(membership: PoolMembership, requirement_id: int):
    requirement = membership.pool.requirements.filter(pk=requirement_id).first()
    if requirement is None:
        raise Http404("No such requirement.")
    return requirement


def _act(request, membership, key, form, action, success: str) -> HttpResponse:
    """Run ``action`` for a valid form; its refusal shows the checklist with the form's errors."""
    if form.is_valid():
        try:
            action()
        except DomainError as exc:
            add_service_errors(form, exc.fields, exc.message)
            status = exc.status
        else:
            messages.success(request, success)
            return redirect("frontend:pool_membership", membership.pk)
    else:
        status = 400
    membership = _membership(request, membership.pk)
    return _render_checklist(request, membership, bound=(key, form), status=status)


@require_POST
@login_required
def pool_credential_upload(request: HttpRequest, membership_id: int, requirement_id: int) -> HttpResponse:
    membership = _membership(request, membership_id)
    requirement = _requirement(membership, requirement_id)
    form = CredentialForm(requirement, request.POST, request.FILES)

    def upload():
        upload = form.cleaned_data["file"]
        credentials.credential_upload(
            acting_user=request.user,
            membership_id=membership.pk,
            requirement_id=requirement.pk,
            data=upload.read(),
            name=upload.name,
            fields=form.service_fields(),
        )

    return _act(
        request, membership, requirement.pk, form, upload, "Uploaded: the organisation will review it."
    )


@require_POST
@login_required
def pool_agreement_sign(request: HttpRequest, membership_id: int, requirement_id: int) -> HttpResponse:
    membership = _membership(request, membership_id)
    requirement = _requirement(membership, requirement_id)
    form = SignForm(request.POST)

    def sign():
        agreements.agreement_sign(
            acting_user=request.user,
            membership_id=membership.pk,
            requirement_id=requirement.pk,
            signed_name=form.cleaned_data["signed_name"],
            ip=client_address(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
        )

    return _act(
        request, membership, requirement.pk, form, sign, "Signed. A copy is kept with your membership."
    )


@require_POST
@login_required
def pool_override_request(request: HttpRequest, membership_id: int) -> HttpResponse:
    membership = _membership(request, membership_id)
    form = OverrideForm(request.POST)

    def ask():
        overrides.override_request(
            acting_user=request.user, membership_id=membership.pk, reason=form.cleaned_data["reason"]
        )

    return _act(
        request, membership, "override", form, ask, "Override requested: the organisation will decide."
    )
