"""Who may call an endpoint at all. What they may do to an object is decided by the services."""

from rest_framework.permissions import SAFE_METHODS, BasePermission

from marketplace.core.exceptions import PermissionDenied

from .authentication import is_api_key_request


class ApiAccess(BasePermission):
    """Session users must be logged in unless the view sets ``allow_anonymous``.

    An organisation API key may only read, and only on views that set ``api_key_readable``
    (the organisation-scoped ones, which then restrict it to its own organisation).
    """

    def has_permission(self, request, view) -> bool:
        if is_api_key_request(request):
            if not getattr(view, "api_key_readable", False):
                raise PermissionDenied(
                    "API keys can only read their own organisation's data; use a logged-in session here.",
                    code="api_key_not_allowed",
                )
            if request.method not in SAFE_METHODS:
                raise PermissionDenied(
                    "API keys are read-only; changes need a logged-in member.", code="api_key_read_only"
                )
            return True
        if getattr(view, "allow_anonymous", False) and request.method in SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated)
