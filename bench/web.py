"""The list endpoints and the middleware stack under the production shape of the web role.

gunicorn (3 sync workers, the production settings with DEBUG off: ``bench.settings``) serves
``bench.wsgi`` on loopback; wrk drives it for a bounded time per row (two threads, six
connections; a small Python load generator where wrk is not installed). The anchor of every HTTP
row is a constant JSON view served by the same gunicorn through the same middleware, measured in
the same run.

Rows:
- each list endpoint at two sizes (10k and 100k rows; quick: 1k and 5k) against the constant view
  (target ≥ 0.2), with p50/p99 latency (a row whose requests take seconds runs six times as
  long, at most a minute, to count a dozen), and its larger size against its smaller (target ≥ 0.83,
  i.e. at most 1.2 times slower at ten times the rows); peak RSS of the gunicorn workers per row;
- the constant view through the project's stack against the same view with no middleware at all
  (the same Django, the same process);
- without --quick, the constant view through the stack minus each middleware in turn, against the
  full stack measured just before it: how much each one costs (docs/performance.md).
"""

import time

from bench import data
from bench.stacks import STACK_HEADER, dropped_with
from bench.support import (
    REQUEST_TIMEOUT,
    Load,
    Server,
    gunicorn,
    load,
    peak_rss_mb,
    reset_peak_rss,
    static_files,
)
from bench.table import Row
from bench.urls import CONSTANT_PATH

ENDPOINTS = (
    ("GET /api/jobs/?page_size=20", "/api/jobs/?page_size=20"),
    ("GET /jobs/ (find work page)", "/jobs/"),
    ("GET /api/profiles/", "/api/profiles/"),
)
CONSTANT = "constant view, full stack"


def _size(n: int) -> str:
    return f"{n // 1000}k" if n % 1000 == 0 else f"{n:,}"


# A row whose requests take seconds each gets a run six times as long (at most a minute), to
# count a few of them.
SLOW_ROW_SECONDS = 60
ENOUGH_REQUESTS = 12


def _drain(result: Load) -> None:
    """wrk stops at its deadline, but sync workers finish the requests it left: wait them out."""
    if result.p99_ms > 500:
        time.sleep(min(REQUEST_TIMEOUT, result.p99_ms / 1000))


def _measured(server: Server, path: str, seconds: float, stack: str = "full") -> tuple[Load, float]:
    """Warm the path up, then drive it; the workers' peak RSS while it ran."""
    workers = server.processes()[1:]
    headers = {STACK_HEADER: stack}
    _drain(load(server.base + path, seconds=1, headers=headers))
    reset_peak_rss(workers)
    result = load(server.base + path, seconds=seconds, headers=headers)
    _drain(result)
    if result.requests < ENOUGH_REQUESTS and seconds < SLOW_ROW_SECONDS:
        result = load(server.base + path, seconds=min(SLOW_ROW_SECONDS, seconds * 6), headers=headers)
        _drain(result)
    return result, peak_rss_mb(workers)


def _latency(result: Load) -> str:
    return f"p50 {result.p50_ms:.1f} ms, p99 {result.p99_ms:.1f} ms"


def measure_lists(server: Server, *, sizes: tuple[int, int], seconds: float) -> list[Row]:
    rows: list[Row] = []
    by_size: dict[tuple[str, int], Load] = {}
    for size in sizes:
        data.grow(size)
        constant, _ = _measured(server, CONSTANT_PATH, seconds)
        for name, path in ENDPOINTS:
            result, rss = _measured(server, path, seconds)
            by_size[name, size] = result
            rows.append(
                Row(
                    f"{name}, {_size(size)} rows ({_latency(result)})",
                    result.requests_per_second,
                    f"{CONSTANT} ({_latency(constant)})",
                    constant.requests_per_second,
                    unit="req/s",
                    target=0.2,
                    peak_rss_mb=rss,
                    rss_of="gunicorn worker",
                )
            )
    small, large = sizes
    for name, _ in ENDPOINTS:
        rows.append(
            Row(
                f"{name}, {_size(large)} rows",
                by_size[name, large].requests_per_second,
                f"the same, {_size(small)} rows",
                by_size[name, small].requests_per_second,
                unit="req/s",
                target=0.83,
            )
        )
    return rows


def measure_stack(server: Server, *, seconds: float, each: bool) -> list[Row]:
    """The constant view through the stack against bare Django; with ``each``, the stack minus
    each middleware in turn, against the full stack measured just before it (shared machines drift)."""
    full, rss = _measured(server, CONSTANT_PATH, seconds)
    bare, _ = _measured(server, CONSTANT_PATH, seconds, stack="bare")
    rows = [
        Row(
            f"{CONSTANT} ({_latency(full)})",
            full.requests_per_second,
            f"constant view, bare Django: no middleware ({_latency(bare)})",
            bare.requests_per_second,
            unit="req/s",
            peak_rss_mb=rss,
            rss_of="gunicorn worker",
        )
    ]
    if each:
        from django.conf import settings

        for name in settings.MIDDLEWARE:
            before, _ = _measured(server, CONSTANT_PATH, seconds)
            without, _ = _measured(server, CONSTANT_PATH, seconds, stack=f"without:{name}")
            rows.append(
                Row(
                    "constant view, stack without "
                    + " + ".join(m.rsplit(".", 1)[-1] for m in dropped_with(name)),
                    without.requests_per_second,
                    f"{CONSTANT}, just before",
                    before.requests_per_second,
                    unit="req/s",
                )
            )
    return rows


def measure(*, quick: bool, database: str, lists: bool = True, middleware: bool = True) -> list[Row]:
    """Both HTTP parts on one gunicorn (Django must be set up here on ``database``)."""
    seconds = 2 if quick else 10
    rows: list[Row] = []
    with static_files(), gunicorn(database) as server:
        if middleware:
            rows += measure_stack(server, seconds=seconds if quick else 5, each=not quick)
        if lists:
            sizes = (1_000, 5_000) if quick else (10_000, 100_000)
            rows += measure_lists(server, sizes=sizes, seconds=seconds)
    return rows
