"""Pieces of the OpenAPI description shared by the endpoints: the error body and its codes."""

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
