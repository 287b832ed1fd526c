"""The freelancer's side of talent pools: invitations to accept or decline, memberships to leave."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from marketplace.core.exceptions import DomainError
from marketplace.organisations import selectors
from marketplace.organisations.models import PoolMembership
from marketplace.organisations.services import pools as pool_services

from ..forms.organisations import ReasonForm
from .helpers import render_page


def _render_pools(request: HttpRequest, *, status: int = 200) -> HttpResponse:
    memberships = list(selectors.pool_memberships_for_freelancer(request.user))
    return render_page(
        request,
        "frontend/pools/list.html",
        {
            "invited": [m for m in memberships if m.status == PoolMembership.Status.INVITED],
            "active": [m for m in memberships if m.status == PoolMembership.Status.ACTIVE],
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
    messages.success(request, success.format(organisation=membership.pool.organisation.name))
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
