"""Refusals of who may act, answered alike by every page: a ``PermissionDenied`` or ``NotFound`` from a
service that a page view lets through becomes the refusal page with its status (403, 404), as the
API answers. Pages never offer a control to whom the rules refuse it, so such a request was forged or
stale; a redirect with a message would read as done (and the permission matrix could not tell)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from marketplace.core.exceptions import DomainError, NotFound, PermissionDenied

REFUSALS = (PermissionDenied, NotFound)


def refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """The refusal page: the service's message, and a way on (e.g. posting a job without hiring on)."""
    return render(request, "frontend/accounts/refused.html", {"error": exc}, status=exc.status)


def flash_unless_refused(request: HttpRequest, exc: DomainError) -> None:
    """A page action the service refused: a refusal of who may act propagates (to the refusal page);
    any other (a conflict, a rule of the moment) becomes a message on the page the action returns to."""
    if isinstance(exc, REFUSALS):
        raise exc
    messages.error(request, exc.message)


class RefusalMiddleware:
    """Turns a refusal that escaped a page view into the refusal page. The REST API (DRF) answers its
    own exceptions before they get here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, REFUSALS):
            return refused(request, exception)
        return None
