"""The bell on every page and the notifications page: list, open (marks read), mark read, mark all."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from messaging.models import Notification
from messaging.services import notification_create
from tests.factories import make_client, make_freelancer, make_user

pytestmark = pytest.mark.django_db

PAGE = reverse("frontend:notifications")


def notify(user, n: int = 1, *, title: str = "New proposal on “Booking page”", url: str = "/dashboard/"):
    return [
        notification_create(
            recipient_ids=[user.pk],
            kind=Notification.Kind.PROPOSAL_RECEIVED,
            title=f"{title} #{i}" if n > 1 else title,
            body="Ana Costa proposes $1,400.00.",
            url=url,
        )[0]
        for i in range(n)
    ]


def bell(html: str) -> str:
    match = re.search(r'<a class="bell".*?</a>', html, re.S)
    assert match, "no bell on the page"
    return match.group(0)


def test_the_page_needs_a_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_visitors_get_no_bell_and_no_notification_query(client):
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("frontend:landing")).content.decode()
    assert 'class="bell"' not in html
    assert not any("messaging_notification" in q["sql"] for q in queries.captured_queries)


def test_the_bell_shows_the_unread_count_on_every_page(client):
    user = make_freelancer()
    notify(user, 3)
    client.force_login(user)
    html = client.get(reverse("frontend:dashboard")).content.decode()
    shown = bell(html)
    assert f'href="{PAGE}"' in shown
    assert ">3</span>" in shown
    assert "3 unread notifications" in shown
    assert "notifications.js" in html
    assert re.search(r'<script src="[^"]*notifications\.js" nonce="[^"]+"', html)

    Notification.objects.update(read_at="2026-01-01T00:00Z")
    shown = bell(client.get(reverse("frontend:dashboard")).content.decode())
    assert "Notifications, none unread" in shown
    assert "hidden>0</span>" in shown


def test_the_unread_count_costs_at_most_one_query(client, settings):
    user = make_client()
    notify(user, 2)
    client.force_login(user)
    dashboard = reverse("frontend:dashboard")
    client.get(dashboard)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(dashboard).status_code == 200
        return len(captured)

    with_count = queries()
    processors = settings.TEMPLATES[0]["OPTIONS"]["context_processors"]
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "context_processors": [p for p in processors if not p.endswith(".notifications")],
            },
        }
    ]
    without = queries()
    assert with_count - without == 1


def test_empty_states(client):
    client.force_login(make_freelancer())
    page = client.get(PAGE).content.decode()
    assert "No notifications yet" in page
    assert "Mark all as read" not in page
    assert "You're all caught up" in client.get(PAGE, {"show": "unread"}).content.decode()


def test_the_list_is_yours_newest_first_with_unread_highlighted(client):
    user, other = make_user(), make_user()
    older, newer = notify(user, 2)
    notify(other, title="Someone else's news")
    client.force_login(user)
    client.post(reverse("frontend:notification_read", args=[older.pk]))

    html = client.get(PAGE).content.decode()
    assert "Someone else's news" not in html
    assert html.index(newer.title) < html.index(older.title)
    assert re.search(rf'class="notification notification--unread" id="notification-{newer.pk}"', html)
    assert re.search(rf'class="notification" id="notification-{older.pk}"', html)
    assert "Ana Costa proposes $1,400.00." in html
    unread_only = client.get(PAGE, {"show": "unread"}).content.decode()
    assert newer.title in unread_only
    assert older.title not in unread_only


def test_following_a_notification_marks_it_read_and_goes_to_its_page(client):
    user = make_user()
    [note] = notify(user, url="/contracts/42/")
    client.force_login(user)
    response = client.get(reverse("frontend:notification_open", args=[note.pk]))
    assert response.status_code == 302
    assert response.url == "/contracts/42/"
    note.refresh_from_db()
    assert note.read_at is not None


def test_someone_elses_notification_is_404_and_stays_unread(client):
    owner, intruder = make_user(), make_user()
    [note] = notify(owner)
    client.force_login(intruder)
    assert client.get(reverse("frontend:notification_open", args=[note.pk])).status_code == 404
    assert client.post(reverse("frontend:notification_read", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_mark_one_read_without_and_with_htmx(client):
    user = make_user()
    first, second = notify(user, 2)
    client.force_login(user)

    response = client.post(reverse("frontend:notification_read", args=[first.pk]), {"next": f"{PAGE}?page=1"})
    assert response.status_code == 302
    assert response.url == f"{PAGE}?page=1"

    response = client.post(reverse("frontend:notification_read", args=[second.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="notification" id="notification-{second.pk}"')
    assert "Mark read" not in html
    assert response["HX-Trigger"] == '{"notifications:unread": {"unread": 0}}'
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_mark_all_read(client):
    user, other = make_user(), make_user()
    notify(user, 3)
    notify(other)
    client.force_login(user)
    response = client.post(reverse("frontend:notifications_read_all"), follow=True)
    html = response.content.decode()
    assert "Marked 3 notifications as read." in html
    assert "Notifications, none unread" in bell(html)
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 1


def test_pagination(client):
    user = make_user()
    notify(user, 30)
    client.force_login(user)
    first = client.get(PAGE).content.decode()
    assert first.count('class="notification ') == 25
    assert "Page 1 of 2" in first
    second = client.get(PAGE, {"page": 2}).content.decode()
    assert second.count('class="notification ') == 5
    assert "#0" in second
    assert "#29" not in second


def test_the_page_costs_the_same_queries_for_1_and_for_50_rows(client):
    user = make_user()
    client.force_login(user)
    notify(user, 1)
    client.get(PAGE)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(PAGE, {"page_size": 100}).status_code == 200
        return len(captured)

    one = queries()
    notify(user, 49)
    assert queries() == one
