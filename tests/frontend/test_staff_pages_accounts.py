"""Staff tools for accounts: only staff get the pages; suspension, reinstatement and badges work
through them and show up in the audit trail."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.accounts.models import Badge, User
from tests.factories import add_member, make_freelancer, make_organisation, make_user

pytestmark = pytest.mark.django_db

USERS = reverse("frontend:staff_users")


def user_url(user: User, action: str = "") -> str:
    if action:
        return reverse(f"frontend:staff_user_{action}", args=[user.pk])
    return reverse("frontend:staff_user", args=[user.pk])


@pytest.fixture
def staff(client):
    staff = make_user(staff=True, email="support@example.com", full_name="Sam Support")
    client.force_login(staff)
    return staff


def test_anonymous_visitors_are_sent_to_log_in(client):
    target = make_user()
    for path in (USERS, user_url(target)):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))


def test_non_staff_get_404_on_every_page_and_action(client):
    target = make_freelancer()
    client.force_login(make_user())
    assert client.get(USERS).status_code == 404
    assert client.get(user_url(target)).status_code == 404
    assert client.post(user_url(target, "suspend"), {"reason": "x"}).status_code == 404
    assert client.post(user_url(target, "reinstate")).status_code == 404
    grant = reverse("frontend:staff_badge_grant", args=[target.pk])
    assert client.post(grant, {"kind": "identity"}).status_code == 404
    target.refresh_from_db()
    assert not target.is_suspended
    assert not Badge.objects.filter(user=target, kind="identity").exists()


def test_the_list_searches_by_email_and_name(client, staff):
    make_user(email="ana@example.com", full_name="Ana Alvarez")
    make_user(email="bob@example.com", full_name="Bob Brown")
    page = client.get(USERS, {"q": "alvarez"}).content.decode()
    assert "ana@example.com" in page
    assert "bob@example.com" not in page
    page = client.get(USERS, {"q": "BOB@"}).content.decode()
    assert "bob@example.com" in page
    assert "ana@example.com" not in page


def test_the_list_says_when_nothing_matches(client, staff):
    page = client.get(USERS, {"q": "nobody-like-this"}).content.decode()
    assert "No users match" in page


def test_the_list_is_paginated(client, staff):
    for _ in range(30):
        make_user()
    first = client.get(USERS).content.decode()
    assert "Page 1 of 2" in first
    second = client.get(USERS, {"page": 2})
    assert second.status_code == 200
    assert "Page 2 of 2" in second.content.decode()
    assert client.get(USERS, {"page": "999"}).status_code == 200


def test_the_user_page_shows_details_and_memberships(client, staff):
    target = make_freelancer(email="fran@example.com", full_name="Fran Free")
    add_member(make_organisation(name="Acme Robotics"), "finance", user=target)
    response = client.get(user_url(target))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Fran Free" in page
    assert "Acme Robotics" in page
    assert "Finance" in page
    assert "Nothing recorded yet" in page


def test_an_unknown_user_is_404(client, staff):
    assert client.get(reverse("frontend:staff_user", args=[999999])).status_code == 404


def test_suspend_sends_the_user_to_the_suspension_page_and_reinstate_lets_them_back(client, staff):
    target = make_freelancer()
    response = client.post(user_url(target, "suspend"), {"reason": "Chargeback fraud"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.is_suspended
    assert target.suspension_reason == "Chargeback fraud"
    page = client.get(user_url(target)).content.decode()
    assert "user.suspend" in page
    assert "Suspended: Chargeback fraud" in page

    client.force_login(target)
    for path in (reverse("frontend:pools"), reverse("frontend:organisations"), "/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url == reverse("frontend:suspended"), path
    assert "Chargeback fraud" in client.get(reverse("frontend:suspended")).content.decode()

    client.force_login(staff)
    response = client.post(user_url(target, "reinstate"), {"note": "Bank confirmed"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert not target.is_suspended
    assert "user.reinstate" in client.get(user_url(target)).content.decode()

    client.force_login(target)
    assert client.get(reverse("frontend:pools")).status_code == 200


def test_suspend_needs_a_reason(client, staff):
    target = make_user()
    response = client.post(user_url(target, "suspend"), {"reason": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    target.refresh_from_db()
    assert not target.is_suspended


def test_suspending_twice_is_a_409(client, staff):
    target = make_user()
    client.post(user_url(target, "suspend"), {"reason": "Spam"})
    response = client.post(user_url(target, "suspend"), {"reason": "Spam again"})
    assert response.status_code == 409
    assert "already suspended" in response.content.decode()


def test_staff_cannot_suspend_themselves(client, staff):
    response = client.post(user_url(staff, "suspend"), {"reason": "Oops"})
    assert response.status_code == 409
    staff.refresh_from_db()
    assert not staff.is_suspended


def test_reinstating_someone_not_suspended_is_a_409(client, staff):
    assert client.post(user_url(make_user(), "reinstate")).status_code == 409


def test_badge_grant_and_revoke_appear_in_the_audit_trail(client, staff):
    target = make_freelancer()
    grant = reverse("frontend:staff_badge_grant", args=[target.pk])
    response = client.post(grant, {"kind": Badge.Kind.IDENTITY})
    assert response.status_code == 302
    assert Badge.objects.filter(user=target, kind=Badge.Kind.IDENTITY).exists()
    page = client.get(user_url(target)).content.decode()
    assert "Identity verified" in page
    assert "badge.grant" in page
    assert "support@example.com" in page

    revoke = reverse("frontend:staff_badge_revoke", args=[target.pk, Badge.Kind.IDENTITY])
    response = client.post(revoke)
    assert response.status_code == 302
    assert not Badge.objects.filter(user=target, kind=Badge.Kind.IDENTITY).exists()
    page = client.get(user_url(target)).content.decode()
    assert "badge.revoke" in page
    assert "Revoked Identity verified" in page


def test_granting_a_held_badge_again_is_a_409(client, staff):
    target = make_user()
    grant = reverse("frontend:staff_badge_grant", args=[target.pk])
    client.post(grant, {"kind": Badge.Kind.TAX_FORM})
    response = client.post(grant, {"kind": Badge.Kind.TAX_FORM})
    assert response.status_code == 409
    assert "already has this badge" in response.content.decode()
    assert Badge.objects.filter(user=target, kind=Badge.Kind.TAX_FORM).count() == 1


def test_an_unknown_badge_is_a_400(client, staff):
    target = make_user()
    response = client.post(reverse("frontend:staff_badge_grant", args=[target.pk]), {"kind": "wizard"})
    assert response.status_code == 400
    assert not Badge.objects.filter(user=target).exists()


def test_revoking_a_badge_not_held_is_a_404(client, staff):
    target = make_user()
    response = client.post(reverse("frontend:staff_badge_revoke", args=[target.pk, Badge.Kind.IDENTITY]))
    assert response.status_code == 404
    assert "does not have this badge" in response.content.decode()


def _queries(client, path: str, params: dict | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_user_list_makes_the_same_number_of_queries_for_1_and_50_users(client, staff):
    make_user(email="match-0@example.com")
    client.get(USERS, {"q": "match-"})
    at_one = _queries(client, USERS, {"q": "match-"})
    for i in range(1, 50):
        make_user(email=f"match-{i}@example.com", staff=i % 7 == 0, freelancer=i % 3 == 0)
    assert User.objects.filter(email__startswith="match-").count() == 50
    assert _queries(client, USERS, {"q": "match-"}) == at_one
