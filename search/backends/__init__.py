"""``get_search_backend(alias="default")``: the configured backend, one instance per alias.

``SEARCH_BACKENDS`` is shaped like ``CACHES``: ``{"default": {"BACKEND": "dotted.path.Class",
"OPTIONS": {...}}}``.
"""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import InvalidQuery, SearchBackend, SearchUnavailable


@cache
def get_search_backend(alias: str = "default") -> SearchBackend:
    config = settings.SEARCH_BACKENDS[alias]
    backend_class = import_string(config["BACKEND"])
    return backend_class(alias, dict(config.get("OPTIONS", {})))


def reset_search_backends() -> None:
    """Forget the instances (tests that change ``SEARCH_BACKENDS``)."""
    get_search_backend.cache_clear()


__all__ = [
    "InvalidQuery",
    "SearchBackend",
    "SearchUnavailable",
    "get_search_backend",
    "reset_search_backends",
]
