from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_POST

from escrow.selectors import money_needing_staff
from marketplace.core.exceptions import DependencyUnavailable
from marketplace.core.health import run_readiness_checks
from marketplace.core.selectors import heartbeats_recent
from marketplace.core.services import heartbeat_request


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
