"""The freelancer's proposals: send one from a job's page (within the daily cap), my proposals (active,
offers, archived and ended), edit, withdraw, and the files on a proposal."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from marketplace.core.exceptions import DomainError, NotFound
from marketplace.jobs import selectors, services
from marketplace.jobs.models import Job, Offer, Proposal
from marketplace.jobs.permissions import require_proposer

from ..forms.jobs import ReasonForm
from ..forms.work import add_proposal_error, proposal_forms, proposal_terms
from .helpers import (
    checked_uploads,
    daily_allowance,
    flash_unless_refused,
    job_page,
    paginate,
    query_without_page,
    remove_attachment_of,
    safe_next,
    visible_job,
)

# The tabs of "My proposals": still in play, with an offer to answer, and everything else (archived
# by the client, declined, withdrawn, hired, or on a job that no longer takes proposals).
ACTIVE = Q(status__in=(Proposal.Status.SUBMITTED, Proposal.Status.SHORTLISTED), job__status=Job.Status.OPEN)
OFFERS = Q(status=Proposal.Status.OFFERED)
TABS = (
    ("", "Active", ACTIVE),
    ("offers", "Offered", OFFERS),
    ("ended", "Archived and ended", ~(ACTIVE | OFFERS)),
)


def _attach(request: HttpRequest, proposal: Proposal, uploads: list[tuple[str, bytes]]) -> None:
    for name, data in uploads:
        try:
            services.proposal_attachment_add(
                acting_user=request.user, proposal=proposal, data=data, name=name
            )
        except DomainError as exc:
            messages.error(request, f"“{name}” was not attached: {exc.message}")


@login_required
def proposal_new(request: HttpRequest, pk: int) -> HttpResponse:
    job = visible_job(request, pk)
    if request.method != "POST":
        return redirect(reverse("frontend:job_detail", args=[job.pk]) + "#propose")
    require_proposer(request.user)
    form, formset = proposal_forms(job, request.POST, request.FILES)
    terms = proposal_terms(form, formset)
    uploads = checked_uploads(form) if terms is not None else None
    if uploads is None:
        return job_page(request, job, form=form, formset=formset, status=400)
    try:
        proposal = services.proposal_submit(acting_user=request.user, job=job, **terms)
    except DomainError as exc:
        add_proposal_error(form, formset, exc, terms)
        return job_page(request, job, form=form, formset=formset, status=exc.status)
    _attach(request, proposal, uploads)
    messages.success(request, f"Your proposal for “{job.title}” is sent. The client is told.")
    return redirect("frontend:my_proposals")


def _own_proposal(request: HttpRequest, pk: int) -> Proposal:
    """One of the viewer's own proposals; a 404 for anyone else's (the client side's included)."""
    try:
        proposal = selectors.proposal_for_viewer(pk=pk, viewer=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if proposal.freelancer_id != request.user.pk:
        raise Http404("No such proposal.")
    return proposal


def _editable(proposal: Proposal) -> bool:
    return proposal.status in Proposal.EDITABLE and proposal.job.status == Job.Status.OPEN


def _edit_page(request: HttpRequest, proposal: Proposal, form, formset, *, status: int = 200):
    context = {
        "proposal": proposal,
        "job": proposal.job,
        "form": form,
        "formset": formset,
        "files_dropped": bool(request.FILES) and bool(form.errors),
    }
    return render(request, "frontend/work/proposal_edit.html", context, status=status)


@login_required
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _own_proposal(request, pk)
    job = proposal.job
    if not _editable(proposal):
        messages.info(request, "This proposal can no longer be edited.")
        return redirect("frontend:my_proposals")
    if request.method != "POST":
        form, formset = proposal_forms(job, proposal=proposal)
        return _edit_page(request, proposal, form, formset)
    form, formset = proposal_forms(job, request.POST, request.FILES, proposal=proposal)
    terms = proposal_terms(form, formset)
    uploads = checked_uploads(form) if terms is not None else None
    if uploads is None:
        return _edit_page(request, proposal, form, formset, status=400)
    try:
        updated = services.proposal_update(acting_user=request.user, proposal=proposal, **terms)
    except DomainError as exc:
        add_proposal_error(form, formset, exc, terms)
        return _edit_page(request, proposal, form, formset, status=exc.status)
    _attach(request, updated, uploads)
    messages.success(request, f"Your proposal for “{job.title}” is updated.")
    return redirect("frontend:my_proposals")


@login_required
@require_POST
def proposal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _own_proposal(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.proposal_withdraw(acting_user=request.user, proposal=proposal, reason=reason)
    except DomainError as exc:
        flash_unless_refused(request, exc)
    else:
        messages.success(request, f"Your proposal for “{proposal.job.title}” is withdrawn.")
    return redirect(safe_next(request) or "frontend:my_proposals")


@login_required
@require_POST
def proposal_attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    proposal = _own_proposal(request, pk)
    remove_attachment_of(request, attachment_pk, owner=proposal)
    return redirect("frontend:proposal_edit", pk=proposal.pk)


@login_required
def my_proposals(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "")
    tabs = {value: (label, where) for value, label, where in TABS}
    if show not in tabs:
        show = ""
    mine = selectors.proposals_of(request.user)
    counts = mine.aggregate(**{value or "active": Count("pk", filter=where) for value, _, where in TABS})
    offers = Offer.objects.select_related("contract").order_by("-sent_at", "-id")
    rows = mine.filter(tabs[show][1]).prefetch_related(Prefetch("offers", queryset=offers))
    context = {
        "page": paginate(request, rows),
        "show": show,
        "tabs": [(value, label, counts[value or "active"]) for value, label, _ in TABS],
        "allowance": daily_allowance(request.user),
        "query": query_without_page(request),
    }
    return render(request, "frontend/work/proposals.html", context)
