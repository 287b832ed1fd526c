from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_POST

from escrow.selectors import money_needing_staff, reconciliation_report
from escrow.services.reconciliation import finding_explain, reconciliation_request
from marketplace.core.exceptions import DependencyUnavailable, DomainError, NotFound
from marketplace.core.health import run_readiness_checks
from marketplace.core.selectors import heartbeats_recent
from marketplace.core.services import heartbeat_request
from search.ops import search_status


def favicon(request: HttpRequest) -> HttpResponse:
    """Pages that link no icon (the admin's) make browsers ask for /favicon.ico."""
    return redirect(static("frontend/favicon.svg"), permanent=True)


def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "frontend/landing.html")


@staff_member_required
def ops(request: HttpRequest) -> HttpResponse:
    context = {
        "checks": run_readiness_checks(),
        "heartbeats": heartbeats_recent(),
        "money_attention": money_needing_staff(),
        "reconciliation": reconciliation_report(),
        "search": search_status(),
    }
    return render(request, "frontend/ops.html", context)


@staff_member_required
@require_POST
def ops_ping(request: HttpRequest) -> HttpResponse:
    try:
        heartbeat_request(acting_user=request.user)
    except DependencyUnavailable as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Heartbeat task sent. It appears below once a worker has run it.")
    return redirect("frontend:ops")


@staff_member_required
@require_POST
def ops_reconcile(request: HttpRequest) -> HttpResponse:
    """The staff button: a reconciliation now (its report replaces the latest once it finishes)."""
    try:
        reconciliation_request(acting_user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, "Reconciliation started. Reload this page to see its report once it finishes."
        )
    return redirect(f"{reverse('frontend:ops')}#reconciliation-title")


@staff_member_required
@require_POST
def ops_finding_explain(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a reconciliation finding explained, with staff's note (kept, and audited)."""
    try:
        finding_explain(acting_user=request.user, finding_id=pk, note=request.POST.get("note", ""))
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Finding marked explained.")
    return redirect(f"{reverse('frontend:ops')}#finding-{pk}")
