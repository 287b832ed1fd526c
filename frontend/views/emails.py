"""The signed one-click unsubscribe link of every notification email. It works without logging
in: a mail client's RFC 8058 button POSTs to it with no cookies, so it is exempt from CSRF (the
signature is what permits it)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from marketplace.core.exceptions import DomainError
from messaging.email_policy import GROUP_BY_KEY
from messaging.services.email_preferences import email_unsubscribe, unsubscribe_link_check


def _masked(email: str) -> str:
    """Enough of the address to recognise it, not enough to harvest it from a forwarded link."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def email_unsubscribe_page(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (a link scanner following it changes nothing); POST, the page's button or a mail
    client's one-click, turns the link's group off. A changed or too old link: 400 with the reason."""
    try:
        if request.method == "POST":
            done = email_unsubscribe(token=token)
        else:
            done = unsubscribe_link_check(token=token)
    except DomainError as exc:
        return render(request, "frontend/emails/unsubscribe_invalid.html", {"error": exc}, status=exc.status)
    context = {
        "token": token,
        "done": request.method == "POST",
        "email": _masked(done.user.email),
        "digest": len(done.groups) > 1,
        "labels": [GROUP_BY_KEY[key].label for key in done.groups],
    }
    return render(request, "frontend/emails/unsubscribe.html", context)
