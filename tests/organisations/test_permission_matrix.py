"""Every organisation role against every action, through the real services.

The expected table is written out here by hand (not derived from ROLE_PERMISSIONS), so a wrong
grant in the code shows up as a failing cell. Allowed cells check that the action really took
effect (positive controls); denied cells check the error code and that nothing changed.
"""

import pytest

from marketplace.core.exceptions import NotFound, PermissionDenied
from marketplace.organisations.models import Invitation, Membership, OrganisationAPIKey, PoolMembership, Role
from marketplace.organisations.services import organisations as org_services
from marketplace.organisations.services import pools as pool_services
from tests.factories import add_member, add_to_pool, make_freelancer, make_organisation, make_user

OWNER, ADMIN, HIRING, FINANCE, VIEWER, OUTSIDER = (
    "owner",
    "admin",
    "hiring_manager",
    "finance",
    "viewer",
    "outsider",
)
ROLES = [OWNER, ADMIN, HIRING, FINANCE, VIEWER, OUTSIDER]

#                        owner  admin  hiring finance viewer outsider
EXPECTED = {
    "invite_member":       (1,    1,     0,     0,      0,     0),
    "change_member_role":  (1,    1,     0,     0,      0,     0),
    "remove_member":       (1,    1,     0,     0,      0,     0),
    "promote_to_owner":    (1,    0,     0,     0,      0,     0),
    "demote_other_owner":  (1,    0,     0,     0,      0,     0),
    "update_settings":     (1,    1,     0,     0,      0,     0),
    "create_api_key":      (1,    1,     0,     0,      0,     0),
    "invite_to_pool":      (1,    1,     1,     0,      0,     0),
    "end_pool_membership": (1,    1,     1,     0,      0,     0),
    "manage_jobs":         (1,    0,     1,     0,      0,     0),
    "make_offers":         (1,    0,     1,     0,      0,     0),
    "fund_work":           (1,    0,     1,     1,      0,     0),
    "approve_payments":    (1,    0,     0,     1,      0,     0),
    "view_statements":     (1,    0,     0,     1,      0,     0),
    "view_organisation":   (1,    1,     1,     1,      1,     0),
}  # fmt: skip

# Actions that later issues' services will check; here the grant itself is what is tested.
PERMISSION_ONLY = {
    "manage_jobs",
    "make_offers",
    "fund_work",
    "approve_payments",
    "view_statements",
    "view_organisation",
}


@pytest.fixture
def world(db):
    organisation = make_organisation()
    owner = organisation.memberships.get().user
    second_owner = add_member(organisation, Role.OWNER)
    target = add_member(organisation, Role.VIEWER)
    pool_member = add_to_pool(organisation)
    return {
        "organisation": organisation,
        "owner": owner,
        "second_owner": second_owner,
        "target": Membership.objects.get(organisation=organisation, user=target),
        "pool_membership": pool_member,
    }


def _actor(world, role: str):
    if role == OWNER:
        return world["owner"]
    if role == OUTSIDER:
        return make_user()
    return add_member(world["organisation"], role)


def _perform(action: str, actor, world) -> None:
    organisation = world["organisation"]
    target = world["target"]
    second_owner = Membership.objects.get(organisation=organisation, user=world["second_owner"])
    match action:
        case "invite_member":
            org_services.invitation_create(
                acting_user=actor, organisation=organisation, email="new@example.com", role=Role.VIEWER
            )
        case "change_member_role":
            org_services.member_role_change(
                acting_user=actor, organisation=organisation, membership_id=target.pk, role=Role.FINANCE
            )
        case "remove_member":
            org_services.member_remove(acting_user=actor, organisation=organisation, membership_id=target.pk)
        case "promote_to_owner":
            org_services.member_role_change(
                acting_user=actor, organisation=organisation, membership_id=target.pk, role=Role.OWNER
            )
        case "demote_other_owner":
            org_services.member_role_change(
                acting_user=actor, organisation=organisation, membership_id=second_owner.pk, role=Role.ADMIN
            )
        case "update_settings":
            org_services.organisation_update(
                acting_user=actor,
                organisation=organisation,
                name="Renamed",
                website="https://renamed.example",
            )
        case "create_api_key":
            org_services.api_key_create(acting_user=actor, organisation=organisation, name="ERP sync")
        case "invite_to_pool":
            pool_services.pool_invite(
                acting_user=actor, organisation=organisation, freelancer_email=make_freelancer().email
            )
        case "end_pool_membership":
            pool_services.pool_membership_end(
                acting_user=actor, membership_id=world["pool_membership"].pk, reason="Project over"
            )


def _state(world) -> tuple:
    organisation = world["organisation"]
    organisation.refresh_from_db()
    return (
        organisation.name,
        sorted(Membership.objects.filter(organisation=organisation).values_list("user_id", "role")),
        Invitation.objects.filter(organisation=organisation).count(),
        OrganisationAPIKey.objects.filter(organisation=organisation).count(),
        sorted(PoolMembership.objects.filter(pool__organisation=organisation).values_list("pk", "status")),
    )


def _took_effect(action: str, world) -> bool:
    organisation = world["organisation"]
    target = Membership.objects.filter(pk=world["target"].pk).first()
    match action:
        case "invite_member":
            return Invitation.objects.filter(organisation=organisation, email="new@example.com").exists()
        case "change_member_role":
            return target.role == Role.FINANCE
        case "remove_member":
            return target is None
        case "promote_to_owner":
            return target.role == Role.OWNER
        case "demote_other_owner":
            return (
                Membership.objects.get(organisation=organisation, user=world["second_owner"]).role
                == Role.ADMIN
            )
        case "update_settings":
            organisation.refresh_from_db()
            return organisation.name == "Renamed"
        case "create_api_key":
            return OrganisationAPIKey.objects.filter(organisation=organisation).exists()
        case "invite_to_pool":
            return PoolMembership.objects.filter(pool__organisation=organisation, status="invited").exists()
        case "end_pool_membership":
            return PoolMembership.objects.get(pk=world["pool_membership"].pk).status == "ended"
    raise AssertionError(action)


CASES = [(action, role, bool(row[i])) for action, row in EXPECTED.items() for i, role in enumerate(ROLES)]


@pytest.mark.parametrize(("action", "role", "allowed"), CASES, ids=[f"{a}-{r}" for a, r, _ in CASES])
def test_role_action_matrix(world, action, role, allowed):
    actor = _actor(world, role)
    organisation = world["organisation"]
    if action in PERMISSION_ONLY:
        assert actor.has_perm(f"organisations.{action}", organisation) is allowed
        return
    before = _state(world)
    if allowed:
        _perform(action, actor, world)
        assert _took_effect(action, world)
        return
    # To an outsider, a pool membership answers as an unknown id (it names no organisation).
    refusal = NotFound if (action, role) == ("end_pool_membership", OUTSIDER) else PermissionDenied
    with pytest.raises(refusal) as denied:
        _perform(action, actor, world)
    if refusal is PermissionDenied:
        assert denied.value.code == ("not_a_member" if role == OUTSIDER else "role_forbids")
    else:
        assert denied.value.code == "pool_membership_not_found"
    assert _state(world) == before


def test_matrix_covers_every_role_permission():
    """A permission added to a role without a row here would go untested."""
    from marketplace.organisations.permissions import ALL_PERMISSIONS

    covered = set(PERMISSION_ONLY) | {"manage_members", "manage_owners", "manage_settings", "manage_api_keys"}
    covered |= {"manage_pool", "change_organisation"}
    assert covered == set(ALL_PERMISSIONS)


def test_a_suspended_owner_can_do_nothing(world):
    from marketplace.accounts.services.staff import user_suspend

    staff = make_user(staff=True)
    user_suspend(acting_user=staff, user_id=world["owner"].pk, reason="Chargeback fraud")
    world["owner"].refresh_from_db()
    with pytest.raises(PermissionDenied):
        _perform("update_settings", world["owner"], world)


def test_inviting_by_handle_needs_a_profile_the_inviter_can_see(world):
    from marketplace.accounts.models import FreelancerProfile
    from marketplace.core.exceptions import InvalidInput

    organisation, owner = world["organisation"], world["owner"]
    hidden = make_freelancer()
    FreelancerProfile.objects.filter(user=hidden).update(visibility=FreelancerProfile.Visibility.POOL)
    with pytest.raises(InvalidInput) as refused:
        pool_services.pool_invite(
            acting_user=owner, organisation=organisation, freelancer_handle=hidden.freelancer_profile.handle
        )
    assert refused.value.code == "freelancer_not_found"
    visible = make_freelancer()
    membership = pool_services.pool_invite(
        acting_user=owner, organisation=organisation, freelancer_handle=visible.freelancer_profile.handle
    )
    assert membership.freelancer == visible
