"""The job success score (JSS) of PRODUCT.md "Reviews and reputation", from facts about a
freelancer's ended contracts (the service reads them; nothing here touches the database).

Each ended contract in the period is good, bad or neutral (``classify``); the score is the
weighted share of good ones, ``100 * sum of weight(good) / sum of weight(all)``, with
``weight = 1 + log10(1 + value in major units)`` so that a large contract counts more than a small
one, but not in proportion. The period is the last ``JSS_PERIOD_MONTHS`` (12), or the last
``JSS_LONG_PERIOD_MONTHS`` (24) when fewer than ``JSS_LONG_PERIOD_BELOW`` (5) contracts ended in
the short one; the score is published only from ``JSS_MIN_ENDED_CONTRACTS`` (3) ended contracts
in the period. docs/reputation.md says it in plain words, with worked examples a test checks.
"""

import calendar
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings

from marketplace.core.money import currency_exponent

GOOD, BAD, NEUTRAL = "good", "bad", "neutral"


@dataclass(frozen=True)
class Rules:
    """The settings of the score (marketplace/config/settings/base.py), passed in so that tests
    can state them."""

    period_months: int = 12
    long_period_months: int = 24
    long_period_below: int = 5
    min_ended: int = 3

    @classmethod
    def from_settings(cls) -> "Rules":
        return cls(
            period_months=settings.JSS_PERIOD_MONTHS,
            long_period_months=settings.JSS_LONG_PERIOD_MONTHS,
            long_period_below=settings.JSS_LONG_PERIOD_BELOW,
            min_ended=settings.JSS_MIN_ENDED_CONTRACTS,
        )


@dataclass(frozen=True)
class EndedContract:
    """What the score needs to know of one ended contract of the freelancer."""

    ended_at: datetime
    amount_minor: int
    currency: str
    completed: bool  # completed (else cancelled)
    cancelled_by_client: bool  # cancelled by someone other than the freelancer
    not_delivered: bool  # the cancel reason is "the work was not delivered"
    funded: bool  # at least one milestone was funded (whatever became of the money)
    released: bool  # at least one milestone's money was released or split to the freelancer
    dispute_lost: bool  # a dispute on it was decided by support with more refunded than released
    client_rating: int | None  # overall stars of the client's published review, if any


def classify(contract: EndedContract) -> str:
    """Bad if a dispute was lost, if the client side cancelled it for non-delivery after funding, or
    if the client's published review gave 2 stars or fewer; else good if it was completed with money
    released and the client's review (if any) gave 4 stars or more; else neutral."""
    rating = contract.client_rating
    if (
        contract.dispute_lost
        or (contract.cancelled_by_client and contract.not_delivered and contract.funded)
        or (rating is not None and rating <= 2)
    ):
        return BAD
    if contract.completed and contract.released and (rating is None or rating >= 4):
        return GOOD
    return NEUTRAL


def weight(amount_minor: int, currency: str) -> float:
    """``1 + log10(1 + value)``, the value in the currency's major units (dollars, euros, yen)."""
    return 1 + math.log10(1 + amount_minor / 10 ** currency_exponent(currency))


def months_before(moment: datetime, months: int) -> datetime:
    """The same time of day ``months`` calendar months earlier; a day the month lacks becomes its
    last day (31 March less one month is 28 or 29 February)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def period_months(ended_at: Iterable[datetime], *, now: datetime, rules: Rules) -> int:
    """The period the score looks back over: the short one, unless fewer than
    ``rules.long_period_below`` contracts ended in it."""
    start = months_before(now, rules.period_months)
    recent = sum(1 for moment in ended_at if moment >= start)
    return rules.period_months if recent >= rules.long_period_below else rules.long_period_months


def round_half_up(percent: float) -> int:
    """87.5 → 88 (not Python's ``round``, which rounds halves to even: 88.5 → 88). The share is first
    taken to 9 decimals, so that a half reached through inexact logarithms is a half: one good of
    eight $123.45 contracts computes as 12.499999999999998 and scores 13."""
    return math.floor(round(percent, 9) + 0.5)


@dataclass(frozen=True)
class JobSuccess:
    score: int | None  # None: fewer than ``rules.min_ended`` contracts ended in the period
    period_months: int
    good: int
    bad: int
    neutral: int
    good_weight: float
    total_weight: float

    @property
    def ended(self) -> int:
        return self.good + self.bad + self.neutral


def job_success(contracts: Iterable[EndedContract], *, now: datetime, rules: Rules) -> JobSuccess:
    """The score over the contracts that ended in the period (those before it are left out)."""
    contracts = list(contracts)
    months = period_months((c.ended_at for c in contracts), now=now, rules=rules)
    start = months_before(now, months)
    weighed = [(classify(c), weight(c.amount_minor, c.currency)) for c in contracts if c.ended_at >= start]
    kinds = [kind for kind, _ in weighed]
    # fsum rounds each sum once, exactly: when every contract is good both sums are equal (100,
    # never 99.99…), and a part never exceeds the whole.
    good_weight = math.fsum(w for kind, w in weighed if kind == GOOD)
    total_weight = math.fsum(w for _, w in weighed)
    shown = weighed and len(weighed) >= rules.min_ended
    score = round_half_up(100 * good_weight / total_weight) if shown else None
    return JobSuccess(
        score=score,
        period_months=months,
        good=kinds.count(GOOD),
        bad=kinds.count(BAD),
        neutral=kinds.count(NEUTRAL),
        good_weight=good_weight,
        total_weight=total_weight,
    )
