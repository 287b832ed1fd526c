import pytest

from marketplace.organisations.models import PoolMembership
from marketplace.organisations.services.pools import pool_invite
from tests.factories import add_member, add_to_pool, make_client, make_freelancer, make_organisation
from tests.support.api import as_user, assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    return make_organisation(name="Acme")


def _owner(organisation):
    return organisation.memberships.get(role="owner").user


def test_pool_list_shows_live_memberships_to_members(api, org):
    active = add_to_pool(org).freelancer
    invited = make_freelancer()
    pool_invite(acting_user=_owner(org), organisation=org, freelancer_email=invited.email)
    ended = add_to_pool(org)
    PoolMembership.objects.filter(pk=ended.pk).update(status="ended")

    body = as_user(add_member(org, "hiring_manager"), api).get(f"/api/organisations/{org.slug}/pool/").json()
    rows = {(row["invitee"], row["status"]) for row in body["results"]}
    assert rows == {(active.email, "active"), (invited.email, "invited")}
    # The freelancer is shown once they have accepted; an invitation is only the address typed.
    by_status = {row["status"]: row["freelancer"] for row in body["results"]}
    assert by_status["active"]["handle"] == active.freelancer_profile.handle
    assert by_status["invited"] is None
    api.force_login(make_client())
    assert_error(api.get(f"/api/organisations/{org.slug}/pool/"), 404, "organisation_not_found")


def test_invite_to_the_pool(api, org):
    freelancer = make_freelancer()
    manager = add_member(org, "hiring_manager")
    as_user(manager, api)
    response = api.post(
        f"/api/organisations/{org.slug}/pool/",
        {"freelancer_email": freelancer.email, "message": "Hi"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["invitee"], body["freelancer"]) == ("invited", freelancer.email, None)
    again = api.post(
        f"/api/organisations/{org.slug}/pool/", {"freelancer_email": freelancer.email}, format="json"
    )
    assert_error(again, 409, "already_in_pool")
    unknown = api.post(
        f"/api/organisations/{org.slug}/pool/", {"freelancer_email": "ghost@example.com"}, format="json"
    )
    assert unknown.status_code == 201, unknown.content
    assert PoolMembership.objects.count() == 2


@pytest.mark.parametrize(
    ("who", "status", "code"),
    [
        ("viewer", 403, "role_forbids"),
        ("finance", 403, "role_forbids"),
        ("outsider", 404, "organisation_not_found"),
    ],
)
def test_only_pool_managers_invite(api, org, who, status, code):
    user = make_client() if who == "outsider" else add_member(org, who)
    freelancer = make_freelancer()
    response = as_user(user, api).post(
        f"/api/organisations/{org.slug}/pool/", {"freelancer_email": freelancer.email}, format="json"
    )
    assert_error(response, status, code)
    assert not PoolMembership.objects.exists()


def test_the_freelancer_sees_accepts_and_declines_invitations(api, org):
    freelancer = make_freelancer()
    other_org = make_organisation(name="Beta")
    first = pool_invite(acting_user=_owner(org), organisation=org, freelancer_email=freelancer.email)
    second = pool_invite(
        acting_user=_owner(other_org), organisation=other_org, freelancer_email=freelancer.email
    )
    as_user(freelancer, api)
    body = api.get("/api/me/pool-memberships/").json()
    assert {(row["organisation"]["slug"], row["status"]) for row in body["results"]} == {
        (org.slug, "invited"),
        (other_org.slug, "invited"),
    }
    accepted = api.post(f"/api/me/pool-memberships/{first.pk}/accept/")
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == "active"
    assert api.post(f"/api/me/pool-memberships/{second.pk}/decline/").json()["status"] == "declined"
    assert_error(api.post(f"/api/me/pool-memberships/{first.pk}/decline/"), 409, "illegal_transition")
    assert [row["status"] for row in api.get("/api/me/pool-memberships/").json()["results"]] == ["active"]


def test_someone_elses_pool_invitation_is_not_found(api, org):
    membership = pool_invite(
        acting_user=_owner(org), organisation=org, freelancer_email=make_freelancer().email
    )
    as_user(make_freelancer(), api)
    assert_error(
        api.post(f"/api/me/pool-memberships/{membership.pk}/accept/"), 404, "pool_membership_not_found"
    )
    membership.refresh_from_db()
    assert membership.status == "invited"


def test_either_side_ends_a_membership(api, org):
    by_freelancer = add_to_pool(org)
    by_org = add_to_pool(org)
    as_user(by_freelancer.freelancer, api)
    response = api.post(
        f"/api/pool-memberships/{by_freelancer.pk}/end/", {"reason": "Moving on"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "ended"
    # Members without manage_pool, and outsiders, cannot end it.
    api.force_login(add_member(org, "viewer"))
    assert_error(api.post(f"/api/pool-memberships/{by_org.pk}/end/"), 403, "role_forbids")
    api.force_login(_owner(make_organisation()))
    assert_error(api.post(f"/api/pool-memberships/{by_org.pk}/end/"), 404, "pool_membership_not_found")
    by_org.refresh_from_db()
    assert by_org.status == "active"
    api.force_login(_owner(org))
    assert api.post(f"/api/pool-memberships/{by_org.pk}/end/").json()["status"] == "ended"
    by_freelancer.refresh_from_db()
    assert (by_freelancer.status, by_freelancer.end_reason) == ("ended", "Moving on")
