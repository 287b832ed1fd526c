"""The freelancer's side of jobs: find work (a public page), a job's page with the proposal form,
and the invitations to propose. Visibility is the selectors' (what the viewer may not see is a 404);
every write is a service's."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from marketplace.core.exceptions import DomainError, NotFound
from marketplace.jobs import selectors, services
from marketplace.jobs.models import Job, JobInvitation
from marketplace.jobs.permissions import is_client_side
from marketplace.jobs.services.proposals import utc_day_start

from ..filters import FindWorkFilter
from ..forms_jobs import ReasonForm
from ..forms_work import proposal_forms
from .jobs_common import paginate, query_without_page, skill_groups
from .organisations import safe_next

INVITATION_TABS = (("", "To answer"), ("all", "All"))


def find_work(request: HttpRequest) -> HttpResponse:
    """Open jobs the viewer may see (anonymous visitors: public ones), filtered and paginated."""
    filterset = FindWorkFilter(request.GET or None, queryset=selectors.jobs_open_for(request.user))
    context = {
        "filter": filterset,
        "form": filterset.form,
        "skill_groups": skill_groups(filterset.form),
        "page": paginate(request, filterset.qs),
        "query": query_without_page(request),
    }
    return render(request, "frontend/work/find.html", context)


def visible_job(request: HttpRequest, pk: int) -> Job:
    try:
        return selectors.job_for_viewer(pk=pk, viewer=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def daily_allowance(user) -> dict:
    """How many new proposals the freelancer may still send today (the cap counts UTC days)."""
    now = timezone.now()
    cap = settings.PROPOSAL_DAILY_CAP
    used = services.proposals_today(user, now)
    return {
        "cap": cap,
        "used": used,
        "left": max(0, cap - used),
        "resets_at": utc_day_start(now) + timedelta(days=1),
    }


def job_page(request: HttpRequest, job: Job, *, form=None, formset=None, status: int = 200) -> HttpResponse:
    """A job as the viewer sees it: the client side gets a link to its own page; a freelancer the
    proposal form (or their proposal), their invitation and today's allowance."""
    user = request.user
    client_side = is_client_side(user, job)
    context = {
        "job": job,
        "client_side": client_side,
        "client_jobs_posted": selectors.jobs_posted_by_client_of(job, viewer=user),
        "can_propose": False,
        "form": form,  # when it is not shown (the job closed meanwhile…), its refusal is, on top
    }
    if user.is_authenticated and user.is_freelancer and not client_side:
        proposal = selectors.proposal_of_freelancer_for_job(job=job, freelancer=user)
        can_propose = proposal is None and job.status == Job.Status.OPEN and not user.is_suspended
        if can_propose and form is None:
            form, formset = proposal_forms(job)
        context |= {
            "proposal": proposal,
            "invitation": selectors.invitation_of_freelancer_for_job(job=job, freelancer=user),
            "can_propose": can_propose,
            "form": form,
            "formset": formset,
            "allowance": daily_allowance(user),
            "files_dropped": bool(request.FILES) and form is not None and bool(form.errors),
        }
    return render(request, "frontend/work/job.html", context, status=status)


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
        messages.error(request, exc.message)
    else:
        messages.success(request, f"You declined the invitation to “{invitation.job.title}”.")
    return redirect(safe_next(request) or "frontend:my_invitations")
