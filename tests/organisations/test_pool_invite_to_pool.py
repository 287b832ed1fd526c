"""Invitations to a pool other than the default one (an invite-only pool such as NE Cabling T1): by
the service, the member list's invite card and the API; another organisation's pool is refused."""

import pytest

from marketplace.core.exceptions import InvalidInput
from marketplace.organisations.models import PoolMembership, Role
from marketplace.organisations.services.pools import default_pool, pool_invite, pool_membership_accept
from tests.factories import add_member, make_client, make_freelancer, make_organisation
from tests.support.api import as_user, assert_error

from .pools_support import make_pool, ne_cabling

pytestmark = pytest.mark.django_db
Status = PoolMembership.Status


def _owner(organisation):
    return organisation.memberships.get(role=Role.OWNER).user


def test_an_invitation_names_its_pool_and_accepting_starts_the_checklist():
    pool = ne_cabling()
    worker = make_freelancer()
    membership = pool_invite(
        acting_user=_owner(pool.organisation),
        organisation=pool.organisation,
        freelancer_email=worker.email,
        pool_id=pool.pk,
    )
    assert membership.pool == pool
    joined = pool_membership_accept(acting_user=worker, membership_id=membership.pk)
    assert joined.status == Status.AWAITING_REQUIREMENTS
    # Without a pool: the organisation's default pool, as before.
    owner = _owner(pool.organisation)
    other = pool_invite(acting_user=owner, organisation=pool.organisation, freelancer_email="x@example.com")
    assert other.pool == default_pool(pool.organisation)


def test_another_organisations_pool_is_refused():
    organisation, elsewhere = make_organisation(), make_pool(make_organisation())
    with pytest.raises(InvalidInput) as refused:
        pool_invite(
            acting_user=_owner(organisation),
            organisation=organisation,
            freelancer_email="x@example.com",
            pool_id=elsewhere.pk,
        )
    assert refused.value.code == "pool_not_found"
    assert not PoolMembership.objects.filter(pool=elsewhere).exists()


def test_the_member_list_invite_card(client):
    pool = ne_cabling()
    manager = add_member(pool.organisation, Role.HIRING_MANAGER)
    client.force_login(manager)
    members = f"/organisations/{pool.organisation.slug}/pools/{pool.pk}/members/"
    page = client.get(members)
    assert b"Invite to the pool" in page.content
    response = client.post(
        f"/organisations/{pool.organisation.slug}/pool/invite/",
        {"freelancer_email": "cabler@example.com", "pool": pool.pk, "next": members},
    )
    assert response.status_code == 302
    assert response["Location"] == members
    assert PoolMembership.objects.get(email="cabler@example.com").pool == pool


def test_the_api_invites_to_a_named_pool(api):
    pool = ne_cabling()
    manager = as_user(add_member(pool.organisation, Role.HIRING_MANAGER), api)
    url = f"/api/organisations/{pool.organisation.slug}/pool/"
    created = manager.post(url, {"freelancer_email": "cabler@example.com", "pool": pool.pk}, format="json")
    assert created.status_code == 201, created.content
    assert PoolMembership.objects.get(pk=created.json()["id"]).pool == pool
    other = make_pool(make_organisation(owner=make_client()))
    refused = manager.post(url, {"freelancer_email": "b@example.com", "pool": other.pk}, format="json")
    assert_error(refused, 400, "pool_not_found")
