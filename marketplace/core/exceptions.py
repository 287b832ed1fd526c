"""Errors that services raise for interfaces to turn into a clear answer (never a 500).

Every domain error carries a machine-readable ``code`` and an HTTP status, so the API answers
``{"error": {"code": ..., "message": ...}}`` and pages show the message, from one place.
"""

# What a CSRF refusal says, in each layer that answers one (Django's check, DRF's, allauth's API).
CSRF_FAILED_MESSAGE = (
    "The request's CSRF token is missing or wrong; send the csrftoken cookie's value in X-CSRFToken."
)


class DependencyUnavailable(Exception):
    """A service the platform needs (database, broker, search, Stripe) did not answer."""


class DomainError(Exception):
    """A request the rules refuse. Subclasses fix the HTTP status; ``code`` names the rule."""

    status = 400
    default_code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, fields: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.fields = fields or {}


class InvalidInput(DomainError):
    status = 400
    default_code = "invalid"


class PermissionDenied(DomainError):
    status = 403
    default_code = "permission_denied"


class NotFound(DomainError):
    """Also used for objects the user may not see, so that their existence does not leak."""

    status = 404
    default_code = "not_found"


class Conflict(DomainError):
    """The request is well formed but the object's state does not allow it."""

    status = 409
    default_code = "conflict"


class PayloadTooLarge(DomainError):
    status = 413
    default_code = "too_large"


class UnsupportedMediaType(DomainError):
    status = 415
    default_code = "unsupported_media_type"


class RateLimited(DomainError):
    """A policy limit on how often something may be done (e.g. new proposals per UTC day)."""

    status = 429
    default_code = "rate_limited"
