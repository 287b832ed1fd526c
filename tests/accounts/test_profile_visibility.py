"""Who can see a pool-only profile, checked on every channel: the selector, the public page,
the API's detail and list endpoints.

Positive controls: the same viewers all see a public profile, and each allowed viewer sees the
pool-only one; so a 404 below is the rule working, not a broken page.
"""

import pytest
from django.test import Client
from django.urls import reverse

from marketplace.accounts.models import FreelancerProfile
from marketplace.accounts.selectors import profiles_visible_to
from marketplace.organisations.models import Role
from marketplace.organisations.services.pools import pool_membership_end
from tests.factories import (
    add_member,
    add_to_pool,
    make_client,
    make_freelancer,
    make_organisation,
    make_user,
)

CHANNELS = ["selector", "page", "api_detail", "api_list"]
ALLOWED = ["pool_org_owner", "pool_org_viewer", "staff", "the_freelancer"]
REFUSED = ["anonymous", "other_freelancer", "other_org_owner", "plain_client"]


def _set_visibility(user, visibility: str) -> FreelancerProfile:
    profile = user.freelancer_profile
    FreelancerProfile.objects.filter(pk=profile.pk).update(visibility=visibility)
    profile.refresh_from_db()
    return profile


@pytest.fixture
def cast(db):
    pool_org = make_organisation(name="Acme Field Services")
    other_org = make_organisation(name="Globex")
    freelancer = make_freelancer(full_name="Pat Pool")
    membership = add_to_pool(pool_org, freelancer)
    return {
        "profile": _set_visibility(freelancer, FreelancerProfile.Visibility.POOL),
        "public_profile": make_freelancer(full_name="Pia Public").freelancer_profile,
        "membership": membership,
        "viewers": {
            "anonymous": None,
            "pool_org_owner": pool_org.memberships.get(role=Role.OWNER).user,
            "pool_org_viewer": add_member(pool_org, Role.VIEWER),
            "staff": make_user(staff=True),
            "the_freelancer": freelancer,
            "other_freelancer": make_freelancer(),
            "other_org_owner": other_org.memberships.get(role=Role.OWNER).user,
            "plain_client": make_client(),
        },
    }


def _client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _sees(cast, viewer_name: str, profile: FreelancerProfile) -> dict[str, bool]:
    """Whether ``viewer_name`` sees ``profile`` on each channel."""
    user = cast["viewers"][viewer_name]
    client = _client_for(user)
    page = client.get(reverse("frontend:freelancer", kwargs={"handle": profile.handle}))
    detail = client.get(f"/api/profiles/{profile.handle}/")
    listing = client.get("/api/profiles/", {"page_size": 100})
    assert page.status_code in (200, 404), page.status_code
    assert detail.status_code in (200, 404), detail.status_code
    assert listing.status_code == 200
    if detail.status_code == 404:
        assert detail.json()["error"]["code"] == "profile_not_found"
    handles = [row["handle"] for row in listing.json()["results"]]
    return {  # keys: CHANNELS
        "selector": profiles_visible_to(user).filter(pk=profile.pk).exists(),
        "page": page.status_code == 200 and profile.user.full_name in page.content.decode(),
        "api_detail": detail.status_code == 200,
        "api_list": profile.handle in handles,
    }


@pytest.mark.parametrize("viewer", ALLOWED + REFUSED)
def test_public_profile_is_seen_by_everyone(cast, viewer):
    assert _sees(cast, viewer, cast["public_profile"]) == dict.fromkeys(
        ["selector", "page", "api_detail", "api_list"], True
    )


@pytest.mark.parametrize("viewer", ALLOWED)
def test_pool_only_profile_is_seen_by_its_audience(cast, viewer):
    assert _sees(cast, viewer, cast["profile"]) == dict.fromkeys(
        ["selector", "page", "api_detail", "api_list"], True
    )


@pytest.mark.parametrize("viewer", REFUSED)
def test_pool_only_profile_is_hidden_from_everyone_else(cast, viewer):
    assert _sees(cast, viewer, cast["profile"]) == dict.fromkeys(
        ["selector", "page", "api_detail", "api_list"], False
    )


def test_ending_the_membership_hides_the_profile_from_the_organisation(cast):
    owner = cast["viewers"]["pool_org_owner"]
    assert _sees(cast, "pool_org_owner", cast["profile"])["page"]
    pool_membership_end(acting_user=owner, membership_id=cast["membership"].pk, reason="Season over")
    assert not any(_sees(cast, "pool_org_owner", cast["profile"]).values())


def test_an_invitation_alone_does_not_reveal_a_pool_only_profile(db):
    from marketplace.organisations.services.pools import pool_invite

    organisation = make_organisation()
    owner = organisation.memberships.get().user
    freelancer = make_freelancer()
    profile = _set_visibility(freelancer, FreelancerProfile.Visibility.POOL)
    pool_invite(acting_user=owner, organisation=organisation, freelancer_email=freelancer.email)
    assert not profiles_visible_to(owner).filter(pk=profile.pk).exists()
