"""Contracts, for both parties: the list (active / ended) and the contract page (parties, terms,
fee breakdown, milestones, the ledger of their money, history), with complete (client side) and
cancel (either party)."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from escrow.selectors import ledger_of_holds
from marketplace.contracts import selectors, services
from marketplace.contracts.completion import completion_of, held_reason, named
from marketplace.contracts.fees import contract_breakdown
from marketplace.contracts.models import Contract, Milestone
from marketplace.contracts.money import CLIENT, MoneyEvent, cancel_outcome, money_events, viewer_side
from marketplace.contracts.permissions import require_contract_cancel, require_contract_client
from marketplace.core.exceptions import DomainError, NotFound
from marketplace.disputes.models import Dispute
from marketplace.disputes.selectors import disputes_of
from marketplace.hourly.selectors import current_week, running_timer
from marketplace.jobs.models import BudgetType
from messaging.selectors.conversations import conversation_of_subject

from ..conversation_panel import panel_context
from ..forms.jobs import CancelForm, ReasonForm, add_service_error
from ..review_facts import contract_card
from .helpers import allowed, paginate, query_without_page

FILTERS = (("", "All"), ("active", "Active"), ("ended", "Ended"))

# What a status change means, said from the contract's point of view (others read "from → to"),
# and whether its reason is someone's own words (worth quoting) rather than the service's label.
# The proposal's move to "hired" is left out: it is the offer's acceptance, said once.
SKIPPED = {("jobs.proposal", "hired")}
HISTORY = {
    ("jobs.proposal", "shortlisted"): ("shortlisted the proposal", False),
    ("jobs.proposal", "archived"): ("archived the proposal", False),
    ("jobs.proposal", "offered"): ("sent an offer", False),
    ("jobs.offer", "accepted"): ("accepted the offer; the contract started", False),
    ("jobs.offer", "declined"): ("declined an offer", True),
    ("jobs.offer", "withdrawn"): ("withdrew an offer", True),
    ("jobs.offer", "expired"): ("let an offer expire unanswered", False),
    ("contracts.contract", "completed"): ("marked the contract completed", True),
    ("contracts.contract", "cancelled"): ("cancelled the contract", True),
}


@login_required
def contracts(request: HttpRequest) -> HttpResponse:
    show = request.GET.get("show", "")
    rows = selectors.contracts_of(request.user)
    if show == "active":
        rows = rows.filter(status=Contract.Status.ACTIVE)
    elif show == "ended":
        rows = rows.exclude(status=Contract.Status.ACTIVE)
    else:
        show = ""
    context = {
        "page": paginate(request, rows),
        "show": show,
        "filters": FILTERS,
        "query": query_without_page(request),
    }
    return render(request, "frontend/contracts/list.html", context)


def _contract(request: HttpRequest, pk: int) -> Contract:
    try:
        return selectors.contract_for_viewer(pk=pk, viewer=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _history(contract: Contract, money: list[MoneyEvent]) -> list[dict]:
    """The contract's state changes and its money's movements (as the viewer reads them), oldest
    first."""
    rows = []
    for change in selectors.contract_history(contract):
        if (change.target_type, change.to_status) in SKIPPED:
            continue
        noun = change.target_type.split(".")[-1]
        what, quote = HISTORY.get(
            (change.target_type, change.to_status),
            (f"moved the {noun} from {change.from_status} to {change.to_status}", True),
        )
        rows.append(
            {
                "at": change.created_at,
                "actor": change.actor,
                "what": what,
                "reason": change.reason if quote else "",
            }
        )
    rows.extend({"at": event.at, "actor": event.actor, "what": event.what, "money": event} for event in money)
    return sorted(rows, key=lambda row: row["at"])


def _completion(contract: Contract, milestones: list) -> dict:
    """What the completion dialog says (the unfunded milestones it closes), or why it is not offered."""
    completion = completion_of(milestones)
    intro = f"The work is done and the contract ends. {contract.freelancer.get_full_name()} is told."
    if completion.closed:
        closed = named(completion.closed)
        intro += f" Milestones never funded are closed (cancelled): {closed}; no money moves for them."
    return {"intro": intro, "refused": held_reason(completion.held) if completion.held else ""}


def _page(request: HttpRequest, contract: Contract, *, status: int = 200, **forms) -> HttpResponse:
    user = request.user
    whole, parts = contract_breakdown(contract)
    active = contract.status == Contract.Status.ACTIVE
    client_controls = allowed(require_contract_client, user, contract, "manage_jobs")
    is_freelancer = user.pk == contract.freelancer_id
    milestones = list(contract.milestones.all())
    ledger = list(ledger_of_holds(m.hold_id for m in milestones if m.hold_id))
    side = viewer_side(contract, user)
    money = money_events(ledger, milestones, contract, side=side or CLIENT)
    can_cancel = active and allowed(require_contract_cancel, user, contract)
    conversation = conversation_of_subject(user, contract=contract)
    # The open disputes on its milestones (one query); the open form says why one may not be opened.
    disputes = {
        d.milestone_id: d for d in disputes_of(user).filter(contract=contract, status__in=Dispute.ACTIVE)
    }
    context = {
        "contract": contract,
        "is_freelancer": is_freelancer,
        "breakdown": {
            "whole": whole,
            "parts": list(zip(milestones, parts, strict=True)),
            "currency": contract.currency,
            "hourly": contract.budget_type == BudgetType.HOURLY,
        },
        "history": _history(contract, money),
        "auto_approve_days": settings.MILESTONE_AUTO_APPROVE_DAYS,
        "side": side,
        "disputes": disputes,
        "disputable": Milestone.DISPUTED,
        "money": money,
        "ledger": ledger if side is None else None,  # the accounting view, for staff
        "cancel_outcome": cancel_outcome(milestones) if can_cancel else None,
        "can_complete": active and client_controls,
        "completion": _completion(contract, milestones),
        "can_cancel": can_cancel,
        "complete_form": forms.get("complete_form") or ReasonForm(),
        "cancel_form": forms.get("cancel_form") or CancelForm(),
        # Once it has ended: the parties' reviews, or the call to write one.
        "review_card": contract_card(user, contract),
        # An hourly contract's "Time" section: this week's hours and the timer.
        "time_summary": current_week(contract) if contract.budget_type == BudgetType.HOURLY else None,
        "time_timer": running_timer(contract) if contract.budget_type == BudgetType.HOURLY else None,
        # Its conversation in place (staff, who are not participants, see none).
        "panel": conversation
        and panel_context(
            request, conversation, next_url=reverse("frontend:contract_detail", args=[contract.pk])
        ),
    }
    return render(request, "frontend/contracts/detail.html", context, status=status)


@login_required
def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _contract(request, pk))


def _end(
    request: HttpRequest, pk: int, slot: str, form_class: type, end: Callable, success: str
) -> HttpResponse:
    """Complete or cancel: ``end`` is the service, called with what the form gives; a refusal shows
    the page again with the form, its errors, in its ``slot``."""
    contract = _contract(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        return _page(request, contract, status=400, **{slot: form})
    try:
        end(acting_user=request.user, contract=contract, **form.cleaned_data)
    except DomainError as exc:
        add_service_error(form, exc)
        return _page(request, contract, status=exc.status, **{slot: form})
    messages.success(request, success)
    return redirect("frontend:contract_detail", pk=contract.pk)


@login_required
@require_POST
def contract_complete(request: HttpRequest, pk: int) -> HttpResponse:
    def complete(*, acting_user, contract, reason):
        return services.contract_complete(acting_user=acting_user, contract=contract, note=reason)

    return _end(
        request,
        pk,
        "complete_form",
        ReasonForm,
        complete,
        "The contract is completed. Thank you for working here.",
    )


@login_required
@require_POST
def contract_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _end(
        request,
        pk,
        "cancel_form",
        CancelForm,
        services.contract_cancel,
        "The contract is cancelled; the other party is told why.",
    )
