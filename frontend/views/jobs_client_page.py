"""The client's page for one job: its summary and actions (publish, close, save as template,
edit), invitations (send, withdraw), and the proposals with shortlist / archive / decline (htmx
where it helps)."""

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from marketplace.core.exceptions import DomainError, NotFound
from marketplace.jobs import selectors, services
from marketplace.jobs.models import Job, Offer, Proposal
from marketplace.jobs.permissions import require_job_control
from messaging.selectors.conversation_pages import conversation_links

from ..forms.jobs import InviteForm, ReasonForm, TemplateNameForm, add_service_error
from ..refusals import REFUSALS
from .helpers import (
    allowed,
    client_job,
    client_proposal,
    flash_unless_refused,
    paginate,
    query_without_page,
    safe_next,
)

PROPOSAL_FILTERS = (
    ("", "All"),
    (Proposal.Status.SUBMITTED, "New"),
    (Proposal.Status.SHORTLISTED, "Shortlisted"),
    (Proposal.Status.OFFERED, "Offer sent"),
    (Proposal.Status.HIRED, "Hired"),
    (Proposal.Status.ARCHIVED, "Archived"),
    (Proposal.Status.DECLINED, "Declined"),
    (Proposal.Status.WITHDRAWN, "Withdrawn"),
)


def _proposals(job: Job, viewer):
    """The job's proposals with their offers (newest first), for the "offer sent" and "hired" links."""
    offers = Offer.objects.select_related("contract").order_by("-sent_at", "-id")
    return selectors.proposals_for_job(job=job, viewer=viewer).prefetch_related(
        Prefetch("offers", queryset=offers)
    )


def _with_conversations(user, proposals) -> list:
    """Each proposal with ``chat``: (its conversation's id, the viewer's unread count) when the
    viewer takes part in it, for the card's "Messages" link. One query for the page."""
    proposals = list(proposals)
    links = conversation_links(user, proposal_ids=[proposal.pk for proposal in proposals])
    for proposal in proposals:
        proposal.chat = links.get(proposal.pk)
    return proposals


def _controls(user, job: Job) -> dict:
    return {
        "can_manage": allowed(require_job_control, user, job),
        "can_offer": allowed(require_job_control, user, job, "make_offers"),
    }


def _proposal_tabs(proposals, show: str) -> dict:
    """The status tabs over the proposals: (value, label, count) for "All", the shown status and every
    status that has any; ``show`` is "" unless it names a status."""
    counts = dict(proposals.order_by().values_list("status").annotate(n=Count("id")))
    show = show if show in Proposal.Status.values else ""
    filters = [
        (value, label, sum(counts.values()) if not value else counts.get(value, 0))
        for value, label in PROPOSAL_FILTERS
    ]
    return {"show": show, "filters": [row for row in filters if row[2] or not row[0] or row[0] == show]}


def _job_page(request: HttpRequest, job: Job, *, status: int = 200, **forms) -> HttpResponse:
    proposals = _proposals(job, request.user)
    tabs = _proposal_tabs(proposals, request.GET.get("status", ""))
    if tabs["show"]:
        proposals = proposals.filter(status=tabs["show"])
    page = paginate(request, proposals)
    page.object_list = _with_conversations(request.user, page.object_list)
    context = {
        "job": job,
        "page": page,
        **tabs,
        "query": query_without_page(request),
        "ending": selectors.job_ending(job),
        "invitations": selectors.invitations_for_job(job=job, viewer=request.user),
        "invite_form": forms.get("invite_form") or InviteForm(),
        "template_form": forms.get("template_form") or TemplateNameForm(initial={"name": job.title}),
        "close_form": forms.get("close_form") or ReasonForm(),
        **_controls(request.user, job),
    }
    return render(request, "frontend/jobs/job.html", context, status=status)


@login_required
def job_proposals(request: HttpRequest, pk: int) -> HttpResponse:
    return _job_page(request, client_job(request, pk))


def _back_to_job(request: HttpRequest, job: Job) -> HttpResponse:
    return redirect(safe_next(request) or reverse("frontend:job_proposals", args=[job.pk]))


@login_required
@require_POST
def job_publish(request: HttpRequest, pk: int) -> HttpResponse:
    job = client_job(request, pk)
    try:
        services.job_publish(acting_user=request.user, job=job)
    except DomainError as exc:
        flash_unless_refused(request, exc)
    else:
        messages.success(request, f"“{job.title}” is posted; freelancers who may see it can propose.")
    return _back_to_job(request, job)


def _job_form_action(
    request: HttpRequest, pk: int, form_class, slot: str, act: Callable[[Job, dict], str]
) -> HttpResponse:
    """A form on the client's job page: validate it, run ``act`` (the service call, returning the
    success message); a refusal shows the page again with the form, its errors, in its ``slot``."""
    job = client_job(request, pk)
    require_job_control(request.user, job)  # who may act, before what they typed
    form = form_class(request.POST)
    if not form.is_valid():
        return _job_page(request, job, status=400, **{slot: form})
    try:
        message = act(job, form.cleaned_data)
    except DomainError as exc:
        add_service_error(form, exc)
        return _job_page(request, job, status=exc.status, **{slot: form})
    messages.success(request, message)
    return _back_to_job(request, job)


@login_required
@require_POST
def job_close(request: HttpRequest, pk: int) -> HttpResponse:
    def close(job: Job, data: dict) -> str:
        services.job_close(acting_user=request.user, job=job, reason=data["reason"])
        return f"“{job.title}” is closed; it takes no more proposals."

    return _job_form_action(request, pk, ReasonForm, "close_form", close)


@login_required
@require_POST
def job_save_template(request: HttpRequest, pk: int) -> HttpResponse:
    def save(job: Job, data: dict) -> str:
        template = services.job_template_save(acting_user=request.user, job=job, name=data["name"])
        return f"Saved as the template “{template.name}”. Post from it under Job templates."

    return _job_form_action(request, pk, TemplateNameForm, "template_form", save)


@login_required
@require_POST
def job_invite(request: HttpRequest, pk: int) -> HttpResponse:
    def invite(job: Job, data: dict) -> str:
        invitation = services.job_invite(
            acting_user=request.user,
            job=job,
            freelancer_handle=data["freelancer_handle"],
            message=data["message"],
        )
        return f"{invitation.freelancer.get_full_name()} is invited to propose."

    return _job_form_action(request, pk, InviteForm, "invite_form", invite)


@login_required
@require_POST
def job_invitation_withdraw(request: HttpRequest, pk: int, invitation_pk: int) -> HttpResponse:
    job = client_job(request, pk)
    try:
        invitation = selectors.invitation_for_client_side(job=job, pk=invitation_pk, viewer=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    try:
        services.job_invitation_withdraw(acting_user=request.user, invitation=invitation)
    except DomainError as exc:
        flash_unless_refused(request, exc)
    else:
        name = invitation.freelancer.get_full_name()
        hidden = " and no longer sees this job" if job.visibility == Job.Visibility.INVITE_ONLY else ""
        messages.success(request, f"The invitation is withdrawn; {name} is told{hidden}.")
    return _back_to_job(request, job)


# ---- proposals: shortlist, archive, decline -----------------------------------------------------


def _proposal_action(request: HttpRequest, pk: int, move: Callable[[Proposal], object], done: str):
    """Run ``move``; answer htmx with the proposal's card (and any refusal in it), others with a redirect."""
    proposal = client_proposal(request, pk)
    error = None
    try:
        move(proposal)
    except REFUSALS:
        raise
    except DomainError as exc:
        error = exc.message
    if request.htmx:
        job = proposal.job
        proposals = _proposals(job, request.user)
        page_query = parse_qs(urlsplit(request.htmx.current_url or "").query)
        context = {
            "proposal": _with_conversations(request.user, [proposals.get(pk=proposal.pk)])[0],
            "job": job,
            "error": error,
            "done": None if error else done,
            "next_url": request.htmx.current_url_abs_path,
            # the tabs' counts change with the move: sent along, swapped out of band
            **_proposal_tabs(proposals, page_query.get("status", [""])[0]),
        }
        return render(request, "frontend/jobs/_proposal_action.html", context | _controls(request.user, job))
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return _back_to_job(request, proposal.job)


@login_required
@require_POST
def proposal_shortlist(request: HttpRequest, pk: int) -> HttpResponse:
    return _proposal_action(
        request,
        pk,
        lambda proposal: services.proposal_shortlist(acting_user=request.user, proposal=proposal),
        "Shortlisted.",
    )


@login_required
@require_POST
def proposal_archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _proposal_action(
        request,
        pk,
        lambda proposal: services.proposal_archive(acting_user=request.user, proposal=proposal),
        "Archived.",
    )


@login_required
@require_POST
def proposal_decline(request: HttpRequest, pk: int) -> HttpResponse:
    form = ReasonForm(request.POST)
    message = form.cleaned_data["reason"] if form.is_valid() else ""
    return _proposal_action(
        request,
        pk,
        lambda proposal: services.proposal_decline(
            acting_user=request.user, proposal=proposal, message=message
        ),
        "Declined; the freelancer is told.",
    )
