"""The client's job pages: post a job (from scratch or a template), edit it, my jobs, templates.

Views parse input and call the services and selectors; the services check who may do what.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from marketplace.accounts import selectors as account_selectors
from marketplace.core.exceptions import DomainError, NotFound, PermissionDenied
from marketplace.jobs import selectors, services
from marketplace.jobs.models import Job
from marketplace.jobs.permissions import require_job_control
from marketplace.organisations import selectors as org_selectors

from ..forms.jobs import JobForm, add_service_error
from .helpers import (
    checked_uploads,
    client_job,
    flash_unless_refused,
    paginate,
    query_without_page,
    refused,
    remove_attachment_of,
    skill_groups,
)

STATUS_FILTERS = (("", "All"), *Job.Status.choices)


def _chosen_city(form: JobForm):
    """The city for the picker's label, from the submitted or the initial id."""
    try:
        return form.fields["city"].to_python(form["city"].value())
    except ValidationError:
        return None


def _attach(request: HttpRequest, job: Job, uploads: list[tuple[str, bytes]]) -> None:
    for name, data in uploads:
        try:
            services.job_attachment_add(acting_user=request.user, job=job, data=data, name=name)
        except DomainError as exc:
            messages.error(request, f"“{name}” was not attached: {exc.message}")


def _form_page(request: HttpRequest, form: JobForm, *, job=None, templates=(), template=None, status=200):
    context = {
        "form": form,
        "job": job,
        "templates": templates,
        "template": template,
        "skill_groups": skill_groups(form),
        "city": _chosen_city(form),
        "platform_fees": services.fee_rates(None),
        "job_open_days": settings.JOB_OPEN_DAYS,
        "attachments_max": settings.ATTACHMENTS_MAX_COUNT,
        "attachments_max_mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024),
    }
    return render(request, "frontend/jobs/form.html", context, status=status)


def _template_initial(request: HttpRequest, organisations: dict) -> tuple:
    """(template, initial data) for ``?template=<id>``; a template the user cannot use is a 404."""
    raw = request.GET.get("template", "")
    if not raw:
        return None, {}
    try:
        template = selectors.job_template_for(pk=int(raw), user=request.user)
    except (ValueError, NotFound) as exc:
        raise Http404("No such template.") from exc
    initial = JobForm.initial_from(template.fields)
    if template.organisation_id and str(template.organisation_id) in organisations:
        initial["post_for"] = str(template.organisation_id)
    return template, initial


@login_required
def job_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    organisations = list(org_selectors.organisations_where_user_can(user, "manage_jobs"))
    if not (user.is_client or organisations) or user.is_suspended:
        return refused(
            request,
            PermissionDenied("Turn on hiring in your account settings to post jobs.", code="not_a_client"),
        )
    form_kwargs = {
        "skills": account_selectors.skills_by_category(),
        "organisations": organisations,
        "allow_self": user.is_client,
    }
    templates = list(selectors.job_templates_for(user))
    if request.method != "POST":
        template, initial = _template_initial(request, {str(org.pk): org for org in organisations})
        form = JobForm(initial=initial, **form_kwargs)
        return _form_page(request, form, templates=templates, template=template)
    form = JobForm(request.POST, request.FILES, **form_kwargs)
    uploads = checked_uploads(form) if form.is_valid() else None
    if uploads is None:
        return _form_page(request, form, templates=templates, status=400)
    publish = request.POST.get("action") != "draft"
    try:
        job = services.job_create(
            acting_user=user, organisation=form.organisation, fields=form.job_fields(), publish=publish
        )
    except DomainError as exc:
        add_service_error(form, exc)
        return _form_page(request, form, templates=templates, status=exc.status)
    _attach(request, job, uploads)
    if publish:
        messages.success(request, f"“{job.title}” is posted. Invite freelancers to propose.")
    else:
        messages.success(request, f"“{job.title}” is saved as a draft; only your side can see it.")
    return redirect("frontend:job_proposals", pk=job.pk)


@login_required
def job_edit(request: HttpRequest, pk: int) -> HttpResponse:
    job = client_job(request, pk)
    require_job_control(request.user, job)  # viewers and finance see the job's page, not this form
    if job.status in Job.TERMINAL:
        messages.info(request, f"This job is {job.get_status_display().lower()}; it can no longer be edited.")
        return redirect("frontend:job_proposals", pk=job.pk)
    form_kwargs = {"skills": account_selectors.skills_by_category(), "job": job}
    if request.method != "POST":
        form = JobForm(initial=JobForm.initial_from(services.job_fields(job)), **form_kwargs)
        return _form_page(request, form, job=job)
    form = JobForm(request.POST, request.FILES, **form_kwargs)
    uploads = checked_uploads(form) if form.is_valid() else None
    if uploads is None:
        return _form_page(request, form, job=job, status=400)
    try:
        updated = services.job_update(acting_user=request.user, job=job, fields=form.job_fields())
        if request.POST.get("action") == "publish" and updated.status == Job.Status.DRAFT:
            updated = services.job_publish(acting_user=request.user, job=updated)
    except DomainError as exc:
        add_service_error(form, exc)
        return _form_page(request, form, job=job, status=exc.status)
    _attach(request, updated, uploads)
    published = updated.status == Job.Status.OPEN and job.status == Job.Status.DRAFT
    messages.success(request, f"“{updated.title}” is {'posted' if published else 'saved'}.")
    return redirect("frontend:job_proposals", pk=updated.pk)


@login_required
@require_POST
def job_attachment_remove(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    job = client_job(request, pk)
    remove_attachment_of(request, attachment_pk, owner=job)
    return redirect("frontend:job_edit", pk=job.pk)


@login_required
def my_jobs(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    jobs = selectors.jobs_of_client(request.user)
    if status in Job.Status.values:
        jobs = jobs.filter(status=status)
    else:
        status = ""
    context = {
        "page": paginate(request, jobs),
        "status": status,
        "filters": STATUS_FILTERS,
        "query": query_without_page(request),
    }
    return render(request, "frontend/jobs/mine.html", context)


@login_required
def job_templates(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.job_templates_for(request.user))
    return render(request, "frontend/jobs/templates.html", {"page": page})


@login_required
@require_POST
def job_template_delete(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        template = selectors.job_template_for(pk=pk, user=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    try:
        services.job_template_delete(acting_user=request.user, template=template)
    except DomainError as exc:
        flash_unless_refused(request, exc)
    else:
        messages.success(request, f"The template “{template.name}” is deleted.")
    return redirect("frontend:job_templates")
