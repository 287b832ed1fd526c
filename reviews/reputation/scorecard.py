"""The client scorecard's averages (docs/reputation.md "Client scorecard"), from the times of the
client's milestones and the stars of reviews; the service reads them, nothing here touches the
database.

- Days to approve: from the (latest) hand-in of a milestone's work to its approval, for every
  approved milestone — the client's approvals, the automatic ones after
  ``MILESTONE_AUTO_APPROVE_DAYS`` without an answer, and a dispute's release of handed-in work.
- Days to pay: from the moment a milestone could be funded to its funding, for every funded
  milestone. The first milestone of a contract could be funded when the contract started; a later
  one once the milestone before it was approved (or when the contract started, if that was later).
  Funding ahead of that — before the previous milestone was approved, or while it never was —
  counts as 0 days.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby

DAY = timedelta(days=1)


@dataclass(frozen=True)
class MilestoneTimes:
    contract_id: int
    position: int
    contract_started_at: datetime
    funded_at: datetime | None
    submitted_at: datetime | None
    approved_at: datetime | None


def mean_days(durations: Iterable[timedelta]) -> Decimal | None:
    """The mean in days, to one decimal (halves up); None for no durations."""
    durations = list(durations)
    if not durations:
        return None
    total = sum(durations, timedelta())
    days = Decimal(total // timedelta(microseconds=1)) / (len(durations) * (DAY // timedelta(microseconds=1)))
    return days.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def mean_stars(total: int, count: int) -> Decimal | None:
    """The mean of ``count`` ratings adding up to ``total``, to two decimals (halves up)."""
    if not count:
        return None
    return (Decimal(total) / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def approval_times(milestones: Iterable[MilestoneTimes]) -> list[timedelta]:
    return [
        m.approved_at - m.submitted_at
        for m in milestones
        if m.approved_at is not None and m.submitted_at is not None
    ]


def funding_times(milestones: Iterable[MilestoneTimes]) -> list[timedelta]:
    times = []
    ordered = sorted(milestones, key=lambda m: (m.contract_id, m.position))
    for _, schedule in groupby(ordered, key=lambda m: m.contract_id):
        previous = None
        for milestone in schedule:
            if milestone.funded_at is not None:
                due = _fundable_from(milestone, previous)
                times.append(max(timedelta(), milestone.funded_at - due) if due else timedelta())
            previous = milestone
    return times


def _fundable_from(milestone: MilestoneTimes, previous: MilestoneTimes | None) -> datetime | None:
    """When the milestone could be funded; None: it was funded ahead of that moment."""
    if previous is None:
        return milestone.contract_started_at
    if previous.approved_at is None:
        return None
    return max(previous.approved_at, milestone.contract_started_at)
