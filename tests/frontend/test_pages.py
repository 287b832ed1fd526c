from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.core.models import Heartbeat
from marketplace.core.services import heartbeat_request
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _heartbeats(n: int) -> None:
    now = timezone.now()
    Heartbeat.objects.bulk_create(
        Heartbeat(source=Heartbeat.Source.BEAT, sent_at=now - timedelta(seconds=i), worker=f"w{i}")
        for i in range(n)
    )


def test_the_landing_page_says_what_the_product_is(client):
    response = client.get(reverse("frontend:landing"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "escrow" in text.lower()
    assert "talent pool" in text.lower()


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_the_operations_page_is_for_staff_only(client, who):
    if who == "member":
        client.force_login(make_user())
    response = client.get(reverse("frontend:ops"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    assert client.post(reverse("frontend:ops_ping")).status_code == 302


def test_staff_see_readiness_and_the_empty_state(client):
    client.force_login(make_user(staff=True))
    response = client.get(reverse("frontend:ops"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "database" in text
    assert "No heartbeat yet" in text


def test_staff_see_recent_heartbeats(client):
    _heartbeats(3)
    client.force_login(make_user(staff=True))
    text = client.get(reverse("frontend:ops")).content.decode()
    assert "w0" in text
    assert "w2" in text
    assert "No heartbeat yet" not in text


def test_the_operations_page_makes_as_many_queries_for_one_heartbeat_as_for_fifty(client):
    client.force_login(make_user(staff=True))
    counts = []
    for n in (1, 50):
        Heartbeat.objects.all().delete()
        _heartbeats(n)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("frontend:ops")).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_a_staff_ping_sends_the_heartbeat_task_after_commit(client, django_capture_on_commit_callbacks):
    client.force_login(make_user(staff=True))
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("frontend:ops_ping"))
    assert response.status_code == 302
    assert len(callbacks) == 1


def test_a_member_cannot_ping_the_worker_through_the_service(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(PermissionDenied):
        heartbeat_request(acting_user=make_user())
    assert callbacks == []


def test_an_unknown_address_gets_the_site_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We can't find that page" in response.content.decode()


def test_pages_carry_a_content_security_policy_and_the_script_tag_its_nonce(client):
    response = client.get(reverse("frontend:landing"))
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "style-src 'self'" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert f'nonce="{nonce}"' in response.content.decode()


def test_the_browser_default_favicon_address_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.url.endswith("frontend/favicon.svg")
