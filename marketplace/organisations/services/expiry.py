"""The expiry sweep (beat, daily; ``manage.py pools_expiry_sweep`` on demand).

In this order: (1) granted overrides past their end expire (``overrides.override_expire``: a member
still failing a waived rule is suspended); (2) members with a passing (or pending) result whose
evidence lapses today or earlier are evaluated again (``lifecycle.membership_reevaluate``: the result
becomes expired and the pool's expiry action follows where it auto-enforces); (3) reminders before a
passing result lapses, at its requirement's ``reminder_days``, and before a granted override ends, at
``OVERRIDE_REMINDER_DAYS``.

Each member's step is its own transaction under the membership's row lock. A reminder goes out once
per mark, whatever the sweep's schedule: its ``ExpiryReminder`` row is unique, so a second sweep at
the same moment waits on the first's insert and then finds the row. A sweep that missed a mark's day
(down for a day) still sends that mark's reminder, once; when several marks passed unseen, only the
nearest is sent."""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone

from .. import events
from ..models import (
    ExpiryReminder,
    PoolMembership,
    PoolOverride,
    Requirement,
    RequirementResult,
    ResultStatus,
)
from ..requirements.kinds import COVERAGE_LABELS, FORM_LABELS, KINDS
from .lifecycle import membership_reevaluate
from .overrides import override_expire

OVERRIDE_REMINDER_DAYS = (30, 14, 7, 1)
# Results that still count but lapse on a known day: what the reminders and the lapse look at.
COUNTING = (ResultStatus.PASS, ResultStatus.PENDING)


def requirement_name(requirement: Requirement) -> str:
    """How a reminder names the rule: its kind and what it asks for ("Insurance certificate:
    General liability")."""
    config, label = requirement.config or {}, KINDS[requirement.kind].label
    detail = config.get("title") or config.get("name") or COVERAGE_LABELS.get(config.get("coverage", ""))
    if requirement.kind == "tax_form":
        detail = " or ".join(FORM_LABELS.get(form, form) for form in config.get("forms") or [])
    return f"{label}: {detail}" if detail else label


def due_mark(days_left: int, marks: Iterable[int]) -> int | None:
    """The reminder mark due with ``days_left`` to go: the nearest mark reached (None: none yet)."""
    reached = [mark for mark in marks if days_left <= mark]
    return min(reached) if reached else None


@dataclass(frozen=True)
class Reminder:
    membership_id: int
    subject: str  # result:<requirement>:<lapses_on> or override:<id>
    days_before: int
    days_left: int
    ends_on: date
    what: str


def _remind(reminder: Reminder) -> bool:
    """Record and announce one reminder, under the member's lock; False if it was sent already (or
    the member left meanwhile)."""
    with transaction.atomic():
        membership = PoolMembership.objects.select_for_update().filter(pk=reminder.membership_id).first()
        if membership is None or membership.status not in PoolMembership.LIVE:
            return False
        _, created = ExpiryReminder.objects.get_or_create(
            membership=membership, subject=reminder.subject, days_before=reminder.days_before
        )
        if created:
            transaction.on_commit(
                partial(
                    events.pool_expiry_reminder.send,
                    sender=PoolMembership,
                    membership_id=reminder.membership_id,
                    subject=reminder.subject,
                    days_before=reminder.days_before,
                    days_left=reminder.days_left,
                    ends_on=reminder.ends_on,
                    what=reminder.what,
                )
            )
        return created


def _result_reminders(today: date) -> list[Reminder]:
    """Passing results of live members that reached a reminder mark (three queries, any count)."""
    furthest = max(
        (max(days or [0]) for days in Requirement.objects.values_list("reminder_days", flat=True)), default=0
    )
    results = RequirementResult.objects.filter(
        status__in=COUNTING,
        lapses_on__gt=today,
        lapses_on__lte=today + timedelta(days=furthest),
        membership__status__in=PoolMembership.LIVE,
        membership__freelancer__isnull=False,
    ).select_related("requirement")
    reminders = []
    for result in results.order_by("membership_id", "requirement_id"):
        days_left = (result.lapses_on - today).days
        mark = due_mark(days_left, result.requirement.reminder_days or [])
        if mark is not None:
            subject = f"result:{result.requirement_id}:{result.lapses_on.isoformat()}"
            what = requirement_name(result.requirement)
            reminders.append(Reminder(result.membership_id, subject, mark, days_left, result.lapses_on, what))
    return reminders


def _override_reminders(today: date, now) -> list[Reminder]:
    overrides = PoolOverride.objects.filter(
        status=PoolOverride.Status.GRANTED,
        expires_at__gt=now,
        expires_at__lt=now + timedelta(days=max(OVERRIDE_REMINDER_DAYS) + 1),
        membership__status__in=PoolMembership.LIVE,
    ).select_related("job")
    reminders = []
    for override in overrides.order_by("membership_id", "pk"):
        ends_on = timezone.localdate(override.expires_at)
        days_left = (ends_on - today).days
        mark = due_mark(days_left, OVERRIDE_REMINDER_DAYS)
        if mark is not None:
            what = (
                f"Override for the job “{override.job.title}”" if override.job_id else "Override for the pool"
            )
            reminders.append(
                Reminder(override.membership_id, f"override:{override.pk}", mark, days_left, ends_on, what)
            )
    return reminders


def _lapsed_membership_ids(today: date) -> list[int]:
    lapsed = RequirementResult.objects.filter(
        status__in=COUNTING,
        lapses_on__lte=today,
        membership__status__in=PoolMembership.LIVE,
        membership__freelancer__isnull=False,
    )
    return list(lapsed.order_by("membership_id").values_list("membership_id", flat=True).distinct())


def _silent(stage: str, total: int) -> Callable[[], None]:
    return lambda: None


def expiry_sweep(
    *, today: date | None = None, progress: Callable[[str, int], Callable[[], None]] = _silent
) -> dict[str, int]:
    """Run the sweep once; returns what it did. ``progress(stage, total)`` is told each stage's size
    before it runs and returns what to call per item done (the command's progress bars)."""
    now = timezone.now()
    today = today or timezone.localdate(now)
    counts: Counter[str] = Counter()

    expiring = list(
        PoolOverride.objects.filter(status=PoolOverride.Status.GRANTED, expires_at__lte=now)
        .order_by("expires_at", "pk")
        .values_list("pk", flat=True)
    )
    tick = progress("overrides", len(expiring))
    for override_id in expiring:
        if override_expire(override_id=override_id) is not None:
            counts["overrides_expired"] += 1
        tick()

    lapsed = _lapsed_membership_ids(today)
    tick = progress("lapsed", len(lapsed))
    for membership_id in lapsed:
        before = PoolMembership.objects.filter(pk=membership_id).values_list("status", "flagged_at").first()
        after = membership_reevaluate(membership_id)
        counts["reevaluated"] += 1
        if before != (after.status, after.flagged_at):
            counts[f"moved_{after.status}" if before[0] != after.status else "flagged"] += 1
        tick()

    reminders = _result_reminders(today) + _override_reminders(today, now)
    tick = progress("reminders", len(reminders))
    for reminder in reminders:
        if _remind(reminder):
            counts["reminders_sent"] += 1
        tick()
    return {"overrides_expired": 0, "reevaluated": 0, "reminders_sent": 0, **counts}
