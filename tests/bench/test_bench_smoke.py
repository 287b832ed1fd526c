"""`python -m bench --quick` still runs every part and prints every row with a positive ratio.

A smoke-sized run (a few seconds a row) on this machine; the real numbers come from a full run
(docs/performance.md).
"""

import os
import re
import sys

import pytest

from tests.support.processes import REPO_ROOT, project_env, run

# The rows of the quick run, by the start of their "measured" cell.
ENDPOINTS = ("GET /api/jobs/?page_size=20", "GET /jobs/ (find work page)", "GET /api/profiles/")
EXPECTED = {
    "middleware": ["constant view, full stack ("],
    "lists": [
        *(f"{endpoint}, {size} rows (" for size in ("1k", "5k") for endpoint in ENDPOINTS),
        *(f"{endpoint}, 5k rows |" for endpoint in ENDPOINTS),  # against the same at 1k
    ],
    "fanout": [
        f"{what} {count} {tail}"
        for count in (100, 200)
        for what, tail in (
            ("writer held by send_event_on_commit,", "recipients"),
            ("delivery p99 to", "websocket clients"),
            ("delivery p50 to", "websocket clients"),
        )
    ],
    "messaging": [
        f"{what}{count} websocket clients in {count // 2} conversations of two"
        for count in (20, 40)
        for what in (
            "message delivery p99, HTTP post to websocket, ",
            "message delivery p50, ",
            "messages delivered/s, ",
        )
    ],
    "search": [
        "talent index build, 2k profiles",
        *(
            f"{where}talent search, 2k profiles, text + rate + rating + 100 km + skills facet, 20 hits"
            f"{tail} {cut}"
            for where, tail in (("", ", PostgreSQL backend"), ("GET /api/search/talent/, ", ""))
            for cut in ("p50", "p95")
        ),
    ],
}
# The ledger's rows (bench/ledger.py): postings against pgbench at 1 and 8 clients, the primitives,
# and cycles against the fake Stripe.
LEDGER = ["ledger postings/s, 1 client", "ledger postings/s, 8 clients", "money primitives", "fund + release"]


# One test per child process of the bench (bench/__main__.py CHILDREN), so that parallel test
# workers share them out; together they are every part.
PART_GROUPS = [("middleware", "lists"), ("fanout",), ("messaging",), ("ledger",), ("search",)]


@pytest.fixture(scope="session")
def bench_template():
    """One database migrated for this test process's bench runs, which copy it (BENCH_TEMPLATE_DATABASE)
    instead of each migrating an empty database of its own, the slowest step of a quick run. The bench's
    own settings, as its parts use; each part still runs ``migrate`` (nothing left to apply)."""
    from bench.support import psql, server_env

    name = f"marketplace_bench_template_{os.getpid()}"
    psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    psql(f"CREATE DATABASE {name}")
    try:
        migrate = [sys.executable, str(REPO_ROOT / "manage.py"), "migrate", "--noinput"]
        run(migrate, env=server_env(name), timeout=300)  # a part's own migrate had its whole run's time
        yield name
    finally:
        psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.mark.timeout(420)
@pytest.mark.parametrize("parts", PART_GROUPS, ids=["+".join(group) for group in PART_GROUPS])
def test_the_quick_bench_prints_every_row_with_a_positive_ratio(parts, bench_template):
    result = run(
        [sys.executable, "-m", "bench", "--quick", "--only", ",".join(parts)],
        env=project_env(BENCH_TEMPLATE_DATABASE=bench_template),
        timeout=400,
    )

    rows = [
        line
        for line in result.stdout.splitlines()
        if line.startswith("| ") and not line.startswith("| measured")
    ]
    for part in parts:
        for start in EXPECTED.get(part, []):
            assert any(row[2:].startswith(start) for row in rows), (start, result.stdout)
        if part == "ledger":
            for word in LEDGER:
                assert any(word in row for row in rows), (word, result.stdout)
    expected_rows = sum(len(EXPECTED.get(part, [])) for part in parts)
    assert len(rows) >= expected_rows, result.stdout
    ratios = [float(re.split(r"\s*\|\s*", row)[5]) for row in rows]
    assert all(ratio > 0 for ratio in ratios), result.stdout


def test_the_groups_are_every_part_of_the_bench():
    from bench.__main__ import PARTS

    assert sorted(part for group in PART_GROUPS for part in group) == sorted(PARTS)
