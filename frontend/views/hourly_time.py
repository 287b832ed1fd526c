"""An hourly contract's time, for both parties: the time page (the freelancer's log form and timer,
this week with its day totals and the cap left, past weeks with their money) and a week's page (its
entries and totals, with the billing and review parts other modules fill). The client side's open
time page updates itself when time changes (``hourly.js``, the ``hourly.time`` push)."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.contracts import selectors as contract_selectors
from marketplace.contracts.models import Contract
from marketplace.contracts.money import viewer_side
from marketplace.core.exceptions import DomainError, NotFound
from marketplace.hourly import selectors
from marketplace.hourly.models import Timesheet
from marketplace.hourly.permissions import can_approve, can_log, require_logger
from marketplace.hourly.services import time_entries as services
from marketplace.hourly.services.time_entries import local_start
from marketplace.jobs.models import BudgetType

from ..forms.hourly import EntryForm, TimerForm
from ..forms.jobs import add_service_error
from .helpers import paginate, render_page, viewer_timezone


def _contract(request: HttpRequest, pk: int) -> Contract:
    try:
        contract = contract_selectors.contract_for_viewer(pk=pk, viewer=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    if contract.budget_type != BudgetType.HOURLY:
        raise Http404("This contract is not hourly.")
    return contract


def _entry_initial(request: HttpRequest) -> dict:
    now = timezone.now().astimezone(viewer_timezone(request.user)) - timedelta(hours=1)
    return {
        "day": now.date(),
        "start_time": now.time().replace(second=0, microsecond=0),
        "hours": 1,
        "minutes": 0,
    }


def _time_context(request: HttpRequest, contract: Contract) -> dict:
    user = request.user
    week = selectors.current_week(contract)
    return {
        "contract": contract,
        "week": week,
        "side": viewer_side(contract, user),
        "can_log": can_log(user, contract),
        "timer": selectors.running_timer(contract),
        "is_freelancer": user.pk == contract.freelancer_id,
    }


def _time_page(request: HttpRequest, contract: Contract, *, status: int = 200, **forms_) -> HttpResponse:
    context = _time_context(request, contract)
    context |= {
        "weeks": paginate(request, selectors.past_weeks(contract)),
        "form": forms_.get("form") or EntryForm(initial=_entry_initial(request)),
        "timer_form": forms_.get("timer_form") or TimerForm(),
    }
    return render_page(request, "frontend/hourly/time.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def contract_time(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the page (``?part=week``: just this week's block, for the live refresh). POST: log an
    entry by hand."""
    contract = _contract(request, pk)
    if request.method == "GET":
        if request.GET.get("part") == "week":
            return render_page(request, "frontend/hourly/_this_week.html", _time_context(request, contract))
        return _time_page(request, contract)
    require_logger(request.user, contract)  # who may not log hears 403 (the refusal page), not the form's 400
    form = EntryForm(request.POST)
    if not form.is_valid():
        return _time_page(request, contract, status=400, form=form)
    data = form.cleaned_data
    try:
        started_at = local_start(request.user, data["day"], data["start_time"])
        services.entry_log(
            acting_user=request.user,
            contract=contract,
            started_at=started_at,
            minutes=data["total"],
            memo=data["memo"],
        )
    except DomainError as exc:
        add_service_error(form, exc)
        return _time_page(request, contract, status=exc.status, form=form)
    messages.success(request, "Time logged.")
    return redirect("frontend:contract_time", pk=contract.pk)


@login_required
@require_POST
def contract_timer(request: HttpRequest, pk: int) -> HttpResponse:
    """Start (``action=start``, with an optional memo) or stop (``action=stop``) the timer."""
    contract = _contract(request, pk)
    require_logger(request.user, contract)
    form = TimerForm(request.POST)
    if not form.is_valid():
        return _time_page(request, contract, status=400, timer_form=form)
    try:
        if request.POST.get("action") == "stop":
            result = services.timer_stop(acting_user=request.user, contract=contract)
            for note in result.notes:
                messages.warning(request, note)
            if result.entries:
                recorded = result.minutes_recorded
                messages.success(request, f"Timer stopped: {recorded // 60} h {recorded % 60} min recorded.")
        else:
            services.timer_start(acting_user=request.user, contract=contract, memo=form.cleaned_data["memo"])
            messages.success(request, "Timer started. Stop it when you stop working.")
    except DomainError as exc:
        add_service_error(form, exc)
        return _time_page(request, contract, status=exc.status, timer_form=form)
    return redirect("frontend:contract_time", pk=contract.pk)


@login_required
@require_http_methods(["GET", "POST"])
def time_entry(request: HttpRequest, pk: int, eid: int) -> HttpResponse:
    """The freelancer's edit form for one entry (POST ``action=delete`` deletes it)."""
    contract = _contract(request, pk)
    try:
        entry = selectors.entry_of(contract, eid)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    tz = viewer_timezone(request.user)
    local = entry.started_at.astimezone(tz)
    form = EntryForm(
        request.POST or None,
        initial={
            "day": local.date(),
            "start_time": local.time(),
            "hours": entry.minutes // 60,
            "minutes": entry.minutes % 60,
            "memo": entry.memo,
        },
    )
    status = 200
    if request.method == "POST":
        require_logger(request.user, contract)
        try:
            if request.POST.get("action") == "delete":
                services.entry_delete(acting_user=request.user, entry=entry)
                messages.success(request, "Entry deleted.")
                return redirect("frontend:contract_time", pk=contract.pk)
            if form.is_valid():
                data = form.cleaned_data
                services.entry_update(
                    acting_user=request.user,
                    entry=entry,
                    started_at=local_start(request.user, data["day"], data["start_time"]),
                    minutes=data["total"],
                    memo=data["memo"],
                )
                messages.success(request, "Entry saved.")
                return redirect("frontend:contract_time", pk=contract.pk)
            status = 400
        except DomainError as exc:
            add_service_error(form, exc)
            status = exc.status
    context = {
        "contract": contract,
        "entry": entry,
        "form": form,
        "editable": can_log(request.user, contract) and entry.timesheet.status == "open",
        "is_freelancer": request.user.pk == contract.freelancer_id,
    }
    return render_page(request, "frontend/hourly/entry.html", context, status=status)


@login_required
def contract_week(request: HttpRequest, pk: int, tid: int) -> HttpResponse:
    """One week of the contract: its entries, day totals and money, with the payment and review
    parts (``_week_payment.html``, ``_week_review.html``)."""
    contract = _contract(request, pk)
    try:
        sheet = selectors.timesheet_for_viewer(pk=tid, viewer=request.user, contract=contract)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    context = {
        "contract": contract,
        "timesheet": sheet,
        "week": selectors.timesheet_week(sheet),
        "side": viewer_side(contract, request.user),
        "can_approve": can_approve(request.user, contract),
        "can_log": can_log(request.user, contract),
        "entries_editable": can_log(request.user, contract) and sheet.status == Timesheet.Status.OPEN,
        "is_freelancer": request.user.pk == contract.freelancer_id,
    }
    return render_page(request, "frontend/hourly/week.html", context)
