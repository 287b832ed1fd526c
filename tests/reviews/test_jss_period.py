"""The period rule at its edges: 12 months back from now, inclusive, in calendar months; 24 when
fewer than 5 contracts ended in the 12; shown from 3 ended contracts in the period."""

from datetime import UTC, datetime, timedelta

import pytest

from reviews.reputation import jss

NOW = datetime(2027, 6, 30, 12, 0, tzinfo=UTC)
TWELVE_MONTHS_AGO = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)
TWENTY_FOUR_MONTHS_AGO = datetime(2025, 6, 30, 12, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def ended(at: datetime, *, good: bool = True) -> jss.EndedContract:
    return jss.EndedContract(
        ended_at=at,
        amount_minor=50_000,
        currency="USD",
        completed=True,
        cancelled_by_client=False,
        not_delivered=False,
        funded=True,
        released=True,
        dispute_lost=False,
        client_rating=5 if good else 1,
    )


def score(contracts) -> jss.JobSuccess:
    return jss.job_success(contracts, now=NOW, rules=jss.Rules())


def recent(count: int, *, good: bool = True) -> list[jss.EndedContract]:
    return [ended(NOW - timedelta(days=10 * (n + 1)), good=good) for n in range(count)]


def test_five_in_twelve_months_keep_the_period_at_twelve_and_leave_older_ones_out():
    result = score([*recent(5), ended(TWELVE_MONTHS_AGO - SECOND, good=False)])
    assert (result.period_months, result.ended, result.score) == (12, 5, 100)


def test_four_in_twelve_months_take_the_period_to_twenty_four():
    result = score([*recent(4), ended(TWELVE_MONTHS_AGO - SECOND, good=False)])
    assert (result.period_months, result.ended, result.bad, result.score) == (24, 5, 1, 80)


def test_a_contract_that_ended_exactly_twelve_months_ago_is_in_the_period():
    result = score([*recent(4), ended(TWELVE_MONTHS_AGO, good=False)])
    assert (result.period_months, result.ended, result.score) == (12, 5, 80)


def test_the_twenty_four_month_edge_is_inclusive_and_a_second_older_is_out():
    result = score([*recent(2), ended(TWENTY_FOUR_MONTHS_AGO), ended(TWENTY_FOUR_MONTHS_AGO - SECOND)])
    assert (result.period_months, result.ended) == (24, 3)


@pytest.mark.parametrize(("count", "shown"), [(0, False), (1, False), (2, False), (3, True), (4, True)])
def test_the_score_is_shown_only_from_three_ended_contracts(count, shown):
    result = score(recent(count))
    assert (result.score is not None) == shown
    assert result.ended == count


def test_the_contracts_too_old_for_the_period_do_not_count_toward_the_three():
    result = score([*recent(2), ended(TWENTY_FOUR_MONTHS_AGO - SECOND)])
    assert (result.ended, result.score) == (2, None)


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2028, 2, 29, 9, 30, tzinfo=UTC), 12, datetime(2027, 2, 28, 9, 30, tzinfo=UTC)),
        (datetime(2027, 3, 31, 9, 30, tzinfo=UTC), 1, datetime(2027, 2, 28, 9, 30, tzinfo=UTC)),
        (datetime(2027, 1, 15, 9, 30, tzinfo=UTC), 24, datetime(2025, 1, 15, 9, 30, tzinfo=UTC)),
        (datetime(2027, 12, 31, 0, 0, tzinfo=UTC), 12, datetime(2026, 12, 31, 0, 0, tzinfo=UTC)),
    ],
)
def test_months_are_calendar_months_and_a_missing_day_is_the_month_s_last(moment, months, expected):
    assert jss.months_before(moment, months) == expected


def test_the_settings_state_the_rule(settings):
    settings.JSS_PERIOD_MONTHS, settings.JSS_LONG_PERIOD_MONTHS = 6, 18
    settings.JSS_LONG_PERIOD_BELOW, settings.JSS_MIN_ENDED_CONTRACTS = 2, 1
    assert jss.Rules.from_settings() == jss.Rules(
        period_months=6, long_period_months=18, long_period_below=2, min_ended=1
    )
