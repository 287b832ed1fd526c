"""Pieces of the OpenAPI description shared by the endpoints: the error body and its codes."""

import copy

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class FieldErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable, e.g. `required`, `invalid_choice`.")
    message = serializers.CharField()


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text="Machine-readable; branch on this (e.g. `last_owner`, `file_too_large`, `invalid`)."
    )
    message = serializers.CharField(help_text="A sentence a person can read; safe to show.")
    fields = serializers.DictField(
        child=serializers.ListField(child=FieldErrorSerializer()),
        help_text="Per-field errors for invalid input, keyed by field name; empty otherwise.",
    )


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


COMMON = {
    400: "Invalid input: `invalid` (see `fields`) or a rule's own code",
    403: "`not_authenticated` (no session), `permission_denied`, `account_suspended`",
    404: "Not found, or not visible to you",
}


def errors(*statuses: int, **codes: str) -> dict[int, OpenApiResponse]:
    """Error responses for ``extend_schema(responses=…)``: ``errors(400, 403, s409="`last_owner` …")``."""
    described = {status: COMMON.get(status, "") for status in statuses}
    for key, text in codes.items():
        status = int(key.lstrip("s"))
        described[status] = f"{text}; {COMMON[status]}" if status in COMMON and status != 404 else text
    return {
        status: OpenApiResponse(ErrorSerializer, description=text)
        for status, text in sorted(described.items())
    }


def _error_response(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


THROTTLED = {
    **_error_response("`throttled`: over the rate limit; try again after `Retry-After` seconds."),
    "headers": {
        "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds until a retry may succeed."}
    },
}
PAGE_NOT_FOUND = "`not_found`: a `page` past the last (or not a number)"
BAD_BODY = "`parse_error` (the body does not parse), `too_deeply_nested` (JSON past 32 levels)"
UNSUPPORTED = "`unsupported_media_type`: a body in a media type this operation does not take"


def document_common_errors(result, generator, request, public):
    """``POSTPROCESSING_HOOKS``: answers any operation may give without its view saying so — 429 from
    the rate limits (every endpoint), 404 for a ``page`` past the last (every paged list), and 400 and
    415 for a body that does not parse or is in another media type (every operation with a body)."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if "429" in responses:  # the view's own limit (e.g. `rate_limited`), and the throttle's
                responses["429"]["description"] += f"; {THROTTLED['description']}"
                responses["429"]["headers"] = copy.deepcopy(THROTTLED["headers"])
            else:
                responses["429"] = copy.deepcopy(THROTTLED)
            if any(parameter.get("name") == "page" for parameter in operation.get("parameters", [])):
                if "404" in responses:
                    responses["404"]["description"] += f"; {PAGE_NOT_FOUND}"
                else:
                    responses["404"] = _error_response(PAGE_NOT_FOUND)
            if "requestBody" in operation:
                if "400" in responses:
                    responses["400"]["description"] += f"; {BAD_BODY}"
                else:
                    responses["400"] = _error_response(BAD_BODY)
                responses.setdefault("415", _error_response(UNSUPPORTED))
    return result


SESSION_ONLY_NOTE = "\n\nNeeds a logged-in session; API keys are refused (403 `api_key_not_allowed`)."
