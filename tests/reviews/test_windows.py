"""Review windows: opened when a contract ends (the receiver of the contract's status change), closed by
the beat task ``reviews.windows_due`` fourteen days later (what was submitted is published), and
meanwhile the reminders of day 3 and day 10, each once per side, never to a side that has reviewed,
never for a contract without money paid out."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings

from marketplace.contracts.services import contract_complete
from reviews.models import ReviewWindow
from reviews.services import review_window_open, review_windows_due
from reviews.tasks import review_windows_due_task
from tests.reviews.world import ended_contract, recording, review_by_client, review_by_freelancer

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


def _reminders(heard) -> list[tuple[str, int]]:
    return sorted((kwargs["side"], kwargs["day"]) for name, kwargs in heard if name == "review_reminder")


def _run(at) -> tuple[int, list]:
    """The beat task as it runs at ``at`` (the clock moved there), with what it sent."""
    with time_machine.travel(at, tick=False), recording() as heard:
        closed = review_windows_due_task()
    return closed, heard


@pytest.mark.parametrize("end", ["completed", "cancelled"])
def test_a_contract_that_ends_opens_its_window(end, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        contract = ended_contract(end=end)
    window = ReviewWindow.objects.get(contract=contract)
    assert (window.opens_at, window.closes_at, window.revealed_at, window.reminders_sent) == (
        contract.ended_at,
        contract.ended_at + timedelta(days=settings.REVIEW_WINDOW_DAYS),
        None,
        {},
    )
    assert review_window_open(contract) == window  # idempotent


def test_an_active_contract_opens_no_window(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        contract = ended_contract(end=None)
    assert not ReviewWindow.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        contract_complete(acting_user=contract.client, contract=contract)
    assert ReviewWindow.objects.filter(contract=contract).exists()  # positive control


def test_reminders_on_day_3_and_day_10_once_per_side_and_not_to_a_side_that_reviewed():
    contract = ended_contract()
    window = review_window_open(contract)
    opened = window.opens_at

    assert _reminders(_run(opened + 3 * DAY - timedelta(minutes=1))[1]) == []
    closed, heard = _run(opened + 3 * DAY)
    assert closed == 0
    assert _reminders(heard) == [("client", 3), ("freelancer", 3)]
    reminder = next(kwargs for name, kwargs in heard if name == "review_reminder")
    assert (reminder["contract"].pk, reminder["closes_at"]) == (contract.pk, window.closes_at)
    # Beat runs again (every few minutes): nothing new.
    assert _reminders(_run(opened + 3 * DAY + timedelta(minutes=10))[1]) == []
    assert _reminders(_run(opened + 9 * DAY)[1]) == []

    with time_machine.travel(opened + 5 * DAY, tick=False):
        review_by_client(contract)
    _, heard = _run(opened + 10 * DAY)
    assert _reminders(heard) == [("freelancer", 10)]  # the client's side has reviewed
    assert _reminders(_run(opened + 11 * DAY)[1]) == []
    window.refresh_from_db()
    assert window.reminders_sent == {"client": [3], "freelancer": [3, 10]}

    closed, heard = _run(window.closes_at)
    assert closed == 1
    assert [name for name, _ in heard] == ["reviews_revealed"]
    assert _run(window.closes_at + DAY) == (0, [])  # closed once


def test_a_side_that_reviewed_before_day_3_is_not_reminded():
    contract = ended_contract()
    window = review_window_open(contract)
    review_by_freelancer(contract)
    assert _reminders(_run(window.opens_at + 3 * DAY)[1]) == [("client", 3)]
    review_by_client(contract)  # both now: published at once, the window with them
    assert _run(window.opens_at + 10 * DAY) == (0, [])


def test_a_late_beat_sends_only_the_latest_reminder():
    contract = ended_contract()
    window = review_window_open(contract)
    assert _reminders(_run(window.opens_at + 11 * DAY)[1]) == [("client", 10), ("freelancer", 10)]
    window.refresh_from_db()
    assert window.reminders_sent == {"client": [10], "freelancer": [10]}


def test_a_contract_without_money_paid_out_gets_no_reminders_and_closes_quietly():
    contract = ended_contract(paid_out=False)
    window = review_window_open(contract)
    assert _run(window.opens_at + 3 * DAY) == (0, [])
    assert _run(window.opens_at + 10 * DAY) == (0, [])
    assert _run(window.closes_at) == (1, [])
    window.refresh_from_db()
    assert (window.revealed_at, window.reminders_sent) == (window.closes_at, {})


def test_the_task_takes_the_time_it_is_given():
    contract = ended_contract()
    window = review_window_open(contract)
    review = review_by_client(contract)
    assert review_windows_due(now=window.closes_at - timedelta(seconds=1)) == 0
    review.refresh_from_db()
    assert review.revealed_at is None
    assert review_windows_due(now=window.closes_at) == 1
    review.refresh_from_db()
    assert review.revealed_at == window.closes_at
