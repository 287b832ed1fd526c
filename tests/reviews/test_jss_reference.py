"""The job success score against the independent reference (``jss_reference``, from PRODUCT.md's
words), on generated records: the same class for every contract, the same period and score; the
score within 0 to 100; and, within one period, a good contract never lowers it and a bad one never
raises it. Bounded by the project's hypothesis profile ("ci")."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reviews.reputation import jss
from tests.reviews.jss_reference import EXPONENT, Case, as_facts, reference_class, reference_jss

NOW = datetime(2027, 6, 30, 12, 0, tzinfo=UTC)
RULES = jss.Rules()  # PRODUCT.md's numbers: 12 months, 24 below 5, shown from 3


@st.composite
def cases(draw, *, oldest_days: int = 31 * 30, kind: str | None = None) -> Case:
    """An ended contract: any way of ending, or one drawn to be good or bad (``kind``)."""
    currency = draw(st.sampled_from(sorted(EXPONENT)))
    minor = draw(st.integers(min_value=1, max_value=10**11))
    ended = NOW - timedelta(seconds=draw(st.integers(min_value=0, max_value=oldest_days * 86_400)))
    value = Decimal(minor).scaleb(-EXPONENT[currency])
    if kind == "good":
        return Case(
            ended,
            value,
            currency,
            "completed",
            None,
            "",
            True,
            True,
            draw(st.sampled_from(["none", "won", "settled"])),
            draw(st.sampled_from([None, 4, 5])),
        )
    if kind == "bad":
        # One of the three ways, whatever else is true of the contract.
        way = draw(st.sampled_from(["dispute lost", "not delivered after funding", "low stars"]))
        if way == "not delivered after funding":
            return Case(
                ended,
                value,
                currency,
                "cancelled",
                "client",
                "not_delivered",
                True,
                draw(st.booleans()),
                draw(st.sampled_from(["none", "won"])),
                draw(st.sampled_from([None, 3, 4, 5])),
            )
        return Case(
            ended,
            value,
            currency,
            "completed",
            None,
            "",
            True,
            draw(st.booleans()),
            "lost" if way == "dispute lost" else draw(st.sampled_from(["none", "won", "settled"])),
            draw(st.sampled_from([None, 1, 2, 3, 4, 5] if way == "dispute lost" else [1, 2])),
        )
    status = draw(st.sampled_from(["completed", "cancelled"]))
    cancelled = status == "cancelled"
    return Case(
        ended=ended,
        value=value,
        currency=currency,
        status=status,
        cancelled_by=draw(st.sampled_from(["client", "freelancer"])) if cancelled else None,
        reason=draw(st.sampled_from(["not_delivered", "unresponsive", "plans_changed", "mutual", "other"]))
        if cancelled
        else "",
        funded=draw(st.booleans()),
        released=draw(st.booleans()),
        dispute=draw(st.sampled_from(["none", "lost", "won", "settled"])),
        stars=draw(st.sampled_from([None, 1, 2, 3, 4, 5])),
    )


def _score(records: list[Case]) -> jss.JobSuccess:
    return jss.job_success([as_facts(c) for c in records], now=NOW, rules=RULES)


@given(cases())
def test_each_contract_is_classified_as_the_words_say(case):
    assert jss.classify(as_facts(case)) == reference_class(case)


@given(st.lists(cases(), max_size=14))
def test_the_score_period_and_counts_match_the_reference(records):
    result, reference = _score(records), reference_jss(records, NOW)
    assert result.score == reference.score
    assert result.period_months == reference.period_months
    classes = [reference_class(c) for c in reference.counted]
    assert (result.good, result.bad, result.neutral) == tuple(map(classes.count, ("good", "bad", "neutral")))
    assert result.score is None or 0 <= result.score <= 100


@given(st.lists(cases(oldest_days=365), min_size=3, max_size=12), cases(oldest_days=365, kind="good"))
def test_a_good_contract_never_lowers_the_score(records, good):
    """Every contract within the last 12 months, so both records count the same period."""
    assert reference_class(good) == "good"
    before, after = _score(records).score, _score([*records, good]).score
    assert after >= before
    assert 0 <= before <= 100
    assert 0 <= after <= 100


@given(st.lists(cases(oldest_days=365), min_size=3, max_size=12), cases(oldest_days=365, kind="bad"))
def test_a_bad_contract_never_raises_the_score(records, bad):
    assert reference_class(bad) == "bad"
    before, after = _score(records).score, _score([*records, bad]).score
    assert after <= before
    assert 0 <= before <= 100
    assert 0 <= after <= 100


@pytest.mark.parametrize(
    ("value", "good", "score"), [("123.45", 1, 13), ("7.00", 5, 63), ("45.50", 3, 38), ("500.00", 7, 88)]
)
def test_a_half_rounds_up_even_when_the_logarithms_land_just_below_it(value, good, score):
    """Eight contracts of one value: k/8 is an exact half per cent, which floats miss by 1e-15."""
    records = [
        Case(NOW - timedelta(days=n + 1), Decimal(value), "USD", "completed", None, "", True, True, "none",
             5 if n < good else 3)
        for n in range(8)
    ]  # fmt: skip
    assert reference_jss(records, NOW).score == score
    assert _score(records).score == score


def test_all_good_is_100_and_all_bad_or_neutral_is_0():
    def record(stars):
        return [
            Case(
                NOW - timedelta(days=n),
                Decimal("123.45"),
                "USD",
                "completed",
                None,
                "",
                True,
                True,
                "none",
                stars,
            )
            for n in range(1, 8)
        ]

    assert _score(record(5)).score == 100
    assert _score(record(3)).score == 0
    assert _score(record(1)).score == 0
