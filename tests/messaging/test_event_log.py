"""The per-user event log on real PostgreSQL transactions: ids gapless and committed in order under
concurrent writers, nothing kept from a rollback, a constant cost per write, pruning."""

import threading
import time
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.core.task_queue import task_named
from messaging.models import Notification, UserEvent, UserEventCursor
from messaging.realtime import send_event_on_commit, send_events_on_commit
from messaging.services.events import user_events_prune
from messaging.services.notifications import notification_create
from tests.factories import make_user
from tests.support.concurrently import at_once

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 6
EVENTS_PER_WRITER = 5


def _seqs(user) -> list[int]:
    return list(UserEvent.objects.filter(user=user).order_by("seq").values_list("seq", flat=True))


def test_concurrent_writers_give_each_user_gapless_ids_that_become_visible_in_order():
    """Writers that share recipients (named in either order) hold their transactions open a moment
    after taking ids; an observer reading meanwhile must never see a later id without every earlier
    one. Without the cursor's row lock two writers take the same id and one fails on the unique key."""
    alice, bob = make_user(), make_user()
    done = threading.Event()
    holes: list[list[int]] = []

    def writer(index: int):
        def run() -> int:
            recipients = [alice.pk, bob.pk] if index % 2 else [bob.pk, alice.pk]
            for n in range(EVENTS_PER_WRITER):
                with transaction.atomic():
                    send_event_on_commit(recipients, {"type": "test.write", "writer": index, "n": n})
                    time.sleep(0.005)
            return index

        return run

    def observer() -> int:
        reads = 0
        while not done.is_set():
            with transaction.atomic():
                seen = _seqs(alice)
            if seen != list(range(1, len(seen) + 1)):
                holes.append(seen)
            reads += 1
        return reads

    def writers_then_stop() -> list:
        try:
            return at_once(*(writer(index) for index in range(WRITERS)))
        finally:
            done.set()

    outcomes = at_once(writers_then_stop, observer)
    assert outcomes[0] == list(range(WRITERS)), outcomes[0]
    assert outcomes[1] > 0
    assert holes == []
    total = WRITERS * EVENTS_PER_WRITER
    for user in (alice, bob):
        assert _seqs(user) == list(range(1, total + 1))
        assert UserEventCursor.objects.get(user=user).last_seq == total
        # Each writer's own events keep its order within every user's log.
        for index in range(WRITERS):
            ns = [
                payload["n"]
                for payload in UserEvent.objects.filter(user=user)
                .order_by("seq")
                .values_list("payload", flat=True)
                if payload["writer"] == index
            ]
            assert ns == list(range(EVENTS_PER_WRITER))


def test_a_rolled_back_savepoint_keeps_nothing_and_its_ids_are_handed_out_again():
    user = make_user()
    with transaction.atomic():
        send_event_on_commit([user.pk], {"type": "test.kept", "n": 1})
        try:
            with transaction.atomic():
                send_event_on_commit([user.pk], {"type": "test.lost"})
                raise RuntimeError("roll back the inner part")
        except RuntimeError:
            pass
        send_event_on_commit([user.pk], {"type": "test.kept", "n": 2})
    assert list(UserEvent.objects.order_by("seq").values_list("seq", "payload")) == [
        (1, {"type": "test.kept", "n": 1}),
        (2, {"type": "test.kept", "n": 2}),
    ]


def test_recipients_without_an_account_are_skipped_and_different_payloads_go_to_each():
    alice, bob = make_user(), make_user()
    gone = make_user()
    gone_id = gone.pk
    gone.delete()
    send_events_on_commit(
        {alice.pk: {"type": "test", "for": "alice"}, bob.pk: {"type": "test", "for": "bob"}}
    )
    send_event_on_commit([gone_id, alice.pk], {"type": "test.again"})
    assert sorted(UserEvent.objects.values_list("user_id", "seq", "payload")) == sorted(
        [
            (alice.pk, 1, {"type": "test", "for": "alice"}),
            (bob.pk, 1, {"type": "test", "for": "bob"}),
            (alice.pk, 2, {"type": "test.again"}),
        ]
    )
    send_event_on_commit([gone_id], {"type": "test.nobody"})
    assert not UserEventCursor.objects.filter(user_id=gone_id).exists()
    assert UserEvent.objects.count() == 3


@pytest.mark.parametrize("count", [1, 50])
def test_a_notification_to_1_or_50_people_logs_each_ones_event_in_the_same_7_queries(count):
    """notification_create: its own 3 queries, the event log's 2 (the cursors' upsert, the events),
    BEGIN and COMMIT, whatever the number of recipients (it logs all of them in one call)."""
    people = [make_user() for _ in range(count)]
    notification_create(
        recipient_ids=[user.pk for user in people], kind=Notification.Kind.JOB_INVITATION, title="1"
    )
    with CaptureQueriesContext(connection) as captured:
        notification_create(
            recipient_ids=[user.pk for user in people], kind=Notification.Kind.JOB_INVITATION, title="2"
        )
    assert len(captured.captured_queries) == 7, [query["sql"][:80] for query in captured.captured_queries]
    for user in people:
        assert UserEvent.objects.get(user=user, seq=2).payload == {
            "type": "notification",
            "unread": 2,
            "title": "2",
        }


def test_pruning_forgets_events_older_than_the_kept_days_in_batches(settings):
    settings.USER_EVENTS_KEEP_DAYS = 7
    user = make_user()
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        for n in range(5):
            send_event_on_commit([user.pk], {"type": "test.old", "n": n})
    with time_machine.travel(timezone.now() - timedelta(days=6)):
        send_event_on_commit([user.pk], {"type": "test.recent"})

    assert user_events_prune(batch_size=2) == 5
    assert _seqs(user) == [6]
    assert user_events_prune(batch_size=2) == 0
    # The cursor stays: the next id follows on, whatever was pruned.
    send_event_on_commit([user.pk], {"type": "test.new"})
    assert _seqs(user) == [6, 7]


def test_pruning_runs_on_the_periodic_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["prune-user-events"]
    assert entry["task"] == "messaging.user_events_prune"
    assert entry["schedule"] > 0
    user = make_user()
    with time_machine.travel(timezone.now() - timedelta(days=settings.USER_EVENTS_KEEP_DAYS + 1)):
        send_event_on_commit([user.pk], {"type": "test.old"})
    assert task_named("messaging.user_events_prune").apply().get() == 1
    assert not UserEvent.objects.exists()
