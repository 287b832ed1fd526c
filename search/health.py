"""The readiness check ``search`` (``/readyz``, ``/ops/``): does the configured engine answer?"""

from .backends import get_search_backend


def check_search() -> str:
    """Raises ``SearchUnavailable`` when the engine does not answer; else names the backend."""
    backend = get_search_backend()
    backend.check()
    return type(backend).__name__
