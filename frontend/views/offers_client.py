"""Sending an offer for a proposal: the terms pre-filled from the proposal, and the fee breakdown
shown before sending — recomputed live (htmx) as the amount or milestones change, and on a plain
"Preview" submit without JavaScript."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from marketplace.core.exceptions import DomainError
from marketplace.core.money import minor_to_major
from marketplace.jobs import services
from marketplace.jobs.models import Job, Proposal
from marketplace.jobs.permissions import require_job_control

from ..forms.jobs import OfferForm, add_service_error
from ..forms.money import MilestoneFormSet, milestone_initial
from .helpers import allowed, client_proposal

MILESTONES_PREFIX = "milestones"


def _forms(proposal: Proposal, data=None) -> tuple[OfferForm, object]:
    """The offer form and, for fixed-price work, the milestone formset (None for hourly work),
    starting from the proposal's terms."""
    job = proposal.job
    initial = {"title": job.title, "amount": minor_to_major(proposal.amount_minor, proposal.currency)}
    form = OfferForm(data, job=job, initial=initial)
    formset = None
    if job.budget_type == Job.BudgetType.FIXED:
        formset = MilestoneFormSet(
            data, prefix=MILESTONES_PREFIX, initial=milestone_initial(proposal.milestones, job.currency)
        )
    return form, formset


def _terms(form: OfferForm, formset) -> dict | None:
    """The offer's terms in minor units, or None while the input has errors."""
    if not form.is_valid() or (formset is not None and not formset.is_valid()):
        return None
    milestones = formset.milestones(form.currency) if formset is not None else []
    if formset is not None and any(milestone_form.errors for milestone_form in formset.forms):
        return None  # an amount with more decimals than the currency has
    data = form.cleaned_data
    return {
        "title": data["title"],
        "amount_minor": data["amount_minor"],
        "milestones": milestones,
        "weekly_hour_cap": data.get("weekly_hour_cap"),
        "message": data["message"],
    }


def _breakdown(job: Job, amount_minor: int, milestones: list[dict]) -> dict:
    whole, parts = services.offer_fee_preview(
        organisation=job.organisation, amount_minor=amount_minor, milestones=milestones
    )
    return {
        "whole": whole,
        "parts": list(zip(milestones, parts, strict=True)),
        "currency": job.currency,
        "hourly": job.budget_type == Job.BudgetType.HOURLY,
    }


def _page(request, proposal: Proposal, form, formset, breakdown, *, status: int = 200) -> HttpResponse:
    job = proposal.job
    context = {
        "proposal": proposal,
        "job": job,
        "form": form,
        "formset": formset,
        "breakdown": breakdown,
        "can_send": job.status == Job.Status.OPEN
        and Proposal.Status.OFFERED in Proposal.TRANSITIONS.get(proposal.status, ())
        and allowed(require_job_control, request.user, job, "make_offers"),
    }
    return render(request, "frontend/jobs/offer_new.html", context, status=status)


@login_required
def offer_new(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = client_proposal(request, pk)
    require_job_control(request.user, proposal.job, "make_offers")
    job = proposal.job
    if request.method != "POST":
        form, formset = _forms(proposal)
        breakdown = _breakdown(job, proposal.amount_minor, proposal.milestones)
        return _page(request, proposal, form, formset, breakdown)
    form, formset = _forms(proposal, request.POST)
    terms = _terms(form, formset)
    if terms is None:
        return _page(request, proposal, form, formset, None, status=400)
    breakdown = _breakdown(job, terms["amount_minor"], terms["milestones"])
    if request.POST.get("action") != "send":
        return _page(request, proposal, form, formset, breakdown)
    try:
        offer = services.offer_send(acting_user=request.user, proposal=proposal, **terms)
    except DomainError as exc:
        add_service_error(form, exc)
        return _page(request, proposal, form, formset, breakdown, status=exc.status)
    messages.success(
        request, f"Your offer is sent to {proposal.freelancer.get_full_name()}; they have a week to answer."
    )
    return redirect("frontend:offer_detail", offer.pk)


@login_required
@require_POST
def offer_fee_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the fee breakdown for the terms as typed so far (a hint while they are incomplete)."""
    proposal = client_proposal(request, pk)
    require_job_control(request.user, proposal.job, "make_offers")
    form, formset = _forms(proposal, request.POST)
    terms = _terms(form, formset)
    breakdown = None
    if terms is not None:
        breakdown = _breakdown(proposal.job, terms["amount_minor"], terms["milestones"])
    return render(request, "frontend/jobs/_fee_breakdown.html", {"breakdown": breakdown})
