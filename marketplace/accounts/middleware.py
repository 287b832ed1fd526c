"""A suspended user may log in, but only to see why: every other page sends them to that page."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from marketplace.core.api import error_body


class SuspendedUserMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_suspended
            and not self._allowed(request.path)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    error_body("account_suspended", "This account is suspended: " + user.suspension_reason),
                    status=403,
                )
            return redirect("frontend:suspended")
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        allowed = (
            reverse("frontend:suspended"),
            reverse("account_logout"),
            settings.STATIC_URL,
            "/healthz",
            "/readyz",
        )
        return path.startswith(allowed)
