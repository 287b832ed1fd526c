import pytest

from marketplace.organisations.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationUserObjectPermission,
    TalentPool,
)
from marketplace.organisations.services.organisations import invitation_create
from tests.factories import add_member, make_client, make_organisation, make_user
from tests.support.api import as_user, assert_error

pytestmark = pytest.mark.django_db


def _snapshot(organisation) -> tuple:
    """Roles and guardian permission rows: what a refused change must leave as it was."""
    roles = sorted(organisation.memberships.values_list("user_id", "role"))
    perms = sorted(
        OrganisationUserObjectPermission.objects.filter(content_object=organisation).values_list(
            "user_id", "permission__codename"
        )
    )
    return roles, perms


@pytest.fixture
def org():
    return make_organisation(name="Acme")


def _owner(organisation):
    return organisation.memberships.get(role="owner").user


def _membership(organisation, user) -> Membership:
    return organisation.memberships.get(user=user)


# --- Organisations -----------------------------------------------------------------------------------


def test_list_shows_my_organisations_with_my_role(api, org):
    viewer = add_member(org, "viewer")
    own = make_organisation(owner=viewer, name="Zeta")
    make_organisation(name="Not mine")
    body = as_user(viewer, api).get("/api/organisations/").json()
    assert [(o["slug"], o["my_role"]) for o in body["results"]] == [(org.slug, "viewer"), (own.slug, "owner")]
    assert body["results"][0]["my_permissions"] == ["view_organisation"]


def test_create_makes_me_owner_with_a_pool(api):
    user = make_client()
    response = as_user(user, api).post(
        "/api/organisations/", {"name": "New Co", "website": ""}, format="json"
    )
    assert response.status_code == 201, response.content
    organisation = Organisation.objects.get(slug=response.json()["slug"])
    assert response.json()["my_role"] == "owner"
    assert _membership(organisation, user).role == "owner"
    assert TalentPool.objects.filter(organisation=organisation, is_default=True).exists()


def test_create_needs_a_name(api):
    error = assert_error(
        as_user(make_client(), api).post("/api/organisations/", {"name": "  "}), 400, "invalid"
    )
    assert "name" in error["fields"]
    assert not Organisation.objects.exists()


def test_detail_is_for_members_and_staff(api, org):
    as_user(_owner(org), api)
    body = api.get(f"/api/organisations/{org.slug}/").json()
    assert (body["name"], body["my_role"]) == ("Acme", "owner")
    assert "manage_owners" in body["my_permissions"]

    api.force_login(make_user(staff=True))
    assert api.get(f"/api/organisations/{org.slug}/").json()["my_role"] is None

    api.force_login(make_client())
    assert_error(api.get(f"/api/organisations/{org.slug}/"), 404, "organisation_not_found")
    assert_error(api.get("/api/organisations/no-such-org/"), 404, "organisation_not_found")
    api.logout()
    assert_error(api.get(f"/api/organisations/{org.slug}/"), 403, "not_authenticated")


def test_settings_change_needs_manage_settings(api, org):
    admin = add_member(org, "admin")
    viewer = add_member(org, "viewer")
    outsider = make_client()
    for user, status, code in [(viewer, 403, "role_forbids"), (outsider, 404, "organisation_not_found")]:
        response = as_user(user, api).patch(
            f"/api/organisations/{org.slug}/", {"name": "Hacked"}, format="json"
        )
        assert_error(response, status, code)
        org.refresh_from_db()
        assert org.name == "Acme"
    response = as_user(admin, api).patch(
        f"/api/organisations/{org.slug}/", {"website": "https://acme.example"}, format="json"
    )
    assert response.status_code == 200, response.content
    org.refresh_from_db()
    assert (org.name, org.website) == ("Acme", "https://acme.example")
    assert response.json()["my_role"] == "admin"


# --- Members ----------------------------------------------------------------------------------------


def test_members_list_for_members_only(api, org):
    viewer = add_member(org, "viewer")
    body = as_user(viewer, api).get(f"/api/organisations/{org.slug}/members/").json()
    assert [(m["user"]["email"], m["role"]) for m in body["results"]] == [
        (_owner(org).email, "owner"),
        (viewer.email, "viewer"),
    ]
    api.force_login(make_client())
    assert_error(api.get(f"/api/organisations/{org.slug}/members/"), 404, "organisation_not_found")


def test_an_owner_changes_a_role(api, org):
    viewer = add_member(org, "viewer")
    membership = _membership(org, viewer)
    response = as_user(_owner(org), api).patch(
        f"/api/organisations/{org.slug}/members/{membership.pk}/", {"role": "admin"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["role"] == "admin"
    assert viewer.has_perm("organisations.manage_members", org)


def test_a_non_member_cannot_change_roles(api, org):
    viewer = add_member(org, "viewer")
    membership = _membership(org, viewer)
    other_org_owner = _owner(make_organisation())
    before = _snapshot(org)
    response = as_user(other_org_owner, api).patch(
        f"/api/organisations/{org.slug}/members/{membership.pk}/", {"role": "owner"}, format="json"
    )
    assert_error(response, 404, "organisation_not_found")
    assert _snapshot(org) == before


@pytest.mark.parametrize(
    ("actor_role", "target_role", "new_role"),
    [
        ("viewer", "viewer", "admin"),
        ("admin", "owner", "viewer"),
        ("admin", "viewer", "owner"),
        ("hiring_manager", "viewer", "finance"),
    ],
)
def test_a_member_whose_role_forbids_it_cannot_change_roles(api, org, actor_role, target_role, new_role):
    actor = add_member(org, actor_role)
    target = (
        org.memberships.get(role="owner")
        if target_role == "owner"
        else _membership(org, add_member(org, target_role))
    )
    before = _snapshot(org)
    response = as_user(actor, api).patch(
        f"/api/organisations/{org.slug}/members/{target.pk}/", {"role": new_role}, format="json"
    )
    assert_error(response, 403, "role_forbids")
    assert _snapshot(org) == before


def test_the_last_owner_cannot_be_demoted(api, org):
    owner = _owner(org)
    before = _snapshot(org)
    response = as_user(owner, api).patch(
        f"/api/organisations/{org.slug}/members/{_membership(org, owner).pk}/",
        {"role": "admin"},
        format="json",
    )
    assert_error(response, 409, "last_owner")
    assert _snapshot(org) == before


def test_with_a_second_owner_an_owner_can_step_down(api, org):
    owner = _owner(org)
    add_member(org, "owner")
    response = as_user(owner, api).patch(
        f"/api/organisations/{org.slug}/members/{_membership(org, owner).pk}/",
        {"role": "admin"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert _membership(org, owner).role == "admin"


def test_role_change_input_errors(api, org):
    as_user(_owner(org), api)
    membership = _membership(org, add_member(org))
    url = f"/api/organisations/{org.slug}/members/{membership.pk}/"
    error = assert_error(api.patch(url, {"role": "emperor"}, format="json"), 400, "invalid")
    assert error["fields"]["role"][0]["code"] == "invalid_choice"
    elsewhere = make_organisation()
    foreign = _membership(elsewhere, add_member(elsewhere))
    assert_error(
        api.patch(f"/api/organisations/{org.slug}/members/{foreign.pk}/", {"role": "admin"}, format="json"),
        404,
        "member_not_found",
    )
    assert_error(
        api.patch(f"/api/organisations/nope/members/{membership.pk}/", {"role": "admin"}),
        404,
        "organisation_not_found",
    )


def test_removing_members_and_leaving(api, org):
    owner = _owner(org)
    viewer = add_member(org, "viewer")
    finance = add_member(org, "finance")
    # A non-member and a member without manage_members are refused, and nothing changes.
    before = _snapshot(org)
    as_user(make_client(), api)
    assert_error(
        api.delete(f"/api/organisations/{org.slug}/members/{_membership(org, viewer).pk}/"),
        404,
        "organisation_not_found",
    )
    api.force_login(finance)
    assert_error(
        api.delete(f"/api/organisations/{org.slug}/members/{_membership(org, viewer).pk}/"),
        403,
        "role_forbids",
    )
    assert _snapshot(org) == before
    # The last owner cannot leave.
    api.force_login(owner)
    assert_error(
        api.delete(f"/api/organisations/{org.slug}/members/{_membership(org, owner).pk}/"), 409, "last_owner"
    )
    assert _snapshot(org) == before
    # The owner removes someone; a member leaves.
    assert (
        api.delete(f"/api/organisations/{org.slug}/members/{_membership(org, viewer).pk}/").status_code == 204
    )
    api.force_login(finance)
    assert (
        api.delete(f"/api/organisations/{org.slug}/members/{_membership(org, finance).pk}/").status_code
        == 204
    )
    assert list(org.memberships.values_list("user_id", flat=True)) == [owner.pk]
    assert not OrganisationUserObjectPermission.objects.filter(user__in=[viewer, finance]).exists()


# --- Invitations ------------------------------------------------------------------------------------


def test_invite_list_and_revoke(api, org):
    as_user(_owner(org), api)
    response = api.post(
        f"/api/organisations/{org.slug}/invitations/",
        {"email": "new@example.com", "role": "finance"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["email"], body["role"], body["status"]) == ("new@example.com", "finance", "pending")
    assert body["token"]
    listed = api.get(f"/api/organisations/{org.slug}/invitations/").json()["results"]
    assert [i["email"] for i in listed] == ["new@example.com"]
    assert "token" not in listed[0]

    again = api.post(
        f"/api/organisations/{org.slug}/invitations/",
        {"email": "NEW@example.com", "role": "viewer"},
        format="json",
    )
    error = assert_error(again, 409, "already_invited")
    assert error["fields"]["email"][0] == {"code": "already_invited", "message": "Already invited."}

    assert api.delete(f"/api/organisations/{org.slug}/invitations/{body['id']}/").status_code == 204
    assert Invitation.objects.get().status == "revoked"
    assert api.get(f"/api/organisations/{org.slug}/invitations/").json()["results"] == []
    assert_error(
        api.delete(f"/api/organisations/{org.slug}/invitations/{body['id']}/"), 409, "illegal_transition"
    )


def test_only_member_managers_invite(api, org):
    for user, status, code in [
        (add_member(org, "hiring_manager"), 403, "role_forbids"),
        (make_client(), 404, "organisation_not_found"),
    ]:
        response = as_user(user, api).post(
            f"/api/organisations/{org.slug}/invitations/",
            {"email": "x@example.com", "role": "viewer"},
            format="json",
        )
        assert_error(response, status, code)
    admin = add_member(org, "admin")
    response = as_user(admin, api).post(
        f"/api/organisations/{org.slug}/invitations/",
        {"email": "x@example.com", "role": "owner"},
        format="json",
    )
    assert_error(response, 403, "role_forbids")  # only owners make owners
    assert not Invitation.objects.filter(email="x@example.com").exists()


def test_accepting_and_declining_invitations(api, org):
    invitee = make_user()
    invitation = invitation_create(
        acting_user=_owner(org), organisation=org, email=invitee.email, role="admin"
    )
    # Someone else with the link cannot use it.
    assert_error(
        as_user(make_user(), api).post(f"/api/invitations/{invitation.token}/accept/"),
        403,
        "invitation_email_mismatch",
    )
    api.force_login(invitee)
    response = api.post(f"/api/invitations/{invitation.token}/accept/")
    assert response.status_code == 200, response.content
    assert (response.json()["organisation"], response.json()["role"]) == (org.slug, "admin")
    assert _membership(org, invitee).role == "admin"
    assert invitee.has_perm("organisations.manage_members", org)
    assert_error(api.post(f"/api/invitations/{invitation.token}/accept/"), 409, "invitation_closed")
    assert_error(api.post("/api/invitations/not-a-token/accept/"), 404, "invitation_not_found")

    declining = make_user()
    second = invitation_create(
        acting_user=_owner(org), organisation=org, email=declining.email, role="viewer"
    )
    api.force_login(declining)
    response = api.post(f"/api/invitations/{second.token}/decline/")
    assert response.json()["status"] == "declined"
    assert not org.memberships.filter(user=declining).exists()
