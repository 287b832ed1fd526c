"""The email digest with a moving clock (PRODUCT.md: everything but offers and money "only if still
unread after 10 minutes and the person had no open page in that time, batched into at most one digest
per 30 minutes"): beat runs ``messaging.digests_send`` every minute; here each ``run_task`` is a tick."""

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from messaging.models import EmailDigest, Notification, Participant
from messaging.services import notification_create
from messaging.tasks import messaging_digests_send
from tests.factories import make_client, make_freelancer

from .digest_world import START, conversation_of, minutes, page_seen, post, read_all, run_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def pair():
    """Ada (who gets the emails) and Bob (who writes to her) in one conversation."""
    ada = make_freelancer(full_name="Ada Lovelace")
    bob = make_client(full_name="Bob Builder")
    return ada, bob, conversation_of(ada, bob)


def _notify(user, kind=Notification.Kind.PROPOSAL_RECEIVED, title="New proposal on “Booking page”"):
    return notification_create(
        recipient_ids=[user.pk], kind=kind, title=title, body="Mei proposes $900.", url="/x/"
    )


def test_one_digest_for_many_messages_after_ten_minutes(clock, pair, django_capture_on_commit_callbacks):
    ada, bob, conversation = pair
    for n in range(5):
        post(conversation, bob, f"Message {n}")
        clock.shift(minutes(1))
    # 09:05: the first message is 5 minutes old: nothing yet, each minute until it is 10.
    for _ in range(4):
        assert run_task(django_capture_on_commit_callbacks) == 0
        clock.shift(minutes(1))
    assert not mail.outbox
    clock.move_to(START + minutes(15))  # every message is at least 10 minutes old
    assert run_task(django_capture_on_commit_callbacks) == 1

    [email] = mail.outbox
    assert email.to == [ada.email]
    assert email.subject == f"{settings.EMAIL_SUBJECT_PREFIX}You have 5 unread messages"
    assert "Logo for a bakery: 5 new messages from Bob Builder" in email.body
    assert f"{settings.SITE_URL}/messages/{conversation.pk}/" in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email.extra_headers["List-Unsubscribe"].startswith(f"<{settings.SITE_URL}/email/unsubscribe/")
    digest = EmailDigest.objects.get()
    assert (digest.user, digest.message_count, digest.conversation_count) == (ada, 5, 1)
    newest = conversation.messages.latest("pk").pk
    assert Participant.objects.get(user=ada).digest_message_id == newest
    assert Participant.objects.get(user=bob).digest_message_id == 0  # Bob wrote them: nothing for him

    clock.shift(minutes(60))
    assert run_task(django_capture_on_commit_callbacks) == 0  # told once: never again
    assert len(mail.outbox) == 1


def test_no_email_while_a_page_is_open(clock, pair, django_capture_on_commit_callbacks):
    ada, bob, conversation = pair
    post(conversation, bob, "Are you there?")
    _notify(ada)
    # Ada's page stays open (a heartbeat every 30 s) for 20 minutes; beat ticks every minute.
    for second in range(0, 20 * 60, 30):
        clock.move_to(START + minutes(second / 60))
        page_seen(ada, START + minutes(second / 60))
        if second % 60 == 0:
            assert run_task(django_capture_on_commit_callbacks) == 0
    assert not mail.outbox
    # She closes it without reading; what came while it was open is never emailed.
    clock.move_to(START + minutes(60))
    assert run_task(django_capture_on_commit_callbacks) == 0
    assert not mail.outbox

    # Positive control: a message after the page closed is emailed, alone.
    post(conversation, bob, "Ping again")
    clock.shift(minutes(10))
    assert run_task(django_capture_on_commit_callbacks) == 1
    [email] = mail.outbox
    assert "1 new message from Bob Builder" in email.body
    assert "New proposal" not in email.body


def test_a_page_open_within_the_heartbeat_of_the_arrival_counts_as_open(
    clock, pair, django_capture_on_commit_callbacks
):
    """ "Had an open page at T" == last_seen_at >= T - REALTIME_HEARTBEAT_SECONDS (30 s)."""
    ada, bob, conversation = pair
    page_seen(ada, START - minutes(0.5))  # 30 s before: the page was open when it arrived
    post(conversation, bob)
    clock.shift(minutes(11))
    assert run_task(django_capture_on_commit_callbacks) == 0

    carol = make_client(full_name="Carol")
    other = conversation_of(ada, carol, title="Second job")
    page_seen(ada, START + minutes(11) - minutes(31 / 60))  # 31 s before the next one: closed by then
    post(other, carol)
    clock.shift(minutes(10))
    assert run_task(django_capture_on_commit_callbacks) == 1
    [email] = mail.outbox
    assert "Second job: 1 new message from Carol" in email.body
    assert "Logo for a bakery" not in email.body


def test_the_second_digest_waits_thirty_minutes_and_carries_only_the_new(
    clock, pair, django_capture_on_commit_callbacks
):
    ada, bob, conversation = pair
    post(conversation, bob, "First")
    clock.shift(minutes(10))
    assert run_task(django_capture_on_commit_callbacks) == 1  # 09:10
    clock.shift(minutes(2))
    post(conversation, bob, "Second")  # 09:12, due from 09:22
    _notify(ada)
    clock.move_to(START + minutes(22))
    for _ in range(18):  # 09:22 … 09:39: inside the 30 minutes after the first digest
        assert run_task(django_capture_on_commit_callbacks) == 0
        clock.shift(minutes(1))
    assert len(mail.outbox) == 1
    assert run_task(django_capture_on_commit_callbacks) == 1  # 09:40
    second = mail.outbox[1]
    assert "1 new message from Bob Builder" in second.body
    assert "Proposals and invitations" in second.body
    assert "New proposal on “Booking page”" in second.body
    assert second.subject.endswith("You have 1 unread message and 1 update")
    assert EmailDigest.objects.count() == 2
    assert Notification.objects.get().digest == EmailDigest.objects.latest("sent_at")


def test_items_read_meanwhile_are_not_sent(clock, pair, django_capture_on_commit_callbacks):
    ada, bob, conversation = pair
    post(conversation, bob)
    [read_note] = _notify(ada, title="Read in the app")
    _notify(ada, title="Still unread")
    clock.shift(minutes(5))
    read_all(conversation, ada)
    Notification.objects.filter(pk=read_note.pk).update(read_at=START + minutes(5))
    clock.shift(minutes(10))
    assert run_task(django_capture_on_commit_callbacks) == 1
    [email] = mail.outbox
    assert "Still unread" in email.body
    assert "Read in the app" not in email.body
    assert "Messages" not in email.body
    assert email.subject.endswith("You have 1 update")

    # Everything read: nothing to send (also after the 30 minutes).
    post(conversation, bob)
    clock.shift(minutes(5))
    read_all(conversation, ada)
    clock.shift(minutes(40))
    assert run_task(django_capture_on_commit_callbacks) == 0


def test_only_the_others_messages_after_the_receipt_count(clock, django_capture_on_commit_callbacks):
    """Three people: each is told of the others' messages after their own read receipt."""
    ada, bob, carol = make_freelancer(), make_client(full_name="Bob"), make_client(full_name="Carol")
    conversation = conversation_of(ada, bob, carol)
    post(conversation, bob, "one")
    read_all(conversation, ada)  # Ada read "one"; Carol did not
    post(conversation, carol, "two")
    clock.shift(minutes(10))
    assert run_task(django_capture_on_commit_callbacks) == 3
    body = {email.to[0]: email.body for email in mail.outbox}
    assert "1 new message from Carol" in body[ada.email]
    assert "1 new message from Bob" in body[carol.email]
    assert "1 new message from Carol" in body[bob.email]


def test_offers_and_money_are_emailed_at_once_and_never_in_a_digest(
    clock, pair, django_capture_on_commit_callbacks
):
    ada, _, _ = pair
    with django_capture_on_commit_callbacks(execute=True):
        _notify(ada, kind=Notification.Kind.OFFER_RECEIVED, title="Offer from Acme")
        _notify(ada, kind=Notification.Kind.PAYMENT_SENT, title="Paid: $900.00")
        _notify(ada, kind=Notification.Kind.CONTRACT_STARTED, title="Contract started")
    assert [email.subject.removeprefix(settings.EMAIL_SUBJECT_PREFIX) for email in mail.outbox] == [
        "Offer from Acme",
        "Paid: $900.00",
    ]
    clock.shift(minutes(10))
    assert run_task(django_capture_on_commit_callbacks) == 1
    digest = mail.outbox[2]
    assert "Contract started" in digest.body
    assert "Offer from Acme" not in digest.body
    assert "Paid" not in digest.body


def test_groups_turned_off_are_left_out(clock, pair, django_capture_on_commit_callbacks):
    from messaging.services.email_preferences import email_preferences_update

    ada, bob, conversation = pair
    email_preferences_update(acting_user=ada, changes={"messages": False, "proposals": False})
    post(conversation, bob)
    _notify(ada)
    clock.shift(minutes(10))
    assert run_task(django_capture_on_commit_callbacks) == 0
    assert not mail.outbox
    _notify(ada, kind=Notification.Kind.JOB_EXPIRED, title="Your job expired")  # a group still on
    clock.shift(minutes(10))
    assert run_task(django_capture_on_commit_callbacks) == 1
    [email] = mail.outbox
    assert "Your job expired" in email.body
    assert "New proposal" not in email.body
    assert "Bob Builder" not in email.body


def test_inactive_accounts_and_removed_participants_get_nothing(
    clock, pair, django_capture_on_commit_callbacks
):
    ada, bob, conversation = pair
    Participant.objects.filter(user=ada).update(removed_at=START)
    post(conversation, bob)
    _notify(bob)
    bob.is_active = False
    bob.save(update_fields=["is_active"])
    clock.shift(minutes(10))
    assert run_task(django_capture_on_commit_callbacks) == 0


def test_the_beat_task_is_scheduled_every_minute_and_sends(clock, pair, django_capture_on_commit_callbacks):
    entry = next(e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "messaging.digests_send")
    assert entry["schedule"] == 60.0
    ada, bob, conversation = pair
    post(conversation, bob)
    clock.shift(minutes(10))
    with django_capture_on_commit_callbacks(execute=True):
        assert messaging_digests_send.apply().get() == 1
    assert [email.to for email in mail.outbox] == [[ada.email]]


def _grow(people, count: int) -> None:
    """``count`` messages (over up to 10 conversations) and ``count`` notifications for Ada."""
    ada, writers = people
    conversations = [conversation_of(ada, writer, title=f"Job {i}") for i, writer in enumerate(writers)]
    for n in range(count):
        post(conversations[n % len(conversations)], writers[n % len(writers)])
        _notify(ada, title=f"Proposal {n}")


def _task_queries(clock, capture) -> tuple[int, int]:
    clock.shift(minutes(40))
    with CaptureQueriesContext(connection) as captured:
        sent = run_task(capture)
    assert sent == 1
    return len(captured), EmailDigest.objects.latest("sent_at").message_count


def test_the_task_costs_the_same_queries_for_1_and_for_50_items(clock, django_capture_on_commit_callbacks):
    ada = make_freelancer()
    _grow((ada, [make_client()]), 1)
    one, messages = _task_queries(clock, django_capture_on_commit_callbacks)
    assert messages == 1
    _grow((ada, [make_client() for _ in range(10)]), 50)
    many, messages = _task_queries(clock, django_capture_on_commit_callbacks)
    assert messages == 50
    assert EmailDigest.objects.latest("sent_at").notification_count == 50
    assert many == one
