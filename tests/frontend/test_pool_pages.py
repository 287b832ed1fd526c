"""The freelancer's talent pools page: invitations to accept or decline, memberships to leave."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.organisations.models import PoolMembership, Role
from marketplace.organisations.selectors import pool_memberships_for_freelancer
from marketplace.organisations.services.pools import pool_invite
from tests.factories import add_to_pool, make_client, make_freelancer, make_organisation, make_user

pytestmark = pytest.mark.django_db

POOLS = reverse("frontend:pools")


def invite(organisation, freelancer, message: str = "") -> PoolMembership:
    owner = organisation.memberships.get(role=Role.OWNER).user
    return pool_invite(
        acting_user=owner, organisation=organisation, freelancer_email=freelancer.email, message=message
    )


def status_of(pool_membership: PoolMembership) -> str:
    pool_membership.refresh_from_db()
    return pool_membership.status


def test_the_pools_page_needs_a_login(client):
    response = client.get(POOLS)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_empty_state_for_a_freelancer(client):
    client.force_login(make_freelancer())
    response = client.get(POOLS)
    assert response.status_code == 200
    assert "No talent pool invitations yet" in response.content.decode()


def test_empty_state_for_a_client_says_pools_are_for_freelancers(client):
    client.force_login(make_client())
    assert "Talent pools are for freelancers" in client.get(POOLS).content.decode()


def test_invitations_and_memberships_are_listed(client):
    freelancer = make_freelancer()
    invite(make_organisation(name="Invites Inc"), freelancer, message="We love your work")
    add_to_pool(make_organisation(name="Member Co"), freelancer)
    ended = add_to_pool(make_organisation(name="Ended Ltd"), freelancer)
    ended.status = PoolMembership.Status.ENDED
    ended.save(update_fields=["status"])
    invite(make_organisation(name="Someone Else's"), make_freelancer())
    client.force_login(freelancer)
    page = client.get(POOLS).content.decode()
    assert "Invites Inc" in page
    assert "We love your work" in page
    assert "Member Co" in page
    assert "Ended Ltd" not in page
    assert "Someone Else" not in page


def test_accept(client):
    freelancer = make_freelancer()
    pool_membership = invite(make_organisation(name="Acme"), freelancer)
    client.force_login(freelancer)
    response = client.post(reverse("frontend:pool_accept", args=[pool_membership.pk]))
    assert response.status_code == 302
    assert response.url == POOLS
    assert status_of(pool_membership) == PoolMembership.Status.ACTIVE
    page = client.get(POOLS).content.decode()
    assert "You joined the talent pool of Acme." in page
    assert reverse("frontend:pool_leave", args=[pool_membership.pk]) in page


def test_decline(client):
    freelancer = make_freelancer()
    pool_membership = invite(make_organisation(), freelancer)
    client.force_login(freelancer)
    response = client.post(reverse("frontend:pool_decline", args=[pool_membership.pk]))
    assert response.status_code == 302
    assert status_of(pool_membership) == PoolMembership.Status.DECLINED
    assert "No talent pool invitations yet" in client.get(POOLS).content.decode()


def test_leave_with_a_reason(client):
    freelancer = make_freelancer()
    pool_membership = add_to_pool(make_organisation(), freelancer)
    client.force_login(freelancer)
    response = client.post(reverse("frontend:pool_leave", args=[pool_membership.pk]), {"reason": "Moving on"})
    assert response.status_code == 302
    pool_membership.refresh_from_db()
    assert pool_membership.status == PoolMembership.Status.ENDED
    assert pool_membership.end_reason == "Moving on"
    assert pool_membership.ended_by == freelancer


def test_accepting_twice_is_a_409(client):
    freelancer = make_freelancer()
    pool_membership = invite(make_organisation(), freelancer)
    client.force_login(freelancer)
    client.post(reverse("frontend:pool_accept", args=[pool_membership.pk]))
    response = client.post(reverse("frontend:pool_accept", args=[pool_membership.pk]))
    assert response.status_code == 409
    assert "cannot become active" in response.content.decode()


def test_someone_elses_invitation_is_404_and_unchanged(client):
    pool_membership = invite(make_organisation(), make_freelancer())
    client.force_login(make_freelancer())
    for name in ("pool_accept", "pool_decline"):
        response = client.post(reverse(f"frontend:{name}", args=[pool_membership.pk]))
        assert response.status_code == 404, name
    assert status_of(pool_membership) == PoolMembership.Status.INVITED


def test_someone_else_cannot_end_a_membership(client):
    pool_membership = add_to_pool(make_organisation())
    client.force_login(make_user())
    response = client.post(reverse("frontend:pool_leave", args=[pool_membership.pk]))
    assert response.status_code == 404  # as for an unknown id: the stranger learns nothing
    assert status_of(pool_membership) == PoolMembership.Status.ACTIVE


def test_actions_need_post(client):
    freelancer = make_freelancer()
    pool_membership = invite(make_organisation(), freelancer)
    client.force_login(freelancer)
    assert client.get(reverse("frontend:pool_accept", args=[pool_membership.pk])).status_code == 405
    assert status_of(pool_membership) == PoolMembership.Status.INVITED


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(POOLS)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_pools_page_makes_the_same_number_of_queries_for_1_and_50_pools(client):
    freelancer = make_freelancer()
    invite(make_organisation(), freelancer, message="first")
    client.force_login(freelancer)
    client.get(POOLS)
    at_one = _queries(client)
    for i in range(49):
        organisation = make_organisation()
        if i % 2:
            add_to_pool(organisation, freelancer)
        else:
            invite(organisation, freelancer, message=f"message {i}")
    assert pool_memberships_for_freelancer(freelancer).count() == 50
    assert _queries(client) == at_one
