"""The page views' shared helpers, in one module: view modules import these and never each other."""

import zoneinfo
from collections.abc import Callable
from datetime import timedelta
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from escrow.services.charges import saved_cards
from marketplace.core.exceptions import DependencyUnavailable, DomainError, NotFound
from marketplace.core.files import file_check, file_for_viewer, file_remove
from marketplace.jobs import selectors, services
from marketplace.jobs.models import Job, Proposal
from marketplace.jobs.permissions import is_client_side
from marketplace.jobs.services.proposals import utc_day_start
from messaging.selectors.conversations import conversation_of_subject
from reviews.selectors import client_scorecard_for_job

from ..conversation_panel import panel_context
from ..forms.work import proposal_forms
from ..refusals import flash_unless_refused, refused  # noqa: F401 (the views' one import place)

PER_PAGE = 20


def allowed(check: Callable, *args, **kwargs) -> bool:
    """Whether a permission check from ``marketplace.jobs.permissions`` passes: pages use it only to
    hide controls the viewer cannot use; the services check again when the control is used."""
    try:
        check(*args, **kwargs)
    except DomainError:
        return False
    return True


def client_job(request: HttpRequest, pk: int) -> Job:
    """A job the viewer sees from the client side (its poster, a member of its organisation, or
    staff); a 404 for everyone else, freelancers who can see the job included."""
    try:
        job = selectors.job_for_viewer(pk=pk, viewer=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if not (request.user.is_staff or is_client_side(request.user, job)):
        raise Http404("No such job.")
    return job


def staff_only(view: Callable) -> Callable:
    """Logged-in staff only; for everyone else the page does not exist."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_staff:
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper


def paginate(request: HttpRequest, rows, per_page: int = PER_PAGE, *, load: Callable | None = None) -> Page:
    """The requested page (the last for a number past the end, the first for anything else). With
    ``load``, only the queryset's ids are paged and ``load(ids)`` reads the page's rows (see
    ``ApiView.paginated``)."""
    if load is None:
        return Paginator(rows, per_page).get_page(request.GET.get("page"))
    page = Paginator(rows.values_list("pk", flat=True), per_page).get_page(request.GET.get("page"))
    page.object_list = load(page.object_list)
    return page


def query_without_page(request: HttpRequest) -> str:
    """The current filters as a query string, for pagination links (``?{{ query }}page=2``)."""
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""


def skill_groups(form: forms.Form) -> list[dict]:
    """The taxonomy of a form's ``skills`` field grouped by category, each skill with whether it is
    ticked (one collapsible group per category instead of a long multi-select)."""
    selected = {str(pk) for pk in (form["skills"].value() or [])}
    groups: dict[str, list] = {}
    for skill in form.fields["skills"].queryset:
        groups.setdefault(skill.category, []).append((skill, str(skill.pk) in selected))
    return [
        {"category": category, "skills": skills, "selected": sum(1 for _, ticked in skills if ticked)}
        for category, skills in groups.items()
    ]


def checked_uploads(form: forms.Form) -> list[tuple[str, bytes]] | None:
    """The files of a form's ``attachments`` field (a ``MultipleFileField``), each checked by the
    kernel's own content check before anything is written; None (with the reasons on the form)
    when any is refused."""
    files = form.cleaned_data["attachments"]
    if len(files) > settings.ATTACHMENTS_MAX_COUNT:
        form.add_error("attachments", f"Attach at most {settings.ATTACHMENTS_MAX_COUNT} files.")
        return None
    uploads, ok = [], True
    for upload in files:
        data = upload.read()
        try:
            file_check(data, upload.name)
        except DomainError as exc:
            form.add_error("attachments", f"{upload.name}: {exc.message}")
            ok = False
        uploads.append((upload.name, data))
    return uploads if ok else None


def remove_attachment_of(request: HttpRequest, attachment_pk: int, *, owner: Job | Proposal):
    """Remove one file of a job or a proposal, saying how it went in a message; a 404 for a file the
    viewer cannot see or that belongs elsewhere."""
    try:
        attachment = file_for_viewer(pk=attachment_pk, viewer=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if not owner.attachments.filter(pk=attachment.pk).exists():
        raise Http404("No such file here.")
    try:
        file_remove(acting_user=request.user, file=attachment)
    except DomainError as exc:
        flash_unless_refused(request, exc)
    else:
        messages.success(request, f"“{attachment.original_name}” is removed.")


def viewer_timezone(user) -> zoneinfo.ZoneInfo:
    """The viewer's own timezone for showing times; UTC for visitors or an unknown zone name."""
    try:
        return zoneinfo.ZoneInfo(getattr(user, "timezone", None) or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def render_page(request: HttpRequest, template: str, context: dict, *, status: int = 200) -> HttpResponse:
    return render(request, template, {"viewer_tz": viewer_timezone(request.user), **context}, status=status)


def safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


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
        "client_scorecard": client_scorecard_for_job(job),
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
            "panel": _proposal_panel(request, proposal),
        }
    return render(request, "frontend/work/job.html", context, status=status)


def _proposal_panel(request: HttpRequest, proposal: Proposal | None) -> dict | None:
    """The freelancer's conversation with the client side about their proposal, in place."""
    conversation = proposal and conversation_of_subject(request.user, proposal=proposal)
    if not conversation:
        return None
    next_url = reverse("frontend:job_detail", args=[proposal.job_id])
    return panel_context(request, conversation, next_url=next_url)


def client_proposal(request: HttpRequest, pk: int) -> Proposal:
    """A proposal on a job the viewer sees from the client side; 404 for anyone else (its freelancer too)."""
    try:
        proposal = selectors.proposal_for_viewer(pk=pk, viewer=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if not (request.user.is_staff or is_client_side(request.user, proposal.job)):
        raise Http404("No such proposal.")
    return proposal


# --- the card form (frontend/contracts/_card_form.html + fund.js): funding a milestone, paying a week -


def card_form_context(request: HttpRequest, contract, *, last_error: str = "") -> dict:
    """What the shared card form needs: the client account's saved cards (only that person sees or
    saves them; another member who pays types a card that is not kept), the last refusal, Stripe.js."""
    owner = request.user.pk == contract.client_id
    return {
        "card_owner": owner,
        "cards": saved_cards(contract.client) if owner else [],
        "last_error": last_error,
        "stripe_js_url": settings.STRIPE_JS_URL,
        "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
    }


def payment_json_error(exc: DomainError | DependencyUnavailable) -> JsonResponse:
    """The card form script's error answer: the service's refusal, or 503 when the processor is away."""
    if isinstance(exc, DependencyUnavailable):
        return JsonResponse({"error": {"code": "processor_unavailable", "message": str(exc)}}, status=503)
    return JsonResponse({"error": {"code": exc.code, "message": exc.message}}, status=exc.status)
