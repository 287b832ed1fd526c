"""Two entries logged at the same moment (threads at a barrier, each on its own PostgreSQL
connection) that fit the weekly cap one at a time but not together: exactly one is refused with
``weekly_cap_reached``, and the week never holds more than its cap.

What makes this hold is the lock of the week's ``Timesheet`` row (``services.time_entries.
_locked_week``: ``select_for_update`` after ``get_or_create``): the second writer reads the week's
minutes only once the first has committed. Without it both read the same sum, both fit, and the week
ends over its cap (shown once, by taking the lock out: see the final report of the logging branch).
The same for the week's first two entries, when neither has made the timesheet yet: the unique
(contract, week) constraint makes the second ``get_or_create`` find the first's row, then wait on it.
"""

import pytest

from marketplace.core.exceptions import Conflict
from marketplace.hourly.models import TimeEntry, Timesheet
from marketplace.hourly.services.time_entries import entry_log
from tests.hourly.logging_support import hourly_contract, logged_minutes, utc
from tests.support.concurrently import at_once

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 3
NOW = utc(2026, 12, 1, 12, 0)
WEEK = utc(2026, 11, 30).date()


def _log(contract, hour):
    return lambda: entry_log(
        acting_user=contract.freelancer,
        contract=contract,
        started_at=utc(2026, 11, 30, hour, 0),
        minutes=40,
        memo=f"Work from {hour}:00",
        now=NOW,
    )


@pytest.mark.parametrize("pre_logged", [True, False], ids=["week-exists", "first-entries"])
def test_two_entries_racing_for_the_last_of_the_cap(pre_logged):
    for round_ in range(ROUNDS):
        contract = hourly_contract(cap=2)  # 120 minutes a week
        if pre_logged:
            _log(contract, 1)()
            _log(contract, 2)()  # 80 logged: one more 40 fits, two do not
        else:
            Timesheet.objects.filter(contract=contract).delete()
        outcomes = at_once(_log(contract, 10), _log(contract, 12)) if pre_logged else None
        if not pre_logged:
            # Three at once on an empty week: 3 x 40 = 120 fits, so add a fourth that must fail.
            outcomes = at_once(_log(contract, 6), _log(contract, 8), _log(contract, 10), _log(contract, 12))
        refused = [o for o in outcomes if isinstance(o, Exception)]
        assert len(refused) == 1, (round_, outcomes)
        assert isinstance(refused[0], Conflict), refused
        assert refused[0].code == "weekly_cap_reached", refused
        assert logged_minutes(contract, WEEK) == 120, round_
        assert Timesheet.objects.filter(contract=contract).count() == 1
        assert TimeEntry.objects.filter(timesheet__contract=contract).count() == 3
