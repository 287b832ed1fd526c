"""Creating notifications and marking them read: only your own, pushed after commit."""

import pytest
from django.contrib.auth.models import AnonymousUser

from marketplace.core.exceptions import NotFound
from messaging import selectors
from messaging.models import Notification
from messaging.services import notification_create, notifications_mark_all_read, notifications_mark_read
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def notify(*recipients, title: str = "Something happened", **fields) -> list[Notification]:
    return notification_create(
        recipient_ids=[user.pk for user in recipients],
        kind=fields.pop("kind", Notification.Kind.JOB_INVITATION),
        title=title,
        **fields,
    )


@pytest.fixture
def pushed(monkeypatch):
    """The events handed to the websocket after commit: (user ids, event)."""
    sent: list[tuple[list[int], dict]] = []
    monkeypatch.setattr(
        "messaging.services.notifications.send_event_on_commit", lambda ids, event: sent.append((ids, event))
    )
    monkeypatch.setattr(
        "messaging.services.notifications.send_events_on_commit",
        lambda events: sent.extend(([user_id], event) for user_id, event in events.items()),
    )
    return sent


def test_one_row_per_recipient_cut_to_one_line_and_pushed_with_each_ones_count(pushed):
    alice, bob = make_user(), make_user()
    notify(alice)
    pushed.clear()

    rows = notify(alice, bob, alice, title="A title\nover two lines", body="word " * 100)

    assert sorted(row.recipient_id for row in rows) == sorted([alice.pk, bob.pk])
    assert rows[0].title == "A title over two lines"
    assert len(rows[0].body) == 300
    assert rows[0].body.endswith("…")
    assert sorted(pushed, key=lambda item: item[0]) == sorted(
        [
            ([alice.pk], {"type": "notification", "unread": 2, "title": "A title over two lines"}),
            ([bob.pk], {"type": "notification", "unread": 1, "title": "A title over two lines"}),
        ],
        key=lambda item: item[0],
    )


def test_inactive_accounts_are_not_notified():
    active, closed = make_user(), make_user(is_active=False)
    rows = notify(active, closed)
    assert [row.recipient_id for row in rows] == [active.pk]


def test_mark_read_only_your_own(pushed):
    alice, bob = make_user(), make_user()
    [mine], [theirs] = notify(alice), notify(bob)
    pushed.clear()

    with pytest.raises(NotFound) as refused:
        notifications_mark_read(acting_user=alice, notification_id=theirs.pk)
    assert refused.value.code == "notification_not_found"
    with pytest.raises(NotFound):
        notifications_mark_read(acting_user=AnonymousUser(), notification_id=theirs.pk)
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert pushed == []

    read = notifications_mark_read(acting_user=alice, notification_id=mine.pk)
    assert read.read_at is not None
    assert pushed == [([alice.pk], {"type": "notifications.read", "unread": 0})]
    first_read_at = read.read_at
    again = notifications_mark_read(acting_user=alice, notification_id=mine.pk)
    assert again.read_at == first_read_at
    assert len(pushed) == 1  # nothing changed, nothing pushed


def test_mark_all_read_touches_only_your_own(pushed):
    alice, bob = make_user(), make_user()
    notify(alice)
    notify(alice)
    notify(bob)
    pushed.clear()

    assert notifications_mark_all_read(acting_user=alice) == 2
    assert notifications_mark_all_read(acting_user=alice) == 0
    assert selectors.unread_count(alice) == 0
    assert selectors.unread_count(bob) == 1
    assert pushed == [([alice.pk], {"type": "notifications.read", "unread": 0})]


def test_selectors_read_only_your_own_newest_first():
    alice, bob = make_user(), make_user()
    first, second, third = (notify(alice, title=f"Number {n}")[0] for n in range(3))
    notify(bob)
    notifications_mark_read(acting_user=alice, notification_id=second.pk)

    assert list(selectors.notifications_for(alice)) == [third, second, first]
    assert list(selectors.notifications_for(alice, unread_only=True)) == [third, first]
    assert selectors.unread_count(alice) == 2
    assert not selectors.notifications_for(AnonymousUser()).exists()
    assert selectors.unread_count(AnonymousUser()) == 0
