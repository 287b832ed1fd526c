import pytest

from marketplace.accounts.models import FreelancerProfile
from marketplace.accounts.services.staff import user_suspend
from tests.factories import make_client, make_freelancer, make_user
from tests.support.api import as_user, assert_error

pytestmark = pytest.mark.django_db


def test_anonymous_is_refused(api):
    assert_error(api.get("/api/me/"), 403, "not_authenticated")


def test_me_shows_the_account(api):
    user = make_freelancer(full_name="Ada Lovelace")
    body = as_user(user, api).get("/api/me/").json()
    assert body["email"] == user.email
    assert body["full_name"] == "Ada Lovelace"
    assert (body["is_freelancer"], body["is_client"]) == (True, False)
    assert body["freelancer_handle"] == user.freelancer_profile.handle


def test_patch_changes_name_roles_and_timezone_and_creates_the_new_profile(api):
    user = make_client()
    response = as_user(user, api).patch(
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
    response = as_user(user, api).patch("/api/me/", {"is_client": False}, format="json")
    assert_error(response, 400, "no_role_chosen")
    user.refresh_from_db()
    assert user.is_client


def test_an_unknown_timezone_is_a_field_error(api):
    user = make_client()
    error = assert_error(as_user(user, api).patch("/api/me/", {"timezone": "Mars/Olympus"}), 400, "invalid")
    assert error["fields"]["timezone"][0]["code"] == "unknown_timezone"
    user.refresh_from_db()
    assert user.timezone == "UTC"


def test_a_suspended_account_gets_only_the_reason(api):
    user = make_client()
    user_suspend(acting_user=make_user(staff=True), user_id=user.pk, reason="Chargebacks under review")
    error = assert_error(as_user(user, api).get("/api/me/"), 403, "account_suspended")
    assert "Chargebacks under review" in error["message"]
    assert_error(
        api.post("/api/organisations/", {"name": "Shell Co"}, format="json"), 403, "account_suspended"
    )


def test_anonymous_writes_are_refused(api):
    assert_error(
        api.post("/api/organisations/", {"name": "Anon Co"}, format="json"), 403, "not_authenticated"
    )
    assert_error(
        api.patch("/api/me/freelancer-profile/", {"headline": "x"}, format="json"), 403, "not_authenticated"
    )


def test_a_non_freelancer_hears_403_before_anything_about_the_body(api):
    """PUT like PATCH and GET: the account must work as a freelancer (403), whatever the body."""
    as_user(make_client(), api)
    assert_error(api.put("/api/me/freelancer-profile/", {}, format="json"), 403, "not_a_freelancer")
    assert_error(api.post("/api/me/portfolio/", {}, format="json"), 403, "not_a_freelancer")
    assert_error(api.put("/api/me/freelancer-profile/avatar/", {}, format="json"), 403, "not_a_freelancer")
    # Positive control: a freelancer's empty body is validated (400; 415 for the avatar's JSON).
    as_user(make_freelancer(), api)
    assert api.put("/api/me/freelancer-profile/", {}, format="json").status_code == 400
    assert api.post("/api/me/portfolio/", {}, format="json").status_code == 400
    assert api.put("/api/me/freelancer-profile/avatar/", {}, format="json").status_code == 415


def test_someone_elses_portfolio_item_is_not_found_whatever_the_body(api):
    owner = make_freelancer()
    item = as_user(owner, api).post("/api/me/portfolio/", {"title": "Shop"}, format="json").json()
    url = f"/api/me/portfolio/{item['id']}/"
    as_user(make_freelancer(), api)
    assert_error(api.put(url, {}, format="json"), 404, "portfolio_item_not_found")
    assert_error(api.patch(url, {"title": ""}, format="json"), 404, "portfolio_item_not_found")
    # Positive control: the owner's PUT without its required title is validated.
    assert as_user(owner, api).put(url, {}, format="json").status_code == 400
