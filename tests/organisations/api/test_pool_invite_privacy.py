"""Inviting an address to a talent pool reveals nothing the inviter could not already see.

Anyone can create an organisation, so the invitation is the probe: its answer and the pool list
show an invitee only as the address the inviter typed until the freelancer accepts, answer the
same whether or not the address has an account, and are rate limited per inviter and per
organisation. The freelancer still gets the invitation (positive control) and, once they accept,
the pool shows their profile.
"""

import pytest
from django.core import mail

from marketplace.accounts.models import FreelancerProfile
from marketplace.organisations.models import PoolMembership
from tests.factories import add_member, make_client, make_freelancer, make_organisation
from tests.support.api import as_user, assert_error

pytestmark = pytest.mark.django_db

REVEALING = {"full_name", "handle", "headline", "avatar"}


def _hidden_freelancer():
    freelancer = make_freelancer(email="hidden@example.com", full_name="Hedda Hidden")
    FreelancerProfile.objects.filter(user=freelancer).update(
        visibility=FreelancerProfile.Visibility.POOL, headline="Secret headline"
    )
    return freelancer


def _probe_org(api) -> str:
    prober = make_client()
    response = as_user(prober, api).post("/api/organisations/", {"name": "Probe"}, format="json")
    assert response.status_code == 201, response.content
    return response.json()["slug"]


def _invite(api, slug: str, email: str):
    return api.post(f"/api/organisations/{slug}/pool/", {"freelancer_email": email}, format="json")


def _without_ids(body: dict) -> dict:
    return {k: v for k, v in body.items() if k not in {"id", "invited_at", "invitee"}}


def test_an_invitation_shows_only_the_typed_address_and_the_same_for_no_account(
    api, django_capture_on_commit_callbacks
):
    hidden = _hidden_freelancer()
    slug = _probe_org(api)
    assert api.get(f"/api/profiles/{hidden.freelancer_profile.handle}/").status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        known = _invite(api, slug, "Hidden@Example.com ")
        unknown = _invite(api, slug, "nobody@example.com")

    assert known.status_code == unknown.status_code == 201, (known.content, unknown.content)
    assert set(known.json()) == set(unknown.json())
    assert _without_ids(known.json()) == _without_ids(unknown.json())
    assert known.json()["invitee"] == "hidden@example.com"
    assert known.json()["freelancer"] is None
    listed = api.get(f"/api/organisations/{slug}/pool/").json()
    text = str(known.json()) + str(listed)
    for secret in ["Hedda", "Hidden", "Secret headline", hidden.freelancer_profile.handle]:
        assert secret not in text
    assert {row["invitee"] for row in listed["results"]} == {"hidden@example.com", "nobody@example.com"}
    # Both addresses get the same invitation email (the product's normal behaviour).
    assert sorted(m.to[0] for m in mail.outbox) == ["hidden@example.com", "nobody@example.com"]
    assert len({m.body.replace("hidden@", "x@").replace("nobody@", "x@") for m in mail.outbox}) == 1
    assert "Hedda" not in mail.outbox[0].body + mail.outbox[1].body


def test_the_same_answer_for_a_client_only_or_suspended_account(api):
    from marketplace.accounts.services.staff import user_suspend
    from tests.factories import make_user

    make_client(email="client@example.com")
    suspended = make_freelancer(email="gone@example.com")
    user_suspend(acting_user=make_user(staff=True), user_id=suspended.pk, reason="Fraud")
    slug = _probe_org(api)
    answers = [
        _invite(api, slug, email) for email in ["client@example.com", "gone@example.com", "x@example.com"]
    ]
    assert [a.status_code for a in answers] == [201, 201, 201]
    assert len({str(_without_ids(a.json())) for a in answers}) == 1


def test_the_invitee_sees_accepts_and_then_the_pool_shows_their_profile(api):
    hidden = _hidden_freelancer()
    organisation = make_organisation(name="Acme")
    owner = organisation.memberships.get(role="owner").user
    as_user(owner, api)
    invited = _invite(api, organisation.slug, "hidden@example.com").json()

    as_user(hidden, api)
    mine = api.get("/api/me/pool-memberships/").json()["results"]
    assert [(row["id"], row["status"]) for row in mine] == [(invited["id"], "invited")]
    assert api.post(f"/api/me/pool-memberships/{invited['id']}/accept/").json()["status"] == "active"

    as_user(owner, api)
    (row,) = api.get(f"/api/organisations/{organisation.slug}/pool/").json()["results"]
    assert row["status"] == "active"
    assert row["freelancer"]["handle"] == hidden.freelancer_profile.handle
    assert row["freelancer"]["full_name"] == "Hedda Hidden"
    assert api.get(f"/api/profiles/{hidden.freelancer_profile.handle}/").status_code == 200


def test_an_address_without_an_account_can_sign_up_and_accept(api):
    organisation = make_organisation(name="Acme")
    as_user(organisation.memberships.get(role="owner").user, api)
    invited = _invite(api, organisation.slug, "later@example.com").json()
    newcomer = make_freelancer(email="later@example.com")
    as_user(newcomer, api)
    assert api.post(f"/api/me/pool-memberships/{invited['id']}/accept/").json()["status"] == "active"
    assert PoolMembership.objects.get(pk=invited["id"]).freelancer == newcomer
    # Someone else cannot take it.
    other = _invite(
        as_user(organisation.memberships.get(role="owner").user, api), organisation.slug, "z@example.com"
    )
    as_user(make_freelancer(), api)
    assert_error(
        api.post(f"/api/me/pool-memberships/{other.json()['id']}/accept/"), 404, "pool_membership_not_found"
    )


def test_pool_invitations_are_rate_limited_per_inviter_and_per_organisation(api, settings):
    """Counted from the stored invitations (each of which emails someone)."""
    settings.POOL_INVITES_PER_INVITER_PER_DAY = 2
    settings.POOL_INVITES_PER_ORGANISATION_PER_DAY = 3
    organisation = make_organisation(name="Acme")
    owner = organisation.memberships.get(role="owner").user
    manager = add_member(organisation, "hiring_manager")
    as_user(owner, api)
    assert _invite(api, organisation.slug, "a@example.com").status_code == 201
    assert _invite(api, organisation.slug, "b@example.com").status_code == 201
    assert_error(_invite(api, organisation.slug, "c@example.com"), 429, "pool_invites_inviter_limit")
    as_user(manager, api)
    assert _invite(api, organisation.slug, "c@example.com").status_code == 201
    assert_error(_invite(api, organisation.slug, "d@example.com"), 429, "pool_invites_organisation_limit")
    assert PoolMembership.objects.count() == 3
