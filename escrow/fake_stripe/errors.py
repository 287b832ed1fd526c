"""Stripe's error responses: ``{"error": {"type", "code", "message", "param", ...}}`` with its statuses."""

from typing import Any

DOCS = "https://stripe.com/docs/error-codes/"


class StripeError(Exception):
    """An API error answered as Stripe does. ``status`` is the HTTP status, ``error`` the body's object."""

    def __init__(self, status: int, error: dict[str, Any]):
        super().__init__(error.get("message"))
        self.status = status
        self.error = {key: value for key, value in error.items() if value is not None}
        code = self.error.get("code")
        if code and "doc_url" not in self.error and status != 401:
            self.error["doc_url"] = DOCS + code.replace("_", "-")

    def body(self) -> dict[str, Any]:
        return {"error": self.error}


def invalid(message: str, *, param: str | None = None, code: str | None = None) -> StripeError:
    """400 invalid_request_error."""
    return StripeError(
        400, {"type": "invalid_request_error", "code": code, "message": message, "param": param}
    )


def no_such(kind: str, object_id: str, *, param: str | None = None) -> StripeError:
    """resource_missing: 404 for an object named by the URL, 400 for one named by a parameter (as Stripe)."""
    return StripeError(
        400 if param else 404,
        {
            "type": "invalid_request_error",
            "code": "resource_missing",
            "message": f"No such {kind}: '{object_id}'",
            "param": param or "id",
        },
    )


def card_error(
    code: str, message: str, *, decline_code: str | None = None, param: str | None = None, **extra
) -> StripeError:
    """402 card_error; ``extra`` carries ``payment_intent``, ``payment_method``, ``charge`` snapshots."""
    error = {
        "type": "card_error",
        "code": code,
        "decline_code": decline_code,
        "message": message,
        "param": param,
    }
    error.update(extra)
    return StripeError(402, error)


def authentication(message: str) -> StripeError:
    return StripeError(401, {"type": "invalid_request_error", "message": message})


def idempotency(message: str) -> StripeError:
    return StripeError(400, {"type": "idempotency_error", "message": message})


def idempotency_key_in_use() -> StripeError:
    """409: another request with this idempotency key is still being served (nothing is kept for this
    one: retry it later with the same key)."""
    return StripeError(
        409,
        {
            "type": "idempotency_error",
            "code": "idempotency_key_in_use",
            "message": "There is currently another in-progress request using this Stripe-Idempotency-Key "
            "(or Idempotency-Key). Please try again later.",
        },
    )


def api_error(message: str) -> StripeError:
    return StripeError(500, {"type": "api_error", "message": message})
