"""The relative-time filters: ``from_now`` rounds a future span to the nearest unit, so an offer
sent a moment ago with a week to answer says “in 7 days”, not “in 6 days”."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from frontend.templatetags.when import from_now, left

NOW = datetime(2031, 3, 4, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("ahead", "text"),
    [
        (timedelta(days=7) - timedelta(seconds=1), "in 7\xa0days"),  # a fresh week-long offer
        (timedelta(days=6, hours=23, minutes=59), "in 7\xa0days"),
        (timedelta(days=6, hours=12), "in 7\xa0days"),  # half up
        (timedelta(days=6, hours=11), "in 6\xa0days"),
        (timedelta(days=1), "in 1\xa0day"),
        (timedelta(hours=23, minutes=40), "in 1\xa0day"),
        (timedelta(hours=12), "in 12\xa0hours"),
        (timedelta(minutes=59, seconds=40), "in 1\xa0hour"),
        (timedelta(minutes=5, seconds=20), "in 5\xa0minutes"),
        (timedelta(seconds=61), "in 1\xa0minute"),
        (timedelta(seconds=30), "in less than a minute"),
        (timedelta(days=20, hours=11), "in 20\xa0days"),
        (timedelta(days=30), "in 4\xa0weeks"),  # a job open for its 30 days
        (timedelta(days=90), "in 3\xa0months"),
        (timedelta(days=800), "in 2\xa0years"),
        (timedelta(0), "now"),
        (-timedelta(hours=1), "now"),
    ],
)
def test_from_now_rounds_to_the_nearest_unit(ahead, text):
    with time_machine.travel(NOW, tick=False):
        assert from_now(NOW + ahead) == text


def test_from_now_is_empty_without_a_time():
    assert from_now(None) == ""


@pytest.mark.parametrize(
    ("ahead", "text"),
    [
        (timedelta(days=14) - timedelta(seconds=1), "14\xa0days left"),  # a review window just opened
        (timedelta(hours=5), "5\xa0hours left"),
        (timedelta(seconds=30), "less than a minute left"),
        (timedelta(0), "no time left"),
    ],
)
def test_left_counts_down_as_from_now_rounds(ahead, text):
    with time_machine.travel(NOW, tick=False):
        assert left(NOW + ahead) == text
    assert left(None) == ""
