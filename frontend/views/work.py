"""The freelancer's side of jobs: a job's page with the proposal form, and the invitations to
propose (find work, the job search, is ``job_search``). Visibility is the selectors' (what the
viewer may not see is a 404); every write is a service's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from marketplace.core.exceptions import DomainError, NotFound
from marketplace.jobs import selectors, services
from marketplace.jobs.models import Job, JobInvitation

from ..forms.jobs import ReasonForm
from .helpers import (
    flash_unless_refused,
    job_page,
    paginate,
    query_without_page,
    safe_next,
    visible_job,
)

INVITATION_TABS = (("", "To answer"), ("all", "All"))


def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return job_page(request, visible_job(request, pk))


@login_required
def my_invitations(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "")
    invitations = selectors.invitations_of(request.user)
    waiting = Q(status=JobInvitation.Status.SENT, job__status=Job.Status.OPEN)
    if show != "all":
        show = ""
        invitations = invitations.filter(waiting)
    context = {
        "page": paginate(request, invitations),
        "show": show,
        "tabs": INVITATION_TABS,
        "waiting_count": selectors.invitations_of(request.user).filter(waiting).count(),
        "query": query_without_page(request),
    }
    return render(request, "frontend/work/invitations.html", context)


@login_required
@require_POST
def invitation_decline(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        invitation = selectors.invitation_for_freelancer(pk=pk, viewer=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.job_invitation_decline(acting_user=request.user, invitation=invitation, reason=reason)
    except DomainError as exc:
        flash_unless_refused(request, exc)
    else:
        messages.success(request, f"You declined the invitation to “{invitation.job.title}”.")
    return redirect(safe_next(request) or "frontend:my_invitations")
