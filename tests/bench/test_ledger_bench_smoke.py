"""The ledger benchmark still runs (a few seconds per row); real numbers come from `make bench`."""

import re
import sys

from tests.support.processes import project_env, run


def test_the_ledger_benchmark_prints_its_table():
    env = project_env()
    env.pop("DATABASE_URL", None)
    result = run([sys.executable, "-m", "bench.ledger", "--quick"], env=env, timeout=300)
    rows = re.findall(
        r"^\| (ledger postings|money primitives|fund \+ release)[^|]*\|.*\| ([\d.]+) \|", result.stdout, re.M
    )
    assert [kind for kind, _ in rows] == [
        "ledger postings",
        "ledger postings",
        "money primitives",
        "fund + release",
    ]
    assert all(float(ratio) > 0 for _, ratio in rows), result.stdout
