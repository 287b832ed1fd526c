"""The staff's moderation queue (/staff/moderation/): open reports and the messages the off-platform
contact check flagged, oldest first, each with its decisions. Anyone but staff gets a 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from marketplace.core.exceptions import DomainError
from messaging.selectors import moderation as selectors
from messaging.services import moderation as services

from ..forms.moderation import ModerationNoteForm
from .helpers import render_page, staff_only

PER_PAGE = 20
ACTION_LABELS = {"message": "Hide the message", "job": "Close the job", "profile": "Suspend the account"}
FLAG_LABELS = {"email": "Email", "phone": "Phone", "payment_handle": "Payment or chat handle", "link": "Link"}


def _queue(request: HttpRequest, *, status: int = 200) -> HttpResponse:
    reports = Paginator(selectors.reports_open(), PER_PAGE).get_page(request.GET.get("page"))
    flagged = Paginator(selectors.flagged_messages_open(), PER_PAGE).get_page(request.GET.get("flagged"))
    context = {
        "reports": reports,
        "report_rows": [(report, ACTION_LABELS[report.target_kind]) for report in reports.object_list],
        "flagged": flagged,
        "flagged_rows": [
            (message, [FLAG_LABELS.get(kind, kind) for kind in message.contact_flags])
            for message in flagged.object_list
        ],
    }
    return render_page(request, "frontend/staff/moderation.html", context, status=status)


@staff_only
def moderation_queue(request: HttpRequest) -> HttpResponse:
    return _queue(request)


def _decide(request: HttpRequest, call, done: str) -> HttpResponse:
    """Run one decision with the form's reason; a refusal is shown on the queue, with its status."""
    form = ModerationNoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why: the reason is kept with the decision.")
        return _queue(request, status=400)
    try:
        call(form.cleaned_data["note"])
    except DomainError as exc:
        if exc.status == 404:
            raise Http404(exc.message) from exc
        messages.error(request, exc.message)
        return _queue(request, status=exc.status)
    messages.success(request, done)
    return redirect("frontend:staff_moderation")


def _decision(call, done: str):
    """A POST-only staff view running ``call(staff, pk, note)``: one per decision in the queue."""

    @require_POST
    @staff_only
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _decide(request, lambda note: call(request.user, pk, note), done)

    return view


report_action = _decision(
    lambda staff, pk, note: services.report_action(acting_user=staff, report_id=pk, note=note),
    "Done: the reports of it are closed as actioned.",
)
report_dismiss = _decision(
    lambda staff, pk, note: services.report_dismiss(acting_user=staff, report_id=pk, note=note),
    "Report dismissed.",
)
message_hide = _decision(
    lambda staff, pk, note: services.message_hide(acting_user=staff, message_id=pk, reason=note),
    "Message hidden.",
)
message_clear = _decision(
    lambda staff, pk, note: services.message_flag_clear(acting_user=staff, message_id=pk, note=note),
    "Flag cleared: the message stays as it is.",
)
