"""Support staff's dispute pages: the queue (/support/disputes/, ordered by deadline, filtered,
paginated) and a case (/support/disputes/<id>/: the contract, its milestones, the work handed in,
both sides' evidence, the dispute's conversation, this hold's ledger, internal notes, assignment and
the decision). Anyone but support staff (``User.is_support``) gets a 404, as on the /staff/ tools."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from marketplace.core.exceptions import DomainError, NotFound
from marketplace.core.money import Money
from marketplace.disputes import selectors, services
from marketplace.disputes.models import Dispute
from messaging.selectors.conversations import dispute_conversation_for
from messaging.selectors.dispute_context import contract_conversations_for_support

from .. import dispute_facts as facts
from ..conversation_panel import panel_context
from ..forms.disputes import AssignForm, DecisionForm, NoteForm
from ..forms.jobs import add_service_error
from .helpers import paginate, query_without_page, render_page

STATUS_FILTERS = (
    ("", "Open and escalated"),
    ("escalated", "With support"),
    ("open", "Awaiting response"),
    *((value, label) for value, label in Dispute.Status.choices if value not in Dispute.ACTIVE),
)
WHO_FILTERS = (("", "Anyone"), ("me", "Assigned to me"), ("unassigned", "Unassigned"))
KIND_FILTERS = (("", "All kinds"), *Dispute.Kind.choices)


def support_only(view: Callable) -> Callable:
    """Logged-in support staff only; for everyone else the page does not exist."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not selectors.is_support(request.user):
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper


def _choice(request: HttpRequest, name: str, choices) -> str:
    value = request.GET.get(name, "")
    return value if value in {v for v, _ in choices} else ""


@support_only
def support_queue(request: HttpRequest) -> HttpResponse:
    status = _choice(request, "status", STATUS_FILTERS)
    who = _choice(request, "who", WHO_FILTERS)
    kind = _choice(request, "kind", KIND_FILTERS)
    rows = selectors.support_queue(
        status=status or None, assigned_to=request.user if who == "me" else None, kind=kind or None
    )
    if who == "unassigned":
        rows = rows.filter(assigned_to__isnull=True)
    page = paginate(request, rows, load=lambda ids: _load_page(ids))
    now = timezone.now()
    context = {
        "page": page,
        "rows": [
            {
                "dispute": d,
                "deadline": (deadline := facts.deadline_of(d)),
                "overdue": bool(deadline) and deadline["at"] < now,
            }
            for d in page.object_list
        ],
        "filters": {"status": status, "who": who, "kind": kind},
        "status_filters": STATUS_FILTERS,
        "who_filters": WHO_FILTERS,
        "kind_filters": KIND_FILTERS,
        "query": query_without_page(request),
    }
    return render_page(request, "frontend/support/queue.html", context)


def _load_page(ids) -> list[Dispute]:
    by_id = {d.pk: d for d in facts.load_rows(Dispute.objects.filter(pk__in=list(ids)))}
    return [by_id[pk] for pk in ids if pk in by_id]


def _dispute(request: HttpRequest, pk: int) -> Dispute:
    try:
        return selectors.dispute_for(request.user, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _support_users():
    return get_user_model().objects.filter(is_support=True, is_active=True).order_by("full_name", "pk")


def _case(request: HttpRequest, dispute: Dispute, *, status: int = 200, **forms) -> HttpResponse:
    contract = dispute.contract
    money = selectors.dispute_money(dispute)
    held = money["held"].amount_minor
    milestone = dispute.milestone
    conversation = dispute_conversation_for(request.user, dispute)
    decision_form = forms.get("decision_form") or DecisionForm(currency=dispute.currency, held_minor=held)
    preview = forms.get("preview")
    context = {
        "dispute": dispute,
        "contract": contract,
        "milestones": list(contract.milestones.all()),
        "week": facts.week_shown(dispute),
        "submissions": milestone.submissions.select_related("submitted_by").prefetch_related("attachments")
        if milestone
        else [],
        "deadline": facts.deadline_of(dispute),
        "overdue": bool(facts.deadline_of(dispute)) and facts.deadline_of(dispute)["at"] < timezone.now(),
        "evidence": facts.evidence_by_side(dispute),
        "offers": facts.offers_shown(dispute),
        "decision": facts.decision_shown(dispute, money),
        "held_minor": held,
        "amount_minor": money["amount"].amount_minor,
        "ledger": money["ledger"],
        "notes": dispute.staff_notes.select_related("author"),
        "note_form": forms.get("note_form") or NoteForm(),
        "assign_form": forms.get("assign_form")
        or AssignForm(
            support_users=_support_users(), initial={"assignee": dispute.assigned_to_id or request.user.pk}
        ),
        "decision_form": decision_form,
        "preview": preview,
        "can_decide": dispute.status == Dispute.Status.ESCALATED,
        "conversations": contract_conversations_for_support(request.user, dispute),
        "panel": conversation
        and panel_context(
            request, conversation, next_url=reverse("frontend:support_dispute", args=[dispute.pk])
        ),
    }
    return render_page(request, "frontend/support/case.html", context, status=status)


@support_only
def support_dispute(request: HttpRequest, pk: int) -> HttpResponse:
    return _case(request, _dispute(request, pk))


def _act(request: HttpRequest, dispute: Dispute, slot: str, form, call: Callable, done: str) -> HttpResponse:
    if not form.is_valid():
        return _case(request, dispute, status=400, **{slot: form})
    try:
        call(form)
    except DomainError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from exc
        add_service_error(form, exc)
        return _case(request, dispute, status=exc.status, **{slot: form})
    messages.success(request, done)
    return redirect("frontend:support_dispute", pk=dispute.pk)


@require_POST
@support_only
def support_note(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = _dispute(request, pk)

    def call(form):
        services.staff_note_add(acting_user=request.user, dispute=dispute, body=form.cleaned_data["body"])

    return _act(request, dispute, "note_form", NoteForm(request.POST), call, "Note added.")


@require_POST
@support_only
def support_assign(request: HttpRequest, pk: int) -> HttpResponse:
    dispute = _dispute(request, pk)
    form = AssignForm(request.POST, support_users=_support_users())

    def call(form):
        services.dispute_assign(
            acting_user=request.user, dispute=dispute, assignee=form.cleaned_data["assignee"]
        )

    return _act(request, dispute, "assign_form", form, call, "Assigned.")


@require_POST
@support_only
def support_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The decision in two steps: the first shows what each side receives, the second (``confirm``)
    decides. Both parties are told the outcome with the money each receives."""
    dispute = _dispute(request, pk)
    form = DecisionForm(request.POST, currency=dispute.currency, held_minor=facts.held_now(dispute))
    if form.is_valid() and not form.cleaned_data["confirm"]:
        data = form.cleaned_data
        preview = {
            "label": Dispute.Outcome(data["outcome"]).label,
            "split": facts.split_shown(dispute.hold, data["release_minor"], data["refund_minor"]),
        }
        confirmed = DecisionForm(
            initial={**request.POST.dict(), "confirm": True},
            currency=dispute.currency,
            held_minor=form.held_minor,
        )
        return _case(request, dispute, decision_form=confirmed, preview=preview)

    def call(form):
        data = form.cleaned_data
        split = data["outcome"] == Dispute.Outcome.SPLIT
        services.dispute_decide(
            acting_user=request.user,
            dispute=dispute,
            outcome=data["outcome"],
            release=Money(data["release_minor"], dispute.currency) if split else None,
            refund=Money(data["refund_minor"], dispute.currency) if split else None,
            reason=data["reason"],
        )

    return _act(
        request, dispute, "decision_form", form, call, "Decided: both parties are told what each receives."
    )
