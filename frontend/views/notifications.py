"""The notifications page: the list (all or unread), mark one or all read, and the link that
marks one read on the way to the page it is about."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from marketplace.core.exceptions import NotFound
from messaging import selectors, services

from .helpers import render_page, safe_next

PER_PAGE = 25


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    rows = selectors.notifications_for(request.user, unread_only=unread_only)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render_page(
        request, "frontend/notifications/list.html", {"page": page, "unread_only": unread_only}
    )


def _mark_read(request: HttpRequest, pk: int):
    try:
        return services.notifications_mark_read(acting_user=request.user, notification_id=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification's link; following it marks it read."""
    notification = _mark_read(request, pk)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("frontend:notifications")


@require_POST
@login_required
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = _mark_read(request, pk)
    if request.htmx:
        # The row, now read; the bell hears of the new count through this event (and the websocket).
        response = render_page(request, "frontend/notifications/_item.html", {"notification": notification})
        response["HX-Trigger"] = json.dumps(
            {"notifications:unread": {"unread": selectors.unread_count(request.user)}}
        )
        return response
    return redirect(safe_next(request) or reverse("frontend:notifications"))


@require_POST
@login_required
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    marked = services.notifications_mark_all_read(acting_user=request.user)
    if marked:
        messages.success(request, f"Marked {marked} notification{'s' if marked != 1 else ''} as read.")
    else:
        messages.info(request, "You had no unread notifications.")
    return redirect(safe_next(request) or reverse("frontend:notifications"))
