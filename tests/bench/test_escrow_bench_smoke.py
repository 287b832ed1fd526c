"""The escrow benchmark still runs (a few seconds per row); real numbers come from a full local run."""

import re
import sys

from tests.support.processes import REPO_ROOT, project_env, run


def test_the_escrow_benchmark_prints_its_table():
    env = project_env()
    env.pop("DATABASE_URL", None)
    result = run(
        [sys.executable, str(REPO_ROOT / "bench" / "escrow_bench.py"), "--quick"], env=env, timeout=240
    )
    rows = dict(
        re.findall(
            r"^(pgbench TPC-B.*?|ledger postings.*?|fund \+ release.*?)\s{2,}[\d.]+\s+([\d.]+)$",
            result.stdout,
            re.MULTILINE,
        )
    )
    assert len(rows) == 3, result.stdout
    assert all(float(ratio) > 0 for ratio in rows.values()), result.stdout
