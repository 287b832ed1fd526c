"""The expiry sweep on a moving clock (services.expiry): reminders at each mark exactly once, the
pool's expiry action on the day, overrides running out (scenario 2's end and scenario 3's first
half), the notifications and emails they send, and the sweep's queries."""

from datetime import UTC as utc
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from marketplace.core.models import AuditEntry, StatusChange
from marketplace.jobs.models import Offer
from marketplace.organisations.models import ExpiryReminder, PoolMembership, PoolOverride, TalentPool
from marketplace.organisations.services.expiry import due_mark, expiry_sweep
from marketplace.organisations.services.lifecycle import membership_move, membership_reevaluate
from marketplace.organisations.services.overrides import override_grant, override_request
from messaging.models import Notification
from tests.factories import add_member, make_job, make_offer, make_proposal

from .expiry_support import active_member, meets_ne_cabling
from .pools_support import add_requirement, join, ne_cabling

pytestmark = pytest.mark.django_db
Status = PoolMembership.Status
Kind = Notification.Kind
EXPIRES = date(2027, 3, 1)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 6, 0, tzinfo=utc)


def _sweep(capture, day: date) -> dict:
    with time_machine.travel(_at(day), tick=False), capture(execute=True):
        return expiry_sweep()


def _days(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def test_due_mark_is_the_nearest_mark_reached():
    assert due_mark(31, [30, 7, 1]) is None
    assert due_mark(30, [30, 7, 1]) == 30
    assert due_mark(8, [30, 7, 1]) == 30
    assert due_mark(7, [30, 7, 1]) == 7
    assert due_mark(3, [1, 30, 7]) == 7
    assert due_mark(1, [30, 7, 1]) == 1
    assert due_mark(5, []) is None


def test_insurance_reminders_at_30_7_1_once_each_then_suspended_on_the_day(
    django_capture_on_commit_callbacks,
):
    """Scenario 3's first half, a sweep every day (twice on each day: the second does nothing)."""
    membership = active_member(insurance_expires_on=EXPIRES)
    manager = add_member(membership.pool.organisation, "hiring_manager")
    worker = membership.freelancer
    with time_machine.travel(_at(date(2027, 1, 20)), tick=False):
        membership_reevaluate(membership.pk)
    sent_on = {}
    for day in _days(date(2027, 1, 20), EXPIRES):
        mail.outbox.clear()
        first = _sweep(django_capture_on_commit_callbacks, day)
        again = _sweep(django_capture_on_commit_callbacks, day)
        assert again["reminders_sent"] == 0, day
        if first["reminders_sent"]:
            sent_on[day] = [m.subject for m in mail.outbox]
        membership.refresh_from_db()
        if day < EXPIRES:
            assert membership.status == Status.ACTIVE, day
    assert list(sent_on) == [date(2027, 1, 30), date(2027, 2, 22), date(2027, 2, 28)]
    assert sorted(
        ExpiryReminder.objects.filter(membership=membership).values_list("days_before", flat=True)
    ) == [
        1,
        7,
        30,
    ]
    reminders = Notification.objects.filter(recipient=worker, kind=Kind.POOL_EXPIRY_REMINDER).order_by("pk")
    assert [n.title.split("expires ")[1].split(",")[0] for n in reminders] == [
        "in 30 days",
        "in 7 days",
        "in 1 day",
    ]
    assert all(n.url == f"/pools/memberships/{membership.pk}/" for n in reminders)
    # Emailed at once to the worker; the managers get a digest line each time.
    assert all(len(subjects) == 1 and "expires in" in subjects[0] for subjects in sent_on.values())
    assert Notification.objects.filter(recipient=manager, kind=Kind.POOL_EXPIRING).count() == 3

    # On the expiry date: expired, suspended by the rules, worker emailed, managers told.
    assert membership.status == Status.SUSPENDED
    assert membership.suspended_by_rules
    assert membership.results.get(requirement__kind="insurance").status == "expired"
    move = StatusChange.objects.filter(
        target_type="organisations.poolmembership", target_id=membership.pk
    ).last()
    assert move.to_status == Status.SUSPENDED
    assert "insurance" in move.reason.lower()
    assert AuditEntry.objects.filter(action="pool.member.suspended", data__membership=membership.pk).exists()
    suspended = Notification.objects.get(recipient=worker, kind=Kind.POOL_SUSPENDED)
    assert "insurance" in suspended.body.lower()
    assert Notification.objects.filter(recipient=manager, kind=Kind.POOL_ENFORCED).count() == 1


def test_a_sweep_that_missed_a_mark_still_reminds_once():
    membership = active_member(insurance_expires_on=EXPIRES)
    membership_reevaluate(membership.pk)
    with time_machine.travel(_at(date(2027, 2, 25)), tick=False):  # 30 and 7 passed unseen
        assert expiry_sweep()["reminders_sent"] == 1
        assert expiry_sweep()["reminders_sent"] == 0
    assert list(ExpiryReminder.objects.values_list("days_before", flat=True)) == [7]
    with time_machine.travel(_at(date(2027, 2, 28)), tick=False):
        assert expiry_sweep()["reminders_sent"] == 1


@pytest.mark.parametrize(
    ("on_expiry", "status", "flagged"), [("remove", Status.ENDED, False), ("flag", Status.ACTIVE, True)]
)
def test_the_pools_other_expiry_actions_on_the_day(
    django_capture_on_commit_callbacks, on_expiry, status, flagged
):
    membership = active_member(insurance_expires_on=EXPIRES)
    TalentPool.objects.filter(pk=membership.pool_id).update(on_expiry=on_expiry)
    manager = add_member(membership.pool.organisation, "admin")
    membership_reevaluate(membership.pk)
    assert _sweep(django_capture_on_commit_callbacks, EXPIRES - timedelta(days=1))["reevaluated"] == 0
    done = _sweep(django_capture_on_commit_callbacks, EXPIRES)
    assert done["reevaluated"] == 1
    membership.refresh_from_db()
    assert membership.status == status
    assert (membership.flagged_at is not None) == flagged
    assert Notification.objects.filter(recipient=manager, kind=Kind.POOL_ENFORCED).count() == 1
    worker_kind = Kind.POOL_MEMBERSHIP if flagged else Kind.POOL_REMOVED
    assert Notification.objects.filter(recipient=membership.freelancer, kind=worker_kind).exists()
    # The next day's sweep finds nothing more to do.
    assert _sweep(django_capture_on_commit_callbacks, EXPIRES + timedelta(days=1))["reevaluated"] == 0


def test_a_30_day_override_expires_on_day_31_suspends_and_withdraws_open_offers(
    django_capture_on_commit_callbacks,
):
    """Scenario 2's end: the override let the worker in and be offered a pool job; on day 31 the
    sweep expires it, suspends the member, withdraws the open offer (logged) and tells them."""
    pool = ne_cabling()
    add_requirement(pool, "drug_test")
    membership = join(pool)
    meets_ne_cabling(membership)
    membership_reevaluate(membership.pk)
    worker, manager = membership.freelancer, add_member(pool.organisation, "hiring_manager")
    start = _at(date(2026, 12, 8))
    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        asked = override_request(acting_user=worker, membership_id=membership.pk, reason="Test booked")
        override_grant(
            acting_user=manager,
            membership_id=membership.pk,
            override_id=asked.pk,
            days=30,
            reason="Known crew",
        )
        job = make_job(client=manager, organisation=pool.organisation, visibility="pool", pool=pool.pk)
        offer = make_offer(make_proposal(job, freelancer=worker), acting_user=manager)
    assert job.pool_id == pool.pk
    assert Notification.objects.filter(recipient=manager, kind=Kind.POOL_REVIEW).exists()  # the request
    assert Notification.objects.filter(recipient=worker, kind=Kind.POOL_OVERRIDE).exists()  # granted

    # The grant's day is day 1; through day 30 the override holds.
    for day in range(1, 30):
        _sweep(django_capture_on_commit_callbacks, start.date() + timedelta(days=day))
    assert PoolMembership.objects.get(pk=membership.pk).status == Status.ACTIVE
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.SENT
    reminded = ExpiryReminder.objects.filter(membership=membership, subject=f"override:{asked.pk}")
    assert sorted(reminded.values_list("days_before", flat=True)) == [1, 7, 14, 30]

    done = _sweep(django_capture_on_commit_callbacks, start.date() + timedelta(days=30))  # day 31
    assert done["overrides_expired"] == 1
    assert PoolOverride.objects.get(pk=asked.pk).status == PoolOverride.Status.EXPIRED
    membership.refresh_from_db()
    assert membership.status == Status.SUSPENDED
    offer.refresh_from_db()
    assert offer.status == Offer.Status.WITHDRAWN
    withdrawal = StatusChange.objects.get(target_type="jobs.offer", target_id=offer.pk, to_status="withdrawn")
    assert withdrawal.reason == "Pool membership suspended"
    assert AuditEntry.objects.filter(action="offer.withdrawn", data__offer=offer.pk).exists()
    told = set(Notification.objects.filter(recipient=worker).values_list("kind", flat=True))
    assert {Kind.OFFER_WITHDRAWN, Kind.POOL_SUSPENDED, Kind.POOL_OVERRIDE} <= told


def test_a_manager_suspension_withdraws_only_that_pools_offers(django_capture_on_commit_callbacks):
    membership = active_member()
    pool, worker = membership.pool, membership.freelancer
    owner = pool.organisation.memberships.get(role="owner").user
    other_pool = TalentPool.objects.create(organisation=pool.organisation, name="Other")
    join(other_pool, worker, status=Status.ACTIVE)

    def offer_on(**job_fields):
        job = make_job(organisation=pool.organisation, **job_fields)
        return make_offer(make_proposal(job, freelancer=worker))

    with django_capture_on_commit_callbacks(execute=True):
        here = offer_on(visibility="pool", pool=pool.pk)
        there = offer_on(visibility="pool", pool=other_pool.pk)
        public = offer_on()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        locked = (
            PoolMembership.objects.select_for_update()
            .select_related("pool__organisation")
            .get(pk=membership.pk)
        )
        membership_move(locked, Status.SUSPENDED, actor=owner, reason="No-show twice")
    statuses = dict(Offer.objects.filter(pk__in=[here.pk, there.pk, public.pk]).values_list("pk", "status"))
    assert statuses == {here.pk: "withdrawn", there.pk: "sent", public.pk: "sent"}
    # A manager's hand: the worker is told (at once, by email); managers get no "by its rules" notice.
    assert Notification.objects.filter(recipient=worker, kind=Kind.POOL_SUSPENDED).count() == 1
    assert not Notification.objects.filter(kind=Kind.POOL_ENFORCED).exists()


def test_the_sweep_selects_without_a_query_per_member():
    """Selecting lapsed members and due reminders takes the same queries for 1 and for 50 members
    (each member's own step then takes its own, bounded, transaction)."""
    from marketplace.organisations.services import expiry

    def selection_queries(day):
        with time_machine.travel(_at(day), tick=False), CaptureQueriesContext(connection) as ctx:
            expiry._lapsed_membership_ids(day)
            expiry._result_reminders(day)
            expiry._override_reminders(day, _at(day))
        return len(ctx.captured_queries)

    pool = ne_cabling()
    first = active_member(pool, insurance_expires_on=EXPIRES)
    membership_reevaluate(first.pk)
    one = selection_queries(date(2027, 2, 25))
    for _ in range(49):
        membership = active_member(pool, insurance_expires_on=EXPIRES)
        membership_reevaluate(membership.pk)
    assert selection_queries(date(2027, 2, 25)) == one
    with time_machine.travel(_at(date(2027, 2, 25)), tick=False), CaptureQueriesContext(connection) as ctx:
        assert expiry_sweep()["reminders_sent"] == 50
    per_member = len(ctx.captured_queries) / 50
    assert per_member <= 8, per_member


def test_the_command_runs_the_sweep_and_prints_its_counts(capsys):
    membership = active_member(insurance_expires_on=EXPIRES)
    membership_reevaluate(membership.pk)
    with time_machine.travel(_at(date(2027, 2, 28)), tick=False):
        call_command("pools_expiry_sweep", "--no-progress")
    out = capsys.readouterr().out
    assert "reminders_sent: 1" in out
    assert "overrides_expired: 0" in out


def test_the_beat_runs_the_sweep_daily_at_six():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["pools-expiry-sweep"]
    assert entry["task"] == "organisations.expiry_sweep"
    assert entry["schedule"].hour == {6}
    assert entry["schedule"].minute == {0}
