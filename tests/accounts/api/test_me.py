import pytest

from marketplace.accounts.models import FreelancerProfile
from tests.factories import make_client, make_freelancer

from .helpers import as_client, assert_error

pytestmark = pytest.mark.django_db


def test_anonymous_is_refused(api):
    assert_error(api.get("/api/me/"), 403, "not_authenticated")


def test_me_shows_the_account(api):
    user = make_freelancer(full_name="Ada Lovelace")
    body = as_client(api, user).get("/api/me/").json()
    assert body["email"] == user.email
    assert body["full_name"] == "Ada Lovelace"
    assert (body["is_freelancer"], body["is_client"]) == (True, False)
    assert body["freelancer_handle"] == user.freelancer_profile.handle


def test_patch_changes_name_roles_and_timezone_and_creates_the_new_profile(api):
    user = make_client()
    response = as_client(api, user).patch(
        "/api/me/",
        {"full_name": "Grace Hopper", "is_freelancer": True, "timezone": "Europe/Paris"},
        format="json",
    )
    assert response.status_code == 200, response.content
    user.refresh_from_db()
    assert (user.full_name, user.is_client, user.is_freelancer, user.timezone) == (
        "Grace Hopper",
        True,
        True,
        "Europe/Paris",
    )
    assert response.json()["freelancer_handle"] == FreelancerProfile.objects.get(user=user).handle


def test_an_account_keeps_at_least_one_role(api):
    user = make_client()
    response = as_client(api, user).patch("/api/me/", {"is_client": False}, format="json")
    assert_error(response, 400, "no_role_chosen")
    user.refresh_from_db()
    assert user.is_client


def test_an_unknown_timezone_is_a_field_error(api):
    user = make_client()
    error = assert_error(as_client(api, user).patch("/api/me/", {"timezone": "Mars/Olympus"}), 400, "invalid")
    assert error["fields"]["timezone"][0]["code"] == "unknown_timezone"
    user.refresh_from_db()
    assert user.timezone == "UTC"
