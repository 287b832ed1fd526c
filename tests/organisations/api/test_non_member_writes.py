"""Someone outside an organisation learns nothing about it: every write to a real organisation
answers them exactly as an unknown slug does (404 `organisation_not_found`), while its members
whose role does not allow the write keep a 403 `role_forbids` (the positive control: the role
that may do it still does)."""

import pytest

from marketplace.organisations.models import Invitation, PoolMembership
from tests.factories import add_member, add_to_pool, make_client, make_organisation, make_user
from tests.support.api import as_user, assert_error

pytestmark = pytest.mark.django_db


def _owner(organisation):
    return organisation.memberships.get(role="owner").user


def _writes(org, slug: str) -> list[tuple[str, str, dict | None]]:
    member = org.memberships.get(role="owner")
    invitation = Invitation.objects.get(organisation=org, email="pending@example.com")
    return [
        ("patch", f"/api/organisations/{slug}/", {"name": "Renamed"}),
        ("patch", f"/api/organisations/{slug}/members/{member.pk}/", {"role": "viewer"}),
        ("delete", f"/api/organisations/{slug}/members/{member.pk}/", None),
        ("post", f"/api/organisations/{slug}/invitations/", {"email": "x@example.com", "role": "viewer"}),
        ("delete", f"/api/organisations/{slug}/invitations/{invitation.pk}/", None),
        ("post", f"/api/organisations/{slug}/pool/", {"freelancer_email": "f@example.com"}),
    ]


@pytest.fixture
def org(api):
    organisation = make_organisation(name="Acme")
    as_user(_owner(organisation), api).post(
        f"/api/organisations/{organisation.slug}/invitations/",
        {"email": "pending@example.com", "role": "viewer"},
        format="json",
    )
    api.logout()
    return organisation


def test_a_non_member_gets_the_unknown_organisations_404_on_every_write(api, org):
    outsider = _owner(make_organisation(name="Other"))
    as_user(outsider, api)
    for (method, url, body), (_, unknown_url, _) in zip(
        _writes(org, org.slug), _writes(org, "no-such-org"), strict=True
    ):
        real = getattr(api, method)(url, body, format="json")
        unknown = getattr(api, method)(unknown_url, body, format="json")
        assert_error(unknown, 404, "organisation_not_found")
        assert_error(real, 404, "organisation_not_found")
        assert real.json() == unknown.json(), url
    org.refresh_from_db()
    assert org.name == "Acme"


def test_a_member_without_the_role_keeps_a_403_with_a_code(api, org):
    as_user(add_member(org, "viewer"), api)
    for method, url, body in _writes(org, org.slug):
        if method == "delete" and "/members/" in url:
            continue  # anyone may remove themself; removing the owner is role_forbids below
        assert_error(getattr(api, method)(url, body, format="json"), 403, "role_forbids")
    owner_row = org.memberships.get(role="owner")
    assert_error(api.delete(f"/api/organisations/{org.slug}/members/{owner_row.pk}/"), 403, "role_forbids")
    # Positive control: the owner may.
    as_user(_owner(org), api)
    response = api.patch(f"/api/organisations/{org.slug}/", {"name": "Renamed"}, format="json")
    assert response.status_code == 200, response.content


def test_ending_a_pool_membership_of_someone_elses_organisation_is_not_found(api, org):
    membership = add_to_pool(org)
    as_user(_owner(make_organisation(name="Other")), api)
    unknown = api.post("/api/pool-memberships/999999/end/")
    real = api.post(f"/api/pool-memberships/{membership.pk}/end/")
    assert_error(unknown, 404, "pool_membership_not_found")
    assert_error(real, 404, "pool_membership_not_found")
    as_user(make_client(), api)
    assert_error(api.post(f"/api/pool-memberships/{membership.pk}/end/"), 404, "pool_membership_not_found")
    membership.refresh_from_db()
    assert membership.status == PoolMembership.Status.ACTIVE
    # A member without manage_pool: 403 role_forbids; a pool manager ends it.
    as_user(add_member(org, "finance"), api)
    assert_error(api.post(f"/api/pool-memberships/{membership.pk}/end/"), 403, "role_forbids")
    as_user(add_member(org, "hiring_manager"), api)
    assert api.post(f"/api/pool-memberships/{membership.pk}/end/").json()["status"] == "ended"


def test_staff_outside_the_organisation_still_see_it_and_get_403(api, org):
    as_user(make_user(staff=True), api)
    response = api.patch(f"/api/organisations/{org.slug}/", {"name": "Renamed"}, format="json")
    assert_error(response, 403, "not_a_member")


def _writes_with_a_bad_body(org) -> list[tuple[str, str, dict]]:
    """The writes whose body is validated (needing `manage_settings`, `manage_members` twice and
    `manage_pool`: none of them a viewer's or finance's), each with a body it refuses."""
    member = org.memberships.get(role="owner")
    return [
        ("patch", f"/api/organisations/{org.slug}/", {"name": ""}),
        ("patch", f"/api/organisations/{org.slug}/members/{member.pk}/", {}),
        ("post", f"/api/organisations/{org.slug}/invitations/", {}),
        ("post", f"/api/organisations/{org.slug}/pool/", {}),
    ]


def test_who_may_not_write_hears_404_or_403_before_anything_about_the_body(api, org):
    """The order is: the organisation as the caller may see it (404), the role (403), then the body
    (400). A refused caller hears the same answer whatever they send."""
    outsider = _owner(make_organisation(name="Other"))
    viewer, finance, staff = add_member(org, "viewer"), add_member(org, "finance"), make_user(staff=True)
    for method, url, body in _writes_with_a_bad_body(org):

        def send(user, method=method, url=url, body=body):
            return getattr(as_user(user, api), method)(url, body, format="json")

        assert_error(send(outsider), 404, "organisation_not_found")
        assert_error(send(viewer), 403, "role_forbids")
        assert_error(send(staff), 403, "not_a_member")
        assert_error(send(finance), 403, "role_forbids")
        # Positive control: the owner may write, so the body is validated.
        response = send(_owner(org))
        assert response.status_code == 400, (url, response.content)
    org.refresh_from_db()
    assert org.name == "Acme"


def test_a_bad_body_to_end_a_pool_membership_is_refused_after_who_may_end_it(api, org):
    membership = add_to_pool(org)
    url, bad = f"/api/pool-memberships/{membership.pk}/end/", {"reason": ["not", "text"]}
    assert_error(as_user(make_client(), api).post(url, bad, format="json"), 404, "pool_membership_not_found")
    assert_error(as_user(add_member(org, "viewer"), api).post(url, bad, format="json"), 403, "role_forbids")
    assert as_user(membership.freelancer, api).post(url, bad, format="json").status_code == 400
    membership.refresh_from_db()
    assert membership.status == PoolMembership.Status.ACTIVE
