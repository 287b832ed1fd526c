"""An organisation API key reads its own organisation's resources and nothing else."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.organisations.models import Invitation, OrganisationAPIKey
from marketplace.organisations.services.organisations import api_key_revoke, invitation_create
from tests.factories import add_member, add_to_pool, make_freelancer, make_organisation
from tests.support.api import assert_error, make_api_key, with_key

pytestmark = pytest.mark.django_db

READABLE = ["", "members/", "invitations/", "pool/"]


@pytest.fixture
def orgs():
    own, other = make_organisation(name="Own"), make_organisation(name="Other")
    for organisation in (own, other):
        add_member(organisation, "viewer")
        add_to_pool(organisation)
        owner = organisation.memberships.get(role="owner").user
        invitation_create(
            acting_user=owner, organisation=organisation, email="invitee@example.com", role="viewer"
        )
    return own, other


@pytest.mark.parametrize("suffix", READABLE)
def test_a_key_reads_its_own_organisation(api, orgs, suffix):
    own, _ = orgs
    response = with_key(api, make_api_key(own)).get(f"/api/organisations/{own.slug}/{suffix}")
    assert response.status_code == 200, response.content
    body = response.json()
    if suffix:
        assert body["count"] >= 1
    else:
        assert (body["slug"], body["my_role"], body["my_permissions"]) == (own.slug, None, [])


@pytest.mark.parametrize("suffix", READABLE)
def test_another_organisation_is_not_found_for_a_key(api, orgs, suffix):
    own, other = orgs
    response = with_key(api, make_api_key(own)).get(f"/api/organisations/{other.slug}/{suffix}")
    assert_error(response, 404, "organisation_not_found")


def test_the_organisation_list_holds_only_the_keys_organisation(api, orgs):
    own, _ = orgs
    body = with_key(api, make_api_key(own)).get("/api/organisations/").json()
    assert [o["slug"] for o in body["results"]] == [own.slug]


def test_a_key_cannot_write(api, orgs):
    own, _ = orgs
    with_key(api, make_api_key(own))
    viewer = own.memberships.get(role="viewer")
    pool_membership = own.pools.get().memberships.get()
    pending = Invitation.objects.get(organisation=own, status="pending")
    writes = [
        api.post("/api/organisations/", {"name": "By key"}, format="json"),
        api.patch(f"/api/organisations/{own.slug}/", {"name": "Renamed"}, format="json"),
        api.patch(f"/api/organisations/{own.slug}/members/{viewer.pk}/", {"role": "admin"}, format="json"),
        api.delete(f"/api/organisations/{own.slug}/members/{viewer.pk}/"),
        api.post(f"/api/organisations/{own.slug}/invitations/", {"email": "a@example.com", "role": "viewer"}),
        api.delete(f"/api/organisations/{own.slug}/invitations/{pending.pk}/"),
        api.post(f"/api/organisations/{own.slug}/pool/", {"freelancer_email": make_freelancer().email}),
    ]
    for response in writes:
        assert_error(response, 403, "api_key_read_only")
    own.refresh_from_db()
    assert own.name == "Own"
    viewer.refresh_from_db()
    assert viewer.role == "viewer"
    assert Invitation.objects.filter(organisation=own, status="pending").count() == 1
    assert own.pools.get().memberships.count() == 1
    for response in [
        api.post(f"/api/pool-memberships/{pool_membership.pk}/end/"),
        api.post("/api/invitations/whatever/accept/"),
    ]:
        assert_error(response, 403, "api_key_not_allowed")


@pytest.mark.parametrize("path", ["/api/me/", "/api/profiles/", "/api/me/pool-memberships/"])
def test_a_key_reads_nothing_outside_its_organisation(api, orgs, path):
    own, _ = orgs
    assert_error(with_key(api, make_api_key(own)).get(path), 403, "api_key_not_allowed")


def test_a_revoked_an_expired_or_a_wrong_key_is_refused(api, orgs):
    own, _ = orgs
    url = f"/api/organisations/{own.slug}/"
    secret = make_api_key(own)
    assert with_key(api, secret).get(url).status_code == 200  # positive control
    key = OrganisationAPIKey.objects.get_from_key(secret)
    api_key_revoke(acting_user=own.memberships.get(role="owner").user, organisation=own, key_id=key.pk)
    assert_error(with_key(api, secret).get(url), 403, "api_key_invalid")

    expiring = make_api_key(own)
    OrganisationAPIKey.objects.filter(prefix=expiring.partition(".")[0]).update(
        expiry_date=timezone.now() - timedelta(minutes=1)
    )
    assert_error(with_key(api, expiring).get(url), 403, "api_key_invalid")

    valid = make_api_key(own)
    tampered = valid[:-1] + ("A" if valid[-1] != "A" else "B")
    assert_error(with_key(api, tampered).get(url), 403, "api_key_invalid")
    assert_error(with_key(api, "not-a-key").get(url), 403, "api_key_invalid")
