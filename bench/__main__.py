"""`make bench` (python -m bench): every benchmark, one Markdown table, each figure beside an
anchor measured in the same run on the same machine.

    .venv/bin/python -m bench                          # the full run (about 15 minutes)
    .venv/bin/python -m bench --quick                  # smoke-sized: a few seconds a row
    .venv/bin/python -m bench --only lists,middleware  # some parts: ledger, lists, middleware, fanout,
                                                       # messaging, search

Each part runs in a child process of its own (each sets Django up on its own scratch database,
dropped at the end) and hands its rows back; the table is printed once all are done. What each row
means, and the anchors: docs/performance.md.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

from bench.table import Row, render

PARTS = ("ledger", "lists", "middleware", "fanout", "messaging", "search")
# Parts that run in one child process, sharing its database and servers.
CHILDREN = {
    "ledger": ("ledger",),
    "http": ("middleware", "lists"),
    "fanout": ("fanout",),
    "messaging": ("messaging",),
    "search": ("search",),
}


def _rows_of(child: str, parts: tuple[str, ...], *, quick: bool) -> list[Row]:
    if child == "ledger":
        from bench import ledger

        return ledger.measure(quick=quick)
    from bench.support import scratch_database, use_bench_settings

    with scratch_database(f"marketplace_bench_{child}_{os.getpid()}") as database:
        use_bench_settings(database)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        if child == "http":
            from bench import web

            rows = web.measure(
                quick=quick, database=database, lists="lists" in parts, middleware="middleware" in parts
            )
        elif child == "search":
            from bench import search

            rows = search.measure(quick=quick, database=database)
        elif child == "messaging":
            from bench import messaging

            rows = messaging.measure(quick=quick, database=database)
        else:
            from bench import fanout

            rows = fanout.measure(quick=quick, database=database)
        from django.db import connections

        connections.close_all()
        return rows


def _run_child(child: str, parts: tuple[str, ...], *, quick: bool) -> list[Row]:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "rows.json"
        args = [
            sys.executable,
            "-m",
            "bench",
            "--child",
            child,
            "--parts",
            ",".join(parts),
            "--rows-to",
            str(out),
        ]
        subprocess.run([*args, *(["--quick"] if quick else [])], check=True)
        return [Row(**row) for row in json.loads(out.read_text())]


def machine() -> str:
    """nproc, the CPU model and the RAM, for the record (docs/performance.md)."""
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), "?"
    )
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    kb = next((int(line.split()[1]) for line in meminfo.splitlines() if line.startswith("MemTotal:")), 0)
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return f"{os.cpu_count()} cores ({model}), {kb / 1024 / 1024:.0f} GB RAM, load average {load} at the end"


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="smoke-sized: a few seconds per row")
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated, of {', '.join(PARTS)}")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--parts", help=argparse.SUPPRESS)
    parser.add_argument("--rows-to", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child:
        rows = _rows_of(args.child, tuple(args.parts.split(",")), quick=args.quick)
        Path(args.rows_to).write_text(json.dumps([asdict(row) for row in rows]))
        return

    chosen = tuple(part.strip() for part in args.only.split(",") if part.strip())
    unknown = set(chosen) - set(PARTS)
    if unknown:
        parser.error(f"unknown parts: {', '.join(sorted(unknown))} (choose from {', '.join(PARTS)})")
    started = time.monotonic()
    rows: list[Row] = []
    failed: list[str] = []
    for child, parts in CHILDREN.items():
        wanted = tuple(part for part in parts if part in chosen)
        if not wanted:
            continue
        print(f"== {', '.join(wanted)} …", file=sys.stderr, flush=True)
        try:
            rows += _run_child(child, wanted, quick=args.quick)
        except subprocess.CalledProcessError as error:  # the other parts' rows are still worth printing
            failed.append(f"{', '.join(wanted)} (exit {error.returncode}, its output is above)")
    kind = "quick run" if args.quick else "full run"
    print(f"\n{kind}, {time.monotonic() - started:.0f} s, on {machine()}\n")
    print(render(rows))
    if failed:
        print(f"\nnot measured: {'; '.join(failed)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
