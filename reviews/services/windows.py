"""Review windows: opened when a contract ends, closed ``REVIEW_WINDOW_DAYS`` later by the beat task,
which publishes what was submitted and, meanwhile, reminds each side that has not reviewed on the
days of ``REVIEW_REMINDER_DAYS`` (counted from the window's opening), each day once per side."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from marketplace.contracts.models import Contract, Milestone
from marketplace.core.exceptions import Conflict

from .. import events
from ..models import Review, ReviewWindow
from ..permissions import AUTHOR_OF_DIRECTION, CLIENT, DIRECTION_OF_AUTHOR, FREELANCER
from ..selectors.reviews import PAID
from .common import reveal

SIDES = (CLIENT, FREELANCER)


def review_window_open(contract: Contract) -> ReviewWindow:
    """The ended contract's window (made on first call: from ``ended_at``, for the days set now)."""
    if contract.ended_at is None:
        raise Conflict("Reviews open once the contract has ended.", code="contract_not_ended")
    window, _ = ReviewWindow.objects.get_or_create(
        contract=contract,
        defaults={
            "opens_at": contract.ended_at,
            "closes_at": contract.ended_at + timedelta(days=settings.REVIEW_WINDOW_DAYS),
        },
    )
    return window


def review_windows_due(now=None) -> int:
    """Publish the reviews of every window that has closed, and send the reminders due; the number of
    windows closed. Idempotent: a closed window has ``revealed_at``, a sent reminder is recorded."""
    now = now or timezone.now()
    due = ReviewWindow.objects.filter(revealed_at__isnull=True, closes_at__lte=now)
    closed = sum(_close(window_id, now) for window_id in due.values_list("pk", flat=True))
    for day, window_ids in _reminders_due(now):
        for window_id in window_ids:
            _remind(window_id, day, now)
    return closed


def _locked(window_id: int) -> tuple[Contract, ReviewWindow]:
    """The contract row, then its window, locked: the order ``review_submit`` takes them in."""
    contract_id = ReviewWindow.objects.values_list("contract_id", flat=True).get(pk=window_id)
    contract = Contract.objects.select_for_update().get(pk=contract_id)
    return contract, ReviewWindow.objects.select_for_update().get(pk=window_id)


@transaction.atomic
def _close(window_id: int, now) -> int:
    contract, window = _locked(window_id)
    if window.revealed_at is not None:
        return 0
    reveal(contract, window, now)
    return 1


def _reminders_due(now) -> list[tuple[int, list[int]]]:
    """For each reminder day, the open windows for which it is the latest day passed and a side that
    may review (money paid, not reviewed) has not had it: one query per day (what was sent is read
    in Python: SQLite, the embedded default's database, has no JSON containment)."""
    days = sorted(set(settings.REVIEW_REMINDER_DAYS))
    paid = Exists(Milestone.objects.filter(contract=OuterRef("contract_id"), status__in=PAID))
    reviewed = {
        side: Exists(
            Review.objects.filter(contract=OuterRef("contract_id"), direction=DIRECTION_OF_AUTHOR[side])
        )
        for side in SIDES
    }
    due = []
    for day, next_day in zip(days, [*days[1:], None], strict=True):
        windows = ReviewWindow.objects.filter(
            paid, revealed_at__isnull=True, closes_at__gt=now, opens_at__lte=now - timedelta(days=day)
        )
        if next_day is not None:
            windows = windows.filter(opens_at__gt=now - timedelta(days=next_day))
        rows = windows.annotate(**reviewed).values_list("pk", "reminders_sent", *SIDES)
        due.append((day, [pk for pk, sent, *done in rows if _owed(day, sent, done)]))
    return due


def _owed(day: int, sent: dict, reviewed: list[bool]) -> bool:
    """Whether a side that has not reviewed (``reviewed`` in ``SIDES`` order) still waits for ``day``."""
    return any(not done and day not in sent.get(side, []) for side, done in zip(SIDES, reviewed, strict=True))


@transaction.atomic
def _remind(window_id: int, day: int, now) -> None:
    """Under the contract's lock (no review lands meanwhile): remind each side that has neither
    reviewed nor had this day's reminder, and record it."""
    contract, window = _locked(window_id)
    if window.revealed_at is not None or window.closes_at <= now:
        return
    reviewed = {
        AUTHOR_OF_DIRECTION[direction]
        for direction in Review.objects.filter(contract=contract).values_list("direction", flat=True)
    }
    sent = {side: list(days) for side, days in window.reminders_sent.items()}
    for side in SIDES:
        if side in reviewed or day in sent.get(side, []):
            continue
        sent[side] = sorted({*sent.get(side, []), day})
        events.send_on_commit(
            events.review_reminder, Review, contract=contract, side=side, day=day, closes_at=window.closes_at
        )
    window.reminders_sent = sent
    window.save(update_fields=["reminders_sent"])
