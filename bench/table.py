"""One row of the benchmark table, and the table `make bench` prints.

Every figure stands beside an anchor measured in the same run on the same machine (pgbench, a
constant view through the same middleware, the raw channel layer), so the ratio compares across
machines and runs while the absolute numbers do not (these machines are shared and noisy).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    what: str  # "ledger postings/s, 8 clients"
    value: float
    anchor: str  # "pgbench TPC-B, 8 clients"
    anchor_value: float
    unit: str = "/s"
    higher_is_better: bool = True
    target: float | None = None  # the ratio this row must reach (>=, or <= when lower is better)
    peak_rss_mb: float | None = None  # of the measured process(es), when the row has one
    rss_of: str = ""  # which process the peak RSS is of ("gunicorn worker", "uvicorn")
    limit: float | None = None  # an absolute bound on the value itself, in its unit (≤ 50 ms)

    @property
    def ratio(self) -> float:
        """The figure against its anchor, oriented so that bigger is always better."""
        if not self.value or not self.anchor_value:
            return 0.0
        return self.value / self.anchor_value if self.higher_is_better else self.anchor_value / self.value

    @property
    def meets_target(self) -> bool | None:
        if self.target is None and self.limit is None:
            return None
        within = self.limit is None or (
            self.value <= self.limit if not self.higher_is_better else self.value >= self.limit
        )
        return within and (self.target is None or self.ratio >= self.target)


def _number(value: float, unit: str) -> str:
    return f"{value:,.0f} {unit}" if value >= 100 else f"{value:,.2f} {unit}"


def _ratio(ratio: float) -> str:
    """Two significant digits below 0.1 (a small ratio is not zero), two decimals above."""
    return f"{ratio:.2g}" if 0 < ratio < 0.1 else f"{ratio:.2f}"


def render(rows: list[Row]) -> str:
    """A Markdown table (pasted as is into docs/performance.md)."""
    lines = [
        "| measured | project | anchor, same run | anchor | ratio | target | peak RSS |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for row in rows:
        bounds = [] if row.target is None else [f"≥ {row.target:g}"]
        if row.limit is not None:
            bounds.append(f"{'≤' if not row.higher_is_better else '≥'} {row.limit:g} {row.unit}")
        target = ", ".join(bounds) + ("" if not bounds or row.meets_target else " ✗")
        rss = "" if row.peak_rss_mb is None else f"{row.peak_rss_mb:,.0f} MB"
        rss += f" ({row.rss_of})" if row.rss_of and row.peak_rss_mb is not None else ""
        lines.append(
            f"| {row.what} | {_number(row.value, row.unit)} | {row.anchor} | "
            f"{_number(row.anchor_value, row.unit)} | {_ratio(row.ratio)} | {target} | {rss} |"
        )
    return "\n".join(lines)
