"""The API's error shape: ``{"error": {"code": str, "message": str, "fields": {name: [{code, message}]}}}``.

DRF's own errors, Django's 404 and permission errors, our ``DomainError``s and a dependency that
did not answer (``DependencyUnavailable``: 503 ``service_unavailable``) all come out in this one
shape, so a client can branch on ``error.code`` and never sees an HTML 500 for bad input.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import DependencyUnavailable, DomainError


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _is_error(item) -> bool:
    return isinstance(item, dict) and set(item) == {"message", "code"}


def _flatten(path: str, errors, into: dict) -> None:
    """DRF nests the errors of a list's items and of nested objects (``{"skills": {"1": [...]}}``,
    ``{"milestones": [{}, {"title": [...]}]}``); the schema promises ``{name: [{code, message}]}``,
    so each error goes under its dotted path (``skills.1``, ``milestones.1.title``)."""
    if _is_error(errors):
        into.setdefault(path, []).append({"code": errors["code"], "message": errors["message"]})
    elif isinstance(errors, dict):
        for key, inner in errors.items():
            _flatten(path if key == "non_field_errors" else f"{path}.{key}", inner, into)
    elif isinstance(errors, list):
        for index, inner in enumerate(errors):
            _flatten(path if _is_error(inner) else f"{path}.{index}", inner, into)


def _field_errors(detail) -> dict:
    fields: dict = {}
    if isinstance(detail, dict):
        for name, errors in detail.items():
            if name != "non_field_errors":
                _flatten(str(name), errors, fields)
    return fields


def _first_message(detail) -> tuple[str, str]:
    """The first error's code and message, for the top level of the body."""
    # get_full_details() ends each branch in a {"message", "code"} dict: stop there.
    while isinstance(detail, (list, dict)) and not (isinstance(detail, dict) and "message" in detail):
        if not detail:
            return "invalid", "The request is invalid."
        detail = detail[0] if isinstance(detail, list) else next(iter(detail.values()))
    if not isinstance(detail, dict):
        return "invalid", str(detail)
    return detail.get("code", "invalid"), detail.get("message", "The request is invalid.")


def _domain_field_errors(exc: DomainError) -> dict:
    """Services name field errors with plain messages; give them the same {code, message} shape."""
    return {
        name: [
            error if isinstance(error, dict) else {"code": exc.code, "message": str(error)}
            for error in (errors if isinstance(errors, list) else [errors])
        ]
        for name, errors in exc.fields.items()
    }


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message, _domain_field_errors(exc)), status=exc.status)
    if isinstance(exc, DependencyUnavailable):
        body = error_body("service_unavailable", str(exc))
        return Response(body, status=status.HTTP_503_SERVICE_UNAVAILABLE)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        details = exc.get_full_details()
        code, message = _first_message(details)
        if isinstance(details, dict) and set(details) - {"non_field_errors"}:
            code = "invalid"
            message = (
                "Some fields are invalid: " + ", ".join(sorted(set(details) - {"non_field_errors"})) + "."
            )
        response.data = error_body(code, message, _field_errors(details))
    else:
        code = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        response.data = error_body(code if isinstance(code, str) else "error", str(exc.detail))
    if response.status_code == status.HTTP_401_UNAUTHORIZED and not response.has_header("WWW-Authenticate"):
        response.status_code = status.HTTP_403_FORBIDDEN
    return response
