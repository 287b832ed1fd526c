"""An independent reference for the job success score, written from PRODUCT.md's words and
nothing of the code's ("Reviews and reputation"):

    over the last 12 months (24 if fewer than 5 ended contracts), each ended contract is good
    (completed with money released, no dispute lost, rating ≥ 4 or none), bad (dispute lost,
    cancelled by the client after funding for non-delivery, or rating ≤ 2) or neutral;
    JSS = 100 x Σ weight(good) / Σ weight(all), weight = 1 + log10(1 + value in major units);
    shown only with at least 3 ended contracts.

Values are in major units already (a ``Decimal``); logarithms are taken with 50 significant
digits; months are dateutil's calendar months; the percentage rounds halves up (after taking it to
20 decimals, so that 7 of 8 equal weights is the half it is). ``as_facts`` is the one bridge to the
code's input type, for comparing the two.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal, localcontext

from dateutil.relativedelta import relativedelta

from reviews.reputation.jss import EndedContract

# Minor-unit exponents of the currencies these tests use (ISO 4217).
EXPONENT = {"USD": 2, "EUR": 2, "JPY": 0}


@dataclass(frozen=True)
class Case:
    ended: datetime
    value: Decimal  # in major units
    currency: str
    status: str  # "completed" or "cancelled"
    cancelled_by: str | None  # "client" or "freelancer" when cancelled
    reason: str  # the cancel reason's code, "" when completed
    funded: bool
    released: bool
    dispute: str  # "lost", "won", "settled" or "none"
    stars: int | None  # the client's published review


def reference_class(case: Case) -> str:
    lost = case.dispute == "lost"
    cancelled_for_non_delivery_after_funding = (
        case.status == "cancelled"
        and case.cancelled_by == "client"
        and case.reason == "not_delivered"
        and case.funded
    )
    if lost or cancelled_for_non_delivery_after_funding or (case.stars is not None and case.stars <= 2):
        return "bad"
    if case.status == "completed" and case.released and (case.stars is None or case.stars >= 4):
        return "good"
    return "neutral"


def reference_weight(case: Case) -> Decimal:
    with localcontext() as context:
        context.prec = 50
        return 1 + (1 + case.value).log10()


@dataclass(frozen=True)
class Reference:
    period_months: int
    counted: list[Case]
    score: int | None


def reference_jss(cases: list[Case], now: datetime) -> Reference:
    last_12 = [c for c in cases if c.ended >= now - relativedelta(months=12)]
    if len(last_12) >= 5:
        months, counted = 12, last_12
    else:
        months, counted = 24, [c for c in cases if c.ended >= now - relativedelta(months=24)]
    if len(counted) < 3:
        return Reference(months, counted, None)
    with localcontext() as context:
        context.prec = 50
        good = sum((reference_weight(c) for c in counted if reference_class(c) == "good"), Decimal(0))
        total = sum((reference_weight(c) for c in counted), Decimal(0))
        percent = (100 * good / total).quantize(Decimal("1e-20"), rounding=ROUND_HALF_EVEN)
        score = int(percent.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return Reference(months, counted, score)


def as_facts(case: Case) -> EndedContract:
    """The case as the code's input: the value back in minor units, the words as its flags."""
    return EndedContract(
        ended_at=case.ended,
        amount_minor=int(case.value.scaleb(EXPONENT[case.currency])),
        currency=case.currency,
        completed=case.status == "completed",
        cancelled_by_client=case.status == "cancelled" and case.cancelled_by == "client",
        not_delivered=case.reason == "not_delivered",
        funded=case.funded,
        released=case.released,
        dispute_lost=case.dispute == "lost",
        client_rating=case.stars,
    )
