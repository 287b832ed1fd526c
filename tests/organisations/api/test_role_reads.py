"""Pages and API read with one role table: the pending member invitations are for the roles that
manage members (owners, admins), and pool freelancers' contact details for the roles that manage
the pool (owners, admins, hiring managers). Every role still sees the pool itself."""

import pytest

from marketplace.organisations.services.organisations import invitation_create
from tests.factories import add_member, add_to_pool, make_organisation
from tests.support.api import as_user, assert_error, make_api_key, with_key

pytestmark = pytest.mark.django_db

ROLES = ["owner", "admin", "hiring_manager", "finance", "viewer"]
MANAGE_MEMBERS = {"owner", "admin"}
MANAGE_POOL = {"owner", "admin", "hiring_manager"}


@pytest.fixture
def world():
    organisation = make_organisation(name="Acme")
    owner = organisation.memberships.get(role="owner").user
    invitation_create(
        acting_user=owner, organisation=organisation, email="newhire@example.com", role="viewer"
    )
    freelancer = add_to_pool(organisation).freelancer
    return {"organisation": organisation, "owner": owner, "freelancer": freelancer}


def _member(world, role):
    return world["owner"] if role == "owner" else add_member(world["organisation"], role)


@pytest.mark.parametrize("role", ROLES)
def test_pending_invitations_over_the_api_follow_the_page(api, client, world, role):
    organisation = world["organisation"]
    user = _member(world, role)
    response = as_user(user, api).get(f"/api/organisations/{organisation.slug}/invitations/")
    client.force_login(user)
    page = client.get(f"/organisations/{organisation.slug}/invitations/")
    if role in MANAGE_MEMBERS:
        assert response.status_code == 200, response.content
        assert [row["email"] for row in response.json()["results"]] == ["newhire@example.com"]
        assert page.status_code == 200
        assert "newhire@example.com" in page.content.decode()
    else:
        assert_error(response, 403, "role_forbids")
        assert page.status_code == 403
        assert "newhire@example.com" not in page.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_pool_contact_details_only_for_pool_managers(api, client, world, role):
    organisation, freelancer = world["organisation"], world["freelancer"]
    user = _member(world, role)
    body = as_user(user, api).get(f"/api/organisations/{organisation.slug}/pool/").json()
    (row,) = body["results"]
    client.force_login(user)
    page = client.get(f"/organisations/{organisation.slug}/pool/").content.decode()
    # Every role sees who is in the pool (their profiles are visible to the organisation).
    assert row["freelancer"]["handle"] == freelancer.freelancer_profile.handle
    assert freelancer.get_full_name() in page
    if role in MANAGE_POOL:
        assert row["freelancer"]["email"] == freelancer.email
        assert freelancer.email in page
    else:
        assert row["freelancer"]["email"] is None
        assert freelancer.email not in page
        assert freelancer.email not in str(body)


def test_an_api_key_reads_invitations_and_contacts_as_the_admins_who_made_it(api, world):
    organisation, freelancer = world["organisation"], world["freelancer"]
    with_key(api, make_api_key(organisation))
    invitations = api.get(f"/api/organisations/{organisation.slug}/invitations/").json()["results"]
    assert [row["email"] for row in invitations] == ["newhire@example.com"]
    pool = api.get(f"/api/organisations/{organisation.slug}/pool/").json()["results"]
    assert pool[0]["freelancer"]["email"] == freelancer.email
