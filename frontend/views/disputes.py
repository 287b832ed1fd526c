"""Disputes, for the parties: open one on a milestone (/milestones/<id>/dispute/), the list of one's
disputes, and a dispute's page (the claim, the clock, both sides' evidence, offers, the decision and
the dispute's conversation) with its actions. Every action is a service call; a refusal of who may
act is the refusal page (403/404), any other refusal shows the page again with the reason."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from marketplace.contracts.models import Contract, Milestone
from marketplace.contracts.selectors import contracts_visible_to
from marketplace.core.exceptions import DomainError, NotFound, PermissionDenied
from marketplace.core.money import Money
from marketplace.disputes import selectors, services
from marketplace.disputes.models import Dispute
from marketplace.disputes.permissions import contract_side, opening_terms, refuse_outsider
from marketplace.hourly.models import Timesheet
from marketplace.hourly.permissions import can_approve
from marketplace.hourly.selectors import timesheet_for_viewer
from messaging.selectors.conversations import conversation_of_subject, dispute_conversation_for

from .. import dispute_facts as facts
from ..conversation_panel import panel_context
from ..forms.disputes import (
    DisputeOpenForm,
    EvidenceForm,
    OfferForm,
    ResponseForm,
    WeekDisputeOpenForm,
    WithdrawForm,
)
from ..forms.jobs import add_service_error
from ..refusals import REFUSALS
from .helpers import paginate, query_without_page, render_page

FILTERS = (("", "All"), ("active", "In progress"), ("ended", "Ended"))


def _milestone(request: HttpRequest, pk: int) -> Milestone:
    milestone = (
        Milestone.objects.select_related("contract", "contract__client", "contract__freelancer", "hold")
        .filter(pk=pk, contract__in=contracts_visible_to(request.user))
        .first()
    )
    if milestone is None:
        raise Http404("No such milestone.")
    return milestone


def _open_form(milestone: Milestone, data=None, files=None) -> DisputeOpenForm:
    return DisputeOpenForm(
        data,
        files,
        currency=milestone.contract.currency,
        held_minor=milestone.hold.amount_minor if milestone.hold_id else 0,
        cancellation=_cancellation(milestone),
    )


def _cancellation(milestone: Milestone) -> bool:
    """Whether a dispute opened now is about a cancelled contract's refund."""
    return milestone.contract.status == Contract.Status.CANCELLED and milestone.refund_due_at is not None


def _refuse_who_may_not(user, milestone: Milestone) -> None:
    """Before the form is read: a refusal of who may open one (403, 404) is the refusal page; a
    rule of the moment (already disputed, the window closed) is left to the service's answer."""
    hold_status = milestone.hold.status if milestone.hold_id else ""
    try:
        opening_terms(user, milestone, hold_status=hold_status)
    except REFUSALS:
        raise
    except DomainError:
        pass


@login_required
def dispute_open(request: HttpRequest, pk: int) -> HttpResponse:
    """The open form (GET), or opening it (POST): the money is frozen at once."""
    milestone = _milestone(request, pk)
    active = selectors.active_dispute_of_milestone(milestone)
    if active is not None and selectors.dispute_side(request.user, active):
        return redirect("frontend:dispute_detail", pk=active.pk)
    can_open, why_not = selectors.dispute_can_open(request.user, milestone)
    form, status = _open_form(milestone), 200
    if request.method == "POST":
        _refuse_who_may_not(request.user, milestone)
        form = _open_form(milestone, request.POST, request.FILES)
        status = 400
        if form.is_valid():
            try:
                dispute = services.dispute_open(
                    acting_user=request.user,
                    milestone=milestone,
                    reason=form.cleaned_data["reason"],
                    description=form.cleaned_data["description"],
                    amount=form.money("amount"),
                    files=form.cleaned_data["files"],
                )
            except REFUSALS:
                raise
            except DomainError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request, "Your dispute is open: the money is frozen and the other side is told."
                )
                return redirect("frontend:dispute_detail", pk=dispute.pk)
    context = {
        "milestone": milestone,
        "contract": milestone.contract,
        "form": form,
        "can_open": can_open,
        "why_not": why_not,
        "cancellation": _cancellation(milestone),
        "response_days": settings.DISPUTE_RESPONSE_DAYS,
    }
    return render_page(request, "frontend/disputes/open.html", context, status=status)


def _week(request: HttpRequest, pk: int) -> Timesheet:
    try:
        return timesheet_for_viewer(pk=pk, viewer=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
def dispute_open_week(request: HttpRequest, pk: int) -> HttpResponse:
    """The open form of an hourly week (GET): its entries to tick, each with the amount in
    question; opening it (POST) freezes the week's money and moves the week to disputed."""
    timesheet = _week(request, pk)
    contract = timesheet.contract
    active = selectors.active_dispute_of_timesheet(timesheet)
    if active is not None and selectors.dispute_side(request.user, active):
        return redirect("frontend:dispute_detail", pk=active.pk)
    can_open, why_not = selectors.dispute_can_open_week(request.user, timesheet)
    rows = facts.week_entry_costs(timesheet)
    form, status = WeekDisputeOpenForm(currency=contract.currency, rows=rows), 200
    if request.method == "POST":
        if contract_side(request.user, contract) is None:
            refuse_outsider(request.user, contract, "timesheet_not_found")
        form = WeekDisputeOpenForm(request.POST, request.FILES, currency=contract.currency, rows=rows)
        status = 400
        if form.is_valid():
            try:
                dispute = services.dispute_open_week(
                    acting_user=request.user,
                    timesheet=timesheet,
                    reason=form.cleaned_data["reason"],
                    description=form.cleaned_data["description"],
                    entries=form.cleaned_data["entries"],
                    files=form.cleaned_data["files"],
                )
            except REFUSALS:
                raise
            except DomainError as exc:
                form.add_error(None, exc.message)
                form.add_entry_errors(exc.fields)
                status = exc.status
            else:
                messages.success(
                    request, "Your dispute is open: the week's money is frozen and the other side is told."
                )
                return redirect("frontend:dispute_detail", pk=dispute.pk)
    context = {
        "timesheet": timesheet,
        "contract": contract,
        "side": contract_side(request.user, contract),
        "can_approve": can_approve(request.user, contract),
        "form": form,
        "can_open": can_open,
        "why_not": why_not,
        "response_days": settings.DISPUTE_RESPONSE_DAYS,
    }
    return render_page(request, "frontend/disputes/open_week.html", context, status=status)


@login_required
def dispute_list(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "")
    rows = selectors.disputes_of(request.user)
    if show == "active":
        rows = rows.filter(status__in=Dispute.ACTIVE)
    elif show == "ended":
        rows = rows.exclude(status__in=Dispute.ACTIVE)
    else:
        show = ""
    page = paginate(request, rows, load=lambda ids: _load_page(rows, ids))
    context = {
        "page": page,
        # (dispute, its clock, whether the viewer opened it)
        "rows": [(d, facts.deadline_of(d), d.opened_by_id == request.user.pk) for d in page.object_list],
        "show": show,
        "filters": FILTERS,
        "query": query_without_page(request),
    }
    return render_page(request, "frontend/disputes/list.html", context)


def _load_page(rows, ids) -> list[Dispute]:
    by_id = {d.pk: d for d in facts.load_rows(rows.model.objects.filter(pk__in=list(ids)))}
    return [by_id[pk] for pk in ids if pk in by_id]


def _dispute(request: HttpRequest, pk: int) -> Dispute:
    try:
        return selectors.dispute_for(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _conversations(request: HttpRequest, dispute: Dispute) -> list[tuple[str, object]]:
    """The contract's own conversations the viewer takes part in, to link to."""
    contract = dispute.contract
    found = [("The contract's messages", conversation_of_subject(request.user, contract=contract))]
    proposal = getattr(contract.offer, "proposal", None)
    if proposal is not None:
        found.append(
            ("Messages about the proposal", conversation_of_subject(request.user, proposal=proposal))
        )
    return [(label, conversation) for label, conversation in found if conversation]


def _page(request: HttpRequest, dispute: Dispute, *, status: int = 200, **forms) -> HttpResponse:
    user = request.user
    side = selectors.dispute_side(user, dispute)
    if side is None and selectors.is_support(user):  # support staff work the case on their own page
        return redirect("frontend:support_dispute", pk=dispute.pk)
    # No side: a member of the client's organisation whose role does not act on payments reads it.
    acts = side is not None and dispute.is_active
    opener = side is not None and side == dispute.opened_by_side
    money = selectors.dispute_money(dispute)
    held = money["held"].amount_minor
    currency = dispute.currency
    offers = facts.offers_shown(dispute)
    open_offer = next((row for row in offers if row["offer"].status == "open"), None)
    asked = dispute.opener_asked_support_at if opener else dispute.respondent_asked_support_at
    conversation = dispute_conversation_for(user, dispute)
    here = reverse("frontend:dispute_detail", args=[dispute.pk])
    context = {
        "dispute": dispute,
        "contract": dispute.contract,
        "week": facts.week_shown(dispute),
        "side": side,
        "is_opener": opener,
        "deadline": facts.deadline_of(dispute),
        "evidence": facts.evidence_by_side(dispute),
        "offers": offers,
        "open_offer": open_offer,
        "decision": facts.decision_shown(dispute, money),
        "held_minor": held,
        "amount_minor": money["amount"].amount_minor,
        "acts": acts,
        "can_respond": acts and not opener and not dispute.responded_at,
        "can_ask_support": acts and dispute.status == Dispute.Status.OPEN and not asked,
        "asked_support_at": asked,
        "can_withdraw": acts and opener,
        "respond_form": forms.get("respond_form") or ResponseForm(),
        "evidence_form": forms.get("evidence_form") or EvidenceForm(),
        "offer_form": forms.get("offer_form") or OfferForm(currency=currency, held_minor=held),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "action_error": forms.get("action_error"),
        "conversations": _conversations(request, dispute),
        "panel": conversation and panel_context(request, conversation, next_url=here),
    }
    return render_page(request, "frontend/disputes/detail.html", context, status=status)


@login_required
def dispute_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _dispute(request, pk))


def _require_side(request: HttpRequest, dispute: Dispute, *, opener: bool | None = None) -> str:
    """The viewer's side, refusing support staff (who act on their own page) and, when ``opener``
    is given, the side that may not take this step (403: they see the dispute)."""
    side = selectors.dispute_side(request.user, dispute)
    if side is None:
        raise PermissionDenied("Only the parties take this step.", code="not_a_party")
    if opener is not None and (side == dispute.opened_by_side) != opener:
        who = "who opened the dispute" if opener else "the other side"
        raise PermissionDenied(f"Only {who} can do this.", code="wrong_side")
    return side


def _act(request: HttpRequest, pk: int, slot: str, make_form: Callable, call: Callable, done: str, **who):
    """Check the viewer's side (``who``: see ``_require_side``), validate ``make_form(dispute)``, run
    ``call(dispute, form)`` and come back with ``done``; an invalid form or a refused step shows the
    page again with the form in ``slot``."""
    dispute = _dispute(request, pk)
    _require_side(request, dispute, **who)
    form = make_form(dispute)
    if not form.is_valid():
        return _page(request, dispute, status=400, **{slot: form})
    try:
        call(dispute, form)
    except REFUSALS:
        raise
    except DomainError as exc:
        add_service_error(form, exc)
        return _page(request, dispute, status=exc.status, **{slot: form})
    messages.success(request, done)
    return redirect("frontend:dispute_detail", pk=dispute.pk)


def _bound(form_class, request: HttpRequest) -> Callable:
    """A ``make_form`` for ``_act`` of a form that needs nothing of the dispute."""
    return lambda dispute: form_class(request.POST, request.FILES)


@login_required
@require_POST
def dispute_respond(request: HttpRequest, pk: int) -> HttpResponse:
    def call(dispute, form):
        services.dispute_respond(
            acting_user=request.user,
            dispute=dispute,
            response=form.cleaned_data["response"],
            files=form.cleaned_data["files"],
        )

    form = _bound(ResponseForm, request)
    return _act(
        request, pk, "respond_form", form, call, "Your answer is sent; the other side is told.", opener=False
    )


@login_required
@require_POST
def dispute_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    def call(dispute, form):
        services.evidence_add(
            acting_user=request.user,
            dispute=dispute,
            statement=form.cleaned_data["statement"],
            files=form.cleaned_data["files"],
        )

    form = _bound(EvidenceForm, request)
    return _act(request, pk, "evidence_form", form, call, "Evidence added: both sides and support see it.")


@login_required
@require_POST
def dispute_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    def call(dispute, form):
        services.dispute_withdraw(
            acting_user=request.user, dispute=dispute, reason=form.cleaned_data["reason"]
        )

    done = "The dispute is withdrawn and the money is no longer frozen."
    return _act(request, pk, "withdraw_form", _bound(WithdrawForm, request), call, done, opener=True)


@login_required
@require_POST
def offer_propose(request: HttpRequest, pk: int) -> HttpResponse:
    def call(dispute, form):
        services.offer_propose(
            acting_user=request.user,
            dispute=dispute,
            release=form.money("release"),
            refund=Money(form.cleaned_data["refund_minor"], dispute.currency),
            message=form.cleaned_data["message"],
        )

    def form(dispute):
        return OfferForm(request.POST, currency=dispute.currency, held_minor=facts.held_now(dispute))

    return _act(request, pk, "offer_form", form, call, "Your offer is sent; the other side is told.")


def _offer_step(step: Callable, done: str):
    """A POST view answering one offer (accept, decline, withdraw): a refusal shows on the page."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int, oid: int) -> HttpResponse:
        dispute = _dispute(request, pk)
        _require_side(request, dispute)
        offer = dispute.offers.filter(pk=oid).first()
        if offer is None:
            raise Http404("No such offer.")
        try:
            step(acting_user=request.user, offer=offer)
        except REFUSALS:
            raise
        except DomainError as exc:
            return _page(request, dispute, status=exc.status, action_error=exc.message)
        messages.success(request, done)
        return redirect("frontend:dispute_detail", pk=dispute.pk)

    return view


offer_accept = _offer_step(
    services.offer_accept, "Offer accepted: the dispute is settled and the money moves now."
)
offer_decline = _offer_step(services.offer_decline, "Offer declined; the other side is told.")
offer_withdraw = _offer_step(services.offer_withdraw, "Your offer is withdrawn.")


@login_required
@require_POST
def dispute_ask_support(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = _dispute(request, pk)
    _require_side(request, dispute)
    try:
        dispute = services.dispute_ask_support(acting_user=request.user, dispute=dispute)
    except REFUSALS:
        raise
    except DomainError as exc:
        return _page(request, dispute, status=exc.status, action_error=exc.message)
    if dispute.status == Dispute.Status.ESCALATED:
        messages.success(
            request, "Both sides asked: support now has the case and decides within a business day."
        )
    else:
        messages.success(
            request, "Asked. Support steps in when the other side asks too, or when the time to respond ends."
        )
    return redirect("frontend:dispute_detail", pk=dispute.pk)
