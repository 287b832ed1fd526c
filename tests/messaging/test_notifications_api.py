"""The notifications API: your own notifications only, with a session; lists cost the same at 1
and 50 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from messaging.models import Notification
from messaging.services import notification_create
from tests.factories import make_organisation, make_user
from tests.support.api import as_user, assert_error, make_api_key, with_key

pytestmark = pytest.mark.django_db

LIST = "/api/notifications/"


def notify(user, n: int = 1, *, actor=None) -> list[Notification]:
    return [
        notification_create(
            recipient_ids=[user.pk],
            kind=Notification.Kind.PROPOSAL_RECEIVED,
            title=f"New proposal {i}",
            body="Someone proposes $10.00.",
            url="/dashboard/",
            actor_id=actor.pk if actor else None,
        )[0]
        for i in range(n)
    ]


def test_the_list_is_yours_newest_first_and_filters_unread():
    alice, bob = make_user(), make_user()
    actor = make_user(full_name="Grace Wanjiru")
    old, new = notify(alice, 2, actor=actor)
    notify(bob)
    api = as_user(alice)
    api.post(f"/api/notifications/{old.pk}/read/")

    everything = api.get(LIST).json()
    assert everything["count"] == 2
    assert [row["id"] for row in everything["results"]] == [new.pk, old.pk]
    assert everything["results"][0] == {
        "id": new.pk,
        "kind": "proposal_received",
        "title": "New proposal 1",
        "body": "Someone proposes $10.00.",
        "url": "/dashboard/",
        "actor_name": "Grace Wanjiru",
        "created_at": everything["results"][0]["created_at"],
        "read_at": None,
        "is_read": False,
    }
    assert everything["results"][1]["is_read"] is True
    unread = api.get(LIST, {"unread": "1"}).json()
    assert [row["id"] for row in unread["results"]] == [new.pk]
    assert api.get("/api/notifications/unread-count/").json() == {"unread": 1}


def test_marking_someone_elses_notification_is_404_and_changes_nothing():
    alice, bob = make_user(), make_user()
    [theirs] = notify(bob)
    response = as_user(alice).post(f"/api/notifications/{theirs.pk}/read/")
    assert_error(response, 404, "notification_not_found")
    theirs.refresh_from_db()
    assert theirs.read_at is None

    mine = as_user(bob).post(f"/api/notifications/{theirs.pk}/read/")
    assert mine.status_code == 200
    assert mine.json()["is_read"] is True


def test_read_all_marks_only_yours():
    alice, bob = make_user(), make_user()
    notify(alice, 3)
    notify(bob, 2)
    response = as_user(alice).post("/api/notifications/read-all/")
    assert response.status_code == 200
    assert response.json() == {"marked": 3, "unread": 0}
    assert as_user(bob).get("/api/notifications/unread-count/").json() == {"unread": 2}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", LIST),
        ("get", "/api/notifications/unread-count/"),
        ("post", "/api/notifications/1/read/"),
        ("post", "/api/notifications/read-all/"),
    ],
)
def test_anonymous_and_api_key_requests_are_refused(method, path):
    assert_error(getattr(as_user(None), method)(path), 403, "not_authenticated")
    keyed = with_key(as_user(None), make_api_key(make_organisation()))
    assert_error(getattr(keyed, method)(path), 403, "api_key_not_allowed")


def _list_queries(api) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = api.get(LIST, {"page_size": 100})
    assert response.status_code == 200
    return len(captured), len(response.json()["results"])


def test_the_list_costs_the_same_queries_for_1_and_for_50_rows():
    user, actor = make_user(), make_user()
    api = as_user(user)
    notify(user, 1, actor=actor)
    api.get(LIST)  # warm the session
    one, rows = _list_queries(api)
    assert rows == 1
    notify(user, 49, actor=actor)
    fifty, rows = _list_queries(api)
    assert rows == 50
    assert one == fifty
