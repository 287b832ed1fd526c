"""Readiness checks for ``/readyz``.

Each app registers the dependencies it needs when it is ready (the database and Redis here; the
search backend and Stripe later), so this kernel module never imports the apps above it.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

import redis
from django.conf import settings
from django.db import connection


class NotConfigured(Exception):
    """The dependency is not used in this profile (e.g. Redis in the embedded default)."""


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool | None  # None: not configured in this profile
    detail: str
    elapsed_ms: float


_checks: dict[str, Callable[[], str]] = {}


def register_readiness_check(name: str, check: Callable[[], str]) -> None:
    """``check`` returns a short detail string, raises ``NotConfigured``, or raises on failure."""
    _checks[name] = check


def run_readiness_checks() -> list[CheckResult]:
    results = []
    for name, check in _checks.items():
        started = time.perf_counter()
        try:
            ok, detail = True, check()
        except NotConfigured as exc:
            ok, detail = None, str(exc)
        except Exception as exc:  # noqa: BLE001 — any failure means "not ready", reported by name
            ok, detail = False, f"{type(exc).__name__}: {exc}"
        results.append(CheckResult(name, ok, detail, round((time.perf_counter() - started) * 1000, 2)))
    return results


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def check_redis() -> str:
    if not settings.REDIS_URL:
        raise NotConfigured("not used by this profile")
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()
    return "PONG"
