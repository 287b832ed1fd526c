"""A limit on how deeply a JSON document may nest, checked before it is parsed.

Python's ``json`` recurses once per level: ``[[[[…`` a few thousand deep raises ``RecursionError``
(not a ``ValueError``), which every JSON reader we use (DRF, allauth's headless views, the websocket
consumer) let through as a 500. No request of ours nests past a handful of levels.
"""

import io
import re

from django.http import HttpRequest, HttpResponse, JsonResponse
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_JSON_DEPTH = 32
CODE = "too_deeply_nested"
MESSAGE = f"The JSON nests deeper than {MAX_JSON_DEPTH} levels."

# Only these bytes change the nesting or whether we are inside a string.
_SIGNIFICANT = re.compile(rb'[\[\]{}"\\]')


def nested_deeper_than(document: bytes | str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``document`` opens more than ``limit`` arrays/objects at once (strings skipped).

    Linear in the document's length; it does not validate, the parser that follows does."""
    if isinstance(document, str):
        document = document.encode("utf-8", "surrogatepass")
    depth, in_string, escaped_until = 0, False, -1
    for match in _SIGNIFICANT.finditer(document):
        position = match.start()
        if position < escaped_until:
            continue
        char = document[position : position + 1]
        if in_string:
            if char == b"\\":
                escaped_until = position + 2
            elif char == b'"':
                in_string = False
        elif char == b'"':
            in_string = True
        elif char in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif char in (b"]", b"}"):
            depth -= 1
    return False


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing too deep a document (400 ``too_deeply_nested``) before parsing."""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        if nested_deeper_than(raw):
            raise ParseError(MESSAGE, code=CODE)
        return super().parse(io.BytesIO(raw), media_type, parser_context)


class HeadlessJsonNestingMiddleware:
    """The same limit for allauth's headless views (``/_allauth/``), which parse the body themselves;
    the refusal is in their error shape (``{"status", "errors": [{"code", "message"}]}``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        view_class = getattr(view_func, "view_class", None)
        if not (view_class and view_class.__module__.startswith("allauth.headless.")):
            return None
        if request.method in ("GET", "HEAD", "OPTIONS") or request.content_type != "application/json":
            return None
        if not nested_deeper_than(request.body):
            return None
        error = {"code": CODE, "message": MESSAGE}
        return JsonResponse({"status": 400, "errors": [error]}, status=400)
