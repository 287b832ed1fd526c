"""Organisation pages: who sees which page and control, what each action does through the page,
and that every refusal is a clear 4xx that changes nothing."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from marketplace.organisations.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationAPIKey,
    PoolMembership,
    Role,
)
from tests.factories import (
    add_member,
    add_to_pool,
    make_client,
    make_freelancer,
    make_organisation,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def org():
    owner = make_client(full_name="Olive Owner", email="olive@example.com")
    return make_organisation(owner=owner, name="Acme Robotics")


def owner_of(organisation: Organisation):
    return organisation.memberships.get(role=Role.OWNER).user


def membership(organisation, user) -> Membership:
    return Membership.objects.get(organisation=organisation, user=user)


def url(name: str, organisation: Organisation, *args) -> str:
    return reverse(f"frontend:{name}", args=[organisation.slug, *args])


def text(response) -> str:
    return response.content.decode()


# ---- my organisations ----------------------------------------------------------------------------


def test_my_organisations_needs_a_login(client):
    response = client.get(reverse("frontend:organisations"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_my_organisations_lists_each_with_my_role(client, org):
    viewer = add_member(org, Role.VIEWER)
    other = make_organisation(name="Other Org")
    add_member(other, Role.FINANCE, user=viewer)
    make_organisation(name="Not Mine")
    client.force_login(viewer)
    page = text(client.get(reverse("frontend:organisations")))
    assert "Acme Robotics" in page
    assert "Other Org" in page
    assert "Not Mine" not in page
    assert "Viewer" in page
    assert "Finance" in page


def test_my_organisations_empty_state(client):
    client.force_login(make_user())
    page = text(client.get(reverse("frontend:organisations")))
    assert "You are not in any organisation yet" in page


def test_create_an_organisation_makes_me_its_owner(client):
    user = make_client()
    client.force_login(user)
    response = client.post(reverse("frontend:organisations"), {"name": "Blue Whale Ltd", "website": ""})
    organisation = Organisation.objects.get(name="Blue Whale Ltd")
    assert response.status_code == 302
    assert response.url == url("organisation", organisation)
    assert membership(organisation, user).role == Role.OWNER


def test_create_with_a_blank_name_is_a_form_error(client):
    client.force_login(make_client())
    response = client.post(reverse("frontend:organisations"), {"name": "  ", "website": "not a url"})
    assert response.status_code == 400
    assert "This field is required." in text(response)
    assert "Enter a valid URL." in text(response)
    assert not Organisation.objects.exists()


# ---- the organisation page: who may see it and which controls ------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, org):
    response = client.get(url("organisation", org))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_non_members_get_404(client, org):
    client.force_login(make_user())
    for name in ("organisation", "organisation_pool", "organisation_invitations", "organisation_settings"):
        assert client.get(url(name, org)).status_code == 404, name


def test_unknown_organisation_is_404(client):
    client.force_login(make_user())
    assert client.get(reverse("frontend:organisation", args=["no-such-org"])).status_code == 404


def test_owner_sees_every_tab_and_the_member_controls(client, org):
    viewer = add_member(org, Role.VIEWER, user=make_user(full_name="Vic Viewer"))
    client.force_login(owner_of(org))
    page = text(client.get(url("organisation", org)))
    for tab in (
        "organisation_invitations",
        "organisation_pool",
        "organisation_api_keys",
        "organisation_settings",
    ):
        assert f'href="{url(tab, org)}"' in page, tab
    viewer_row = membership(org, viewer)
    assert url("organisation_member_role", org, viewer_row.pk) in page
    assert url("organisation_member_remove", org, viewer_row.pk) in page
    assert '<option value="owner"' in page
    # The only owner's role cannot be changed from the page, and they cannot leave.
    assert "The only owner" in page
    assert "you cannot leave" in page


def test_admin_cannot_touch_owners_or_make_owners(client, org):
    admin = add_member(org, Role.ADMIN)
    viewer = add_member(org, Role.VIEWER)
    client.force_login(admin)
    page = text(client.get(url("organisation", org)))
    owner_row = membership(org, owner_of(org))
    assert url("organisation_member_role", org, owner_row.pk) not in page
    assert url("organisation_member_remove", org, owner_row.pk) not in page
    assert url("organisation_member_role", org, membership(org, viewer).pk) in page
    assert '<option value="owner"' not in page
    assert url("organisation_api_keys", org) in page
    assert url("organisation_settings", org) in page


def test_viewer_sees_members_without_controls(client, org):
    viewer = add_member(org, Role.VIEWER)
    client.force_login(viewer)
    response = client.get(url("organisation", org))
    page = text(response)
    assert response.status_code == 200
    assert "olive@example.com" in page
    assert "/role/" not in page
    assert "/remove/" not in page
    assert url("organisation_invitations", org) not in page
    assert url("organisation_api_keys", org) not in page
    assert url("organisation_settings", org) not in page
    assert url("organisation_pool", org) in page
    assert url("organisation_leave", org) in page


@pytest.mark.parametrize(
    "tab", ["organisation_invitations", "organisation_api_keys", "organisation_settings"]
)
def test_viewer_is_refused_the_management_tabs(client, org, tab):
    client.force_login(add_member(org, Role.VIEWER))
    response = client.get(url(tab, org))
    assert response.status_code == 403
    assert "Your role (Viewer) does not allow you to" in text(response)


def test_staff_see_any_organisation_read_only(client, org):
    client.force_login(make_user(staff=True))
    response = client.get(url("organisation", org))
    assert response.status_code == 200
    assert "Staff view" in text(response)
    assert "/role/" not in text(response)


def test_times_are_shown_in_the_viewers_timezone(client, org):
    owner = owner_of(org)
    Membership.objects.filter(user=owner).update(joined_at=datetime(2026, 1, 1, 23, 30, tzinfo=UTC))
    owner.timezone = "Asia/Tokyo"
    owner.save(update_fields=["timezone"])
    client.force_login(owner)
    page = text(client.get(url("organisation", org)))
    assert "2 Jan 2026" in page  # 23:30 UTC is 08:30 the next day in Tokyo


# ---- changing roles, removing, leaving ------------------------------------------------------------


def test_admin_changes_a_role(client, org):
    viewer = add_member(org, Role.VIEWER)
    client.force_login(add_member(org, Role.ADMIN))
    response = client.post(
        url("organisation_member_role", org, membership(org, viewer).pk), {"role": Role.HIRING_MANAGER}
    )
    assert response.status_code == 302
    assert membership(org, viewer).role == Role.HIRING_MANAGER
    assert viewer.has_perm("organisations.manage_pool", org)


def test_a_non_member_posting_a_role_change_gets_404_and_nothing_changes(client, org):
    viewer = add_member(org, Role.VIEWER)
    client.force_login(make_user())
    response = client.post(
        url("organisation_member_role", org, membership(org, viewer).pk), {"role": Role.OWNER}
    )
    assert response.status_code == 404
    assert membership(org, viewer).role == Role.VIEWER


def test_a_viewer_posting_a_role_change_gets_403_and_nothing_changes(client, org):
    viewer = add_member(org, Role.VIEWER)
    other = add_member(org, Role.VIEWER)
    client.force_login(viewer)
    response = client.post(
        url("organisation_member_role", org, membership(org, other).pk), {"role": Role.ADMIN}
    )
    assert response.status_code == 403
    assert "does not allow you to manage members" in text(response)
    assert membership(org, other).role == Role.VIEWER


def test_an_admin_cannot_promote_to_owner(client, org):
    viewer = add_member(org, Role.VIEWER)
    client.force_login(add_member(org, Role.ADMIN))
    response = client.post(
        url("organisation_member_role", org, membership(org, viewer).pk), {"role": Role.OWNER}
    )
    assert response.status_code == 403
    assert membership(org, viewer).role == Role.VIEWER


def test_demoting_the_last_owner_is_a_409_with_the_reason(client, org):
    owner = owner_of(org)
    client.force_login(owner)
    response = client.post(
        url("organisation_member_role", org, membership(org, owner).pk), {"role": Role.VIEWER}
    )
    assert response.status_code == 409
    assert "only owner" in text(response)
    assert membership(org, owner).role == Role.OWNER
    assert owner.has_perm("organisations.manage_owners", org)


def test_an_unknown_role_is_a_400(client, org):
    viewer = add_member(org, Role.VIEWER)
    client.force_login(owner_of(org))
    response = client.post(
        url("organisation_member_role", org, membership(org, viewer).pk), {"role": "emperor"}
    )
    assert response.status_code == 400
    assert membership(org, viewer).role == Role.VIEWER


def test_owner_removes_a_member(client, org):
    viewer = add_member(org, Role.VIEWER)
    client.force_login(owner_of(org))
    response = client.post(url("organisation_member_remove", org, membership(org, viewer).pk))
    assert response.status_code == 302
    assert not Membership.objects.filter(organisation=org, user=viewer).exists()
    assert not viewer.has_perm("organisations.view_organisation", org)


def test_a_viewer_cannot_remove_anyone(client, org):
    viewer = add_member(org, Role.VIEWER)
    owner_row = membership(org, owner_of(org))
    client.force_login(viewer)
    response = client.post(url("organisation_member_remove", org, owner_row.pk))
    assert response.status_code == 403
    assert Membership.objects.filter(pk=owner_row.pk).exists()


def test_a_member_leaves(client, org):
    viewer = add_member(org, Role.VIEWER)
    client.force_login(viewer)
    response = client.post(url("organisation_leave", org))
    assert response.status_code == 302
    assert response.url == reverse("frontend:organisations")
    assert not Membership.objects.filter(organisation=org, user=viewer).exists()


def test_the_last_owner_cannot_leave(client, org):
    owner = owner_of(org)
    client.force_login(owner)
    response = client.post(url("organisation_leave", org))
    assert response.status_code == 409
    assert "last owner" in text(response)
    assert membership(org, owner).role == Role.OWNER


def test_pages_refuse_get_for_actions(client, org):
    client.force_login(owner_of(org))
    assert client.get(url("organisation_leave", org)).status_code == 405


# ---- invitations ------------------------------------------------------------------------------------


def test_inviting_sends_the_email_and_shows_the_link_once(client, org, django_capture_on_commit_callbacks):
    client.force_login(owner_of(org))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("organisation_invitations", org), {"email": "new@example.com", "role": "admin"}
        )
    assert response.status_code == 201
    invitation = Invitation.objects.get(organisation=org, email="new@example.com")
    assert invitation.role == Role.ADMIN
    page = text(response)
    link = response.context["created_link"]
    assert link in page
    assert link.startswith("http://testserver/invitations/")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@example.com"]
    assert link.removeprefix("http://testserver") in mail.outbox[0].body
    # Shown once: the list afterwards has the pending invitation but no link.
    again = text(client.get(url("organisation_invitations", org)))
    assert "new@example.com" in again
    assert link not in again


def test_inviting_twice_is_a_409_with_the_reason(client, org):
    client.force_login(owner_of(org))
    client.post(url("organisation_invitations", org), {"email": "new@example.com", "role": "viewer"})
    response = client.post(
        url("organisation_invitations", org), {"email": "new@example.com", "role": "viewer"}
    )
    assert response.status_code == 409
    assert "already has a pending invitation" in text(response)
    assert Invitation.objects.filter(organisation=org).count() == 1


def test_inviting_an_existing_member_is_a_409(client, org):
    member = add_member(org, Role.VIEWER)
    client.force_login(owner_of(org))
    response = client.post(url("organisation_invitations", org), {"email": member.email, "role": "viewer"})
    assert response.status_code == 409
    assert "already a member" in text(response)


def test_invitation_form_errors_are_400(client, org):
    client.force_login(owner_of(org))
    response = client.post(url("organisation_invitations", org), {"email": "nope", "role": "viewer"})
    assert response.status_code == 400
    assert "Enter a valid email address." in text(response)
    assert not Invitation.objects.exists()


def test_an_admin_cannot_invite_an_owner(client, org):
    client.force_login(add_member(org, Role.ADMIN))
    response = client.post(
        url("organisation_invitations", org), {"email": "boss@example.com", "role": "owner"}
    )
    assert response.status_code == 400
    assert not Invitation.objects.filter(email="boss@example.com").exists()


@pytest.mark.parametrize("role", [Role.VIEWER, Role.HIRING_MANAGER, Role.FINANCE])
def test_roles_without_member_management_cannot_invite(client, org, role):
    client.force_login(add_member(org, role))
    response = client.post(url("organisation_invitations", org), {"email": "x@example.com", "role": "viewer"})
    assert response.status_code == 403
    assert not Invitation.objects.filter(email="x@example.com").exists()


def test_revoking_an_invitation(client, org):
    owner = owner_of(org)
    client.force_login(owner)
    client.post(url("organisation_invitations", org), {"email": "new@example.com", "role": "viewer"})
    invitation = Invitation.objects.get()
    response = client.post(url("organisation_invitation_revoke", org, invitation.pk))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.REVOKED
    assert "No pending invitations" in text(client.get(url("organisation_invitations", org)))


def test_revoking_twice_is_a_409(client, org):
    client.force_login(owner_of(org))
    client.post(url("organisation_invitations", org), {"email": "new@example.com", "role": "viewer"})
    invitation = Invitation.objects.get()
    client.post(url("organisation_invitation_revoke", org, invitation.pk))
    assert client.post(url("organisation_invitation_revoke", org, invitation.pk)).status_code == 409


# ---- the emailed invitation link ----------------------------------------------------------------


def _invite(org, email="invitee@example.com", role=Role.FINANCE) -> str:
    from marketplace.organisations.services.organisations import invitation_create

    return invitation_create(acting_user=owner_of(org), organisation=org, email=email, role=role).token


def test_anonymous_visitors_see_the_organisation_role_and_ways_in(client, org):
    token = _invite(org)
    here = reverse("frontend:invitation", args=[token])
    response = client.get(here)
    page = text(response)
    assert response.status_code == 200
    assert "Acme Robotics" in page
    assert "Finance" in page
    assert "Olive Owner" in page
    assert response.context["login_url"] == reverse("account_login") + "?next=" + here.replace("/", "%2F")
    assert "email=invitee%40example.com" in response.context["signup_url"]
    assert "Accept and join" not in page


def test_the_signup_link_prefills_the_invited_address(client, org):
    token = _invite(org)
    signup = client.get(reverse("frontend:invitation", args=[token])).context["signup_url"]
    assert 'value="invitee@example.com"' in text(client.get(signup))


def test_an_unknown_token_is_404(client):
    response = client.get(reverse("frontend:invitation", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert "not valid" in text(response)


def test_the_invitee_accepts(client, org):
    token = _invite(org)
    invitee = make_user(email="invitee@example.com")
    client.force_login(invitee)
    assert "Accept and join" in text(client.get(reverse("frontend:invitation", args=[token])))
    response = client.post(reverse("frontend:invitation_respond", args=[token]), {"action": "accept"})
    assert response.status_code == 302
    assert response.url == url("organisation", org)
    assert membership(org, invitee).role == Role.FINANCE
    # The link is used up: the page says so, and a second accept is a 409.
    page = text(client.get(reverse("frontend:invitation", args=[token])))
    assert "already accepted" in page
    again = client.post(reverse("frontend:invitation_respond", args=[token]), {"action": "accept"})
    assert again.status_code == 409


def test_the_invitee_declines(client, org):
    token = _invite(org)
    invitee = make_user(email="invitee@example.com")
    client.force_login(invitee)
    response = client.post(reverse("frontend:invitation_respond", args=[token]), {"action": "decline"})
    assert response.status_code == 302
    assert Invitation.objects.get().status == Invitation.Status.DECLINED
    assert not Membership.objects.filter(user=invitee).exists()


def test_someone_else_logged_in_is_told_and_refused(client, org):
    token = _invite(org)
    intruder = make_user(email="intruder@example.com")
    client.force_login(intruder)
    page = text(client.get(reverse("frontend:invitation", args=[token])))
    assert "This invitation was sent to" in page
    assert "intruder@example.com" in page
    assert "Accept and join" not in page
    response = client.post(reverse("frontend:invitation_respond", args=[token]), {"action": "accept"})
    assert response.status_code == 403
    assert "This invitation was sent to invitee@example.com" in text(response)
    assert not Membership.objects.filter(user=intruder).exists()
    assert Invitation.objects.get().status == Invitation.Status.PENDING


def test_an_expired_invitation_says_so(client, org):
    token = _invite(org)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    invitee = make_user(email="invitee@example.com")
    client.force_login(invitee)
    assert "has expired" in text(client.get(reverse("frontend:invitation", args=[token])))
    response = client.post(reverse("frontend:invitation_respond", args=[token]), {"action": "accept"})
    assert response.status_code == 409
    assert not Membership.objects.filter(user=invitee).exists()


def test_responding_needs_a_login(client, org):
    token = _invite(org)
    response = client.post(reverse("frontend:invitation_respond", args=[token]), {"action": "accept"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert Invitation.objects.get().status == Invitation.Status.PENDING


# ---- talent pool (organisation side) -------------------------------------------------------------


def test_owner_invites_a_freelancer_to_the_pool(client, org, django_capture_on_commit_callbacks):
    freelancer = make_freelancer(email="fran@example.com")
    client.force_login(owner_of(org))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("organisation_pool_invite", org),
            {"freelancer_email": "FRAN@example.com", "message": "Hi Fran"},
        )
    assert response.status_code == 302
    assert response.url == url("organisation_pool", org)
    pool_membership = PoolMembership.objects.get(email="fran@example.com")
    assert pool_membership.freelancer is None  # named by the address until Fran answers
    assert pool_membership.status == PoolMembership.Status.INVITED
    assert pool_membership.message == "Hi Fran"
    assert mail.outbox[0].to == ["fran@example.com"]
    page = text(client.get(url("organisation_pool", org)))
    assert "fran@example.com" in page
    assert "Invited" in page
    assert freelancer.get_full_name() not in page


def test_pool_invite_goes_back_to_a_safe_next(client, org):
    make_freelancer(email="fran@example.com")
    client.force_login(owner_of(org))
    response = client.post(
        url("organisation_pool_invite", org), {"freelancer_email": "fran@example.com", "next": "/f/fran/"}
    )
    assert response.url == "/f/fran/"


def test_pool_invite_ignores_an_unsafe_next(client, org):
    make_freelancer(email="fran@example.com")
    client.force_login(owner_of(org))
    response = client.post(
        url("organisation_pool_invite", org),
        {"freelancer_email": "fran@example.com", "next": "https://evil.example/"},
    )
    assert response.url == url("organisation_pool", org)


def test_pool_invite_of_an_unknown_address_answers_as_any_other(client, org):
    client.force_login(owner_of(org))
    response = client.post(url("organisation_pool_invite", org), {"freelancer_email": "ghost@example.com"})
    assert response.status_code == 302
    assert PoolMembership.objects.get().email == "ghost@example.com"
    assert "ghost@example.com is invited" in text(client.get(response.url))


def test_pool_invite_twice_is_a_409(client, org):
    freelancer = make_freelancer()
    client.force_login(owner_of(org))
    client.post(url("organisation_pool_invite", org), {"freelancer_email": freelancer.email})
    response = client.post(url("organisation_pool_invite", org), {"freelancer_email": freelancer.email})
    assert response.status_code == 409
    assert "already invited to or in this pool" in text(response)


def test_viewer_sees_the_pool_but_cannot_invite(client, org):
    add_to_pool(org, make_freelancer(email="fran@example.com"))
    viewer = add_member(org, Role.VIEWER)
    client.force_login(viewer)
    page = text(client.get(url("organisation_pool", org)))
    assert "fran@example.com" not in page  # contact details are for the roles that manage the pool
    assert "Active" in page
    assert "Invite a freelancer" not in page
    assert "/end/" not in page
    response = client.post(
        url("organisation_pool_invite", org), {"freelancer_email": make_freelancer().email}
    )
    assert response.status_code == 403
    assert PoolMembership.objects.count() == 1


def test_a_non_member_posting_a_pool_invite_gets_404(client, org):
    freelancer = make_freelancer()
    client.force_login(make_user())
    response = client.post(url("organisation_pool_invite", org), {"freelancer_email": freelancer.email})
    assert response.status_code == 404
    assert not PoolMembership.objects.exists()


def test_hiring_manager_ends_a_pool_membership_with_a_reason(client, org):
    pool_membership = add_to_pool(org)
    client.force_login(add_member(org, Role.HIRING_MANAGER))
    response = client.post(url("organisation_pool_end", org, pool_membership.pk), {"reason": "Project over"})
    assert response.status_code == 302
    pool_membership.refresh_from_db()
    assert pool_membership.status == PoolMembership.Status.ENDED
    assert pool_membership.end_reason == "Project over"


def test_ending_another_organisations_membership_is_404(client, org):
    theirs = add_to_pool(make_organisation())
    client.force_login(owner_of(org))
    response = client.post(url("organisation_pool_end", org, theirs.pk), {"reason": "x"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == PoolMembership.Status.ACTIVE


def test_finance_cannot_end_a_pool_membership(client, org):
    pool_membership = add_to_pool(org)
    client.force_login(add_member(org, Role.FINANCE))
    assert client.post(url("organisation_pool_end", org, pool_membership.pk)).status_code == 403
    pool_membership.refresh_from_db()
    assert pool_membership.status == PoolMembership.Status.ACTIVE


def test_the_pool_empty_state(client, org):
    client.force_login(owner_of(org))
    page = text(client.get(url("organisation_pool", org)))
    assert "No one in the talent pool yet" in page
    # The address is required (the form only allows a profile handle instead) and says so.
    assert "Freelancer&#x27;s email address</label>" in page
    assert "{#" not in page


# ---- API keys -------------------------------------------------------------------------------------


def test_api_key_secret_is_shown_once(client, org):
    client.force_login(owner_of(org))
    response = client.post(url("organisation_api_keys", org), {"name": "ATS sync"})
    assert response.status_code == 201
    secret = response.context["secret"]
    api_key = OrganisationAPIKey.objects.get(organisation=org)
    assert api_key.is_valid(secret)
    assert secret in text(response)
    again = text(client.get(url("organisation_api_keys", org)))
    assert "ATS sync" in again
    assert secret not in again


def test_api_key_revoke(client, org):
    client.force_login(owner_of(org))
    client.post(url("organisation_api_keys", org), {"name": "ATS sync"})
    api_key = OrganisationAPIKey.objects.get()
    response = client.post(url("organisation_api_key_revoke", org, api_key.pk))
    assert response.status_code == 302
    api_key.refresh_from_db()
    assert api_key.revoked
    assert client.post(url("organisation_api_key_revoke", org, api_key.pk)).status_code == 404


def test_hiring_manager_cannot_create_api_keys(client, org):
    client.force_login(add_member(org, Role.HIRING_MANAGER))
    assert client.post(url("organisation_api_keys", org), {"name": "Mine"}).status_code == 403
    assert not OrganisationAPIKey.objects.exists()


def test_api_key_without_a_name_is_400(client, org):
    client.force_login(owner_of(org))
    assert client.post(url("organisation_api_keys", org), {"name": ""}).status_code == 400


# ---- settings -------------------------------------------------------------------------------------


def test_admin_changes_the_settings(client, org):
    client.force_login(add_member(org, Role.ADMIN))
    response = client.post(
        url("organisation_settings", org), {"name": "Acme Robotics AG", "website": "acme.example"}
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.name == "Acme Robotics AG"
    assert org.website == "https://acme.example"


def test_finance_cannot_change_the_settings(client, org):
    client.force_login(add_member(org, Role.FINANCE))
    response = client.post(url("organisation_settings", org), {"name": "Hijacked", "website": ""})
    assert response.status_code == 403
    org.refresh_from_db()
    assert org.name == "Acme Robotics"


def test_settings_with_a_blank_name_is_400(client, org):
    client.force_login(owner_of(org))
    response = client.post(url("organisation_settings", org), {"name": "", "website": ""})
    assert response.status_code == 400
    org.refresh_from_db()
    assert org.name == "Acme Robotics"


# ---- query counts ---------------------------------------------------------------------------------


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_member_list_makes_the_same_number_of_queries_for_1_and_50_members(client):
    organisation = make_organisation()
    client.force_login(owner_of(organisation))
    path = url("organisation", organisation)
    client.get(path)  # warm caches (content types, permissions)
    at_one = _queries(client, path)
    for role in ([Role.ADMIN, Role.VIEWER, Role.FINANCE, Role.HIRING_MANAGER, Role.OWNER] * 10)[:49]:
        add_member(organisation, role)
    assert organisation.memberships.count() == 50
    assert _queries(client, path) == at_one


def test_the_pool_list_makes_the_same_number_of_queries_for_1_and_50_freelancers(client):
    organisation = make_organisation()
    client.force_login(owner_of(organisation))
    add_to_pool(organisation)
    path = url("organisation_pool", organisation)
    client.get(path)
    at_one = _queries(client, path)
    owner = owner_of(organisation)
    from marketplace.organisations.services.pools import pool_invite

    for i in range(49):
        freelancer = make_freelancer()
        if i % 2:
            add_to_pool(organisation, freelancer)
        else:
            pool_invite(acting_user=owner, organisation=organisation, freelancer_email=freelancer.email)
    assert PoolMembership.objects.filter(pool__organisation=organisation).count() == 50
    assert _queries(client, path) == at_one
