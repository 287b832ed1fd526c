from functools import cache

from django.conf import settings
from django.http import HttpRequest

from messaging.selectors import unread_count
from messaging.selectors.conversations import unread_total
from messaging.selectors.realtime import last_event_id

from .public_pages import placeholders_of


def site(request: HttpRequest) -> dict:
    if placeholders := placeholders_of(request):
        # A page rendered for the public cache: each answer puts its own nonce and CSRF token there.
        return {
            "site_name": settings.SITE_NAME,
            "csp_nonce": placeholders.nonce,
            "csrf_token": placeholders.csrf_token,
        }
    return {
        "site_name": settings.SITE_NAME,
        # django-csp's lazy per-request nonce, under the name django-htmx's {% htmx_script %} reads.
        "csp_nonce": getattr(request, "csp_nonce", ""),
    }


def notifications(request: HttpRequest) -> dict:
    """The header's per-user facts for a logged-in user, the bell's unread count and whether they act
    for a client: at most one query each, and none unless a template shows it (templates call a
    callable when they resolve it; ``cache`` makes that once a request)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": cache(lambda: unread_count(user)),
        # Whether the header lists the client side's pages (My jobs, Payments): at most one query.
        "acts_as_client": cache(lambda: user.is_client or user.memberships.exists()),
    }


def conversations(request: HttpRequest) -> dict:
    """The header's "Messages" count for a logged-in user: one sum over their conversations, and
    only when a template shows it (as the bell's)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_messages": cache(lambda: unread_total(user))}


def realtime(request: HttpRequest) -> dict:
    """Where a logged-in page's websocket starts counting (``<body data-last-event-id>``): the id of
    the user's newest event. A view whose facts change live (the conversation panel) reads it
    before them (``request.last_event_id``), so nothing committed in between is skipped; other pages
    read it when the template shows it — one query on the cursor's primary key."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    read_first = getattr(request, "last_event_id", None)
    if read_first is not None:
        return {"last_event_id": read_first}
    return {"last_event_id": cache(lambda: last_event_id(user.pk))}
