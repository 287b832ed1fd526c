"""Session authentication with the API's own CSRF answer, and how to tell an API-key request.

The API-key authentication itself belongs to the app whose keys they are
(``marketplace.organisations.api.authentication``); settings name it next to this one.
"""

from drf_spectacular.authentication import SessionScheme
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied
from rest_framework_api_key.models import AbstractAPIKey

from marketplace.core.exceptions import CSRF_FAILED_MESSAGE


def is_api_key_request(request) -> bool:
    """Whether the request authenticated with an API key (``request.auth`` is the key's row)."""
    return isinstance(request.auth, AbstractAPIKey)


class CsrfCheckedSessionAuthentication(SessionAuthentication):
    """DRF's session authentication, its CSRF refusal in the words and code (403 ``csrf_failed``) of
    the one Django's own check answers under /api/ (``core.views.csrf_failure``): it said
    ``permission_denied``, the code of a role refusal."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except PermissionDenied as exc:
            raise PermissionDenied(CSRF_FAILED_MESSAGE, code="csrf_failed") from exc


class CsrfCheckedSessionScheme(SessionScheme):
    """The schema's ``cookieAuth``, as for DRF's own session authentication."""

    target_class = CsrfCheckedSessionAuthentication
