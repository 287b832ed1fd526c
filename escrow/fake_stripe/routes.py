"""The route table: resource modules register their handlers here with ``@route(method, pattern)``.

A handler is called as ``handler(store, call, **path_params)`` with the store's lock held, and returns
the response object (200), a ``(status, object)`` pair, or a ``Raw`` response (HTML, JavaScript,
redirects). ``auth`` is ``"secret"`` (a ``sk_test_`` key), ``"publishable"`` (a secret key, or a
``pk_test_`` key whose use the handler checks itself) or ``"none"`` (the fake-only endpoints).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Raw:
    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Route:
    method: str
    regex: re.Pattern
    handler: Callable[..., Any]
    auth: str
    locked: bool


ROUTES: list[Route] = []


def route(method: str, pattern: str, *, auth: str = "secret", locked: bool = True):
    """Register a handler; ``{name}`` in ``pattern`` matches one path segment. ``locked=False`` runs the
    handler without the store's lock (for handlers that wait, such as the webhook flush)."""
    regex = re.compile("^" + re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern) + "$")

    def register(handler: Callable[..., Any]) -> Callable[..., Any]:
        ROUTES.append(Route(method, regex, handler, auth, locked))
        return handler

    return register


def match(method: str, path: str) -> tuple[Route | None, dict[str, str], bool]:
    """The route for ``method`` and ``path``, its path parameters, and whether the path exists at all."""
    path_known = False
    for candidate in ROUTES:
        found = candidate.regex.match(path)
        if found:
            path_known = True
            if candidate.method == method:
                return candidate, found.groupdict(), True
    return None, {}, path_known
