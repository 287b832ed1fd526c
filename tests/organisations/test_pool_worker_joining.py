"""The worker's side of joining pools: which pools a worker sees (per visibility, each with a
positive control), applying per join policy, and accepting an invitation with and without
requirements (services.joining, services.pools, selectors.pools_worker)."""

import pytest
from allauth.account.models import EmailAddress

from marketplace.core.exceptions import Conflict, NotFound, PermissionDenied
from marketplace.core.models import AuditEntry, StatusChange
from marketplace.organisations.models import PoolMembership, RequirementResult, Role, TalentPool
from marketplace.organisations.selectors.pools_worker import pool_for_worker, pools_visible_to
from marketplace.organisations.services.joining import pool_apply
from marketplace.organisations.services.pools import (
    pool_invite,
    pool_membership_accept,
    pool_membership_end,
)
from tests.factories import add_member, make_client, make_freelancer, make_organisation, make_user

from .pools_support import add_requirement, join, make_pool, ne_cabling

pytestmark = pytest.mark.django_db
Status = PoolMembership.Status
V = TalentPool.Visibility
J = TalentPool.JoinPolicy


def _invite(pool, worker) -> PoolMembership:
    """An invitation to ``pool`` by its organisation's owner."""
    owner = pool.organisation.memberships.get(role=Role.OWNER).user
    return pool_invite(
        acting_user=owner, organisation=pool.organisation, freelancer_email=worker.email, pool_id=pool.pk
    )


def _visible(user) -> set[int]:
    return set(pools_visible_to(user).values_list("pk", flat=True))


def test_public_pools_are_seen_by_any_worker_not_by_clients_or_suspended_workers():
    public = make_pool(visibility=V.PUBLIC, join_policy=J.APPLY)
    worker = make_freelancer()
    assert public.pk in _visible(worker)  # positive control
    assert public.pk not in _visible(make_client())
    suspended = make_freelancer()
    suspended.suspended_at = suspended.date_joined
    suspended.save()
    assert public.pk not in _visible(suspended)


def test_invitee_pools_are_seen_only_by_workers_ever_invited():
    pool = make_pool(visibility=V.INVITEES)
    invited, declined, stranger = make_freelancer(), make_freelancer(), make_freelancer()
    _invite(pool, invited)
    membership = _invite(pool, declined)
    membership.status = Status.DECLINED
    membership.save()
    assert pool.pk in _visible(invited)  # a live invitation
    assert pool.pk in _visible(declined)  # a past one
    assert pool.pk not in _visible(stranger)
    with pytest.raises(NotFound):
        pool_for_worker(stranger, pool.pk)


def test_organisation_pools_are_seen_by_its_members_only():
    pool = make_pool(visibility=V.ORGANISATION, join_policy=J.APPLY)
    member = add_member(pool.organisation, Role.VIEWER, make_user())
    member.is_freelancer = True
    member.save()
    outsider = make_freelancer()
    assert pool.pk in _visible(member)
    assert pool.pk not in _visible(outsider)
    with pytest.raises(NotFound):
        pool_apply(acting_user=outsider, pool_id=pool.pk)
    # a live member of the pool sees it too (the default pool's invited workers)
    join(pool, outsider)
    assert pool.pk in _visible(outsider)


def test_apply_to_a_pool_with_requirements_awaits_them_and_evaluates():
    pool = ne_cabling()
    pool.visibility, pool.join_policy = V.PUBLIC, J.APPLY
    pool.save()
    worker = make_freelancer()
    membership = pool_apply(acting_user=worker, pool_id=pool.pk, message="I cable in Boston.")
    assert membership.status == Status.AWAITING_REQUIREMENTS
    assert membership.joined_via == PoolMembership.JoinedVia.APPLICATION
    assert membership.message == "I cable in Boston."
    assert RequirementResult.objects.filter(membership=membership).count() == 5
    assert AuditEntry.objects.filter(action="pool.apply").count() == 1
    with pytest.raises(Conflict) as again:
        pool_apply(acting_user=worker, pool_id=pool.pk)
    assert again.value.code == "already_in_pool"


def test_apply_to_a_pool_without_requirements_goes_to_review():
    pool = make_pool(visibility=V.PUBLIC, join_policy=J.APPLY)
    membership = pool_apply(acting_user=make_freelancer(), pool_id=pool.pk)
    assert membership.status == Status.AWAITING_REVIEW


@pytest.mark.parametrize(
    ("policy", "code"), [(J.INVITATION, "pool_invitation_only"), (J.ADDED, "pool_added_by_organisation")]
)
def test_pools_not_open_to_applications_refuse_with_409(policy, code):
    pool = make_pool(visibility=V.PUBLIC, join_policy=policy)
    with pytest.raises(Conflict) as refused:
        pool_apply(acting_user=make_freelancer(), pool_id=pool.pk)
    assert refused.value.code == code
    assert not PoolMembership.objects.filter(pool=pool).exists()


def test_applying_needs_a_freelancer_with_a_verified_address():
    pool = make_pool(visibility=V.PUBLIC, join_policy=J.APPLY)
    with pytest.raises(PermissionDenied) as client:
        pool_apply(acting_user=make_client(), pool_id=pool.pk)
    assert client.value.code == "not_a_freelancer"
    unverified = make_freelancer()
    EmailAddress.objects.filter(user=unverified).update(verified=False)
    with pytest.raises(PermissionDenied) as refused:
        pool_apply(acting_user=unverified, pool_id=pool.pk)
    assert refused.value.code == "email_not_verified"
    assert pool_apply(acting_user=make_freelancer(), pool_id=pool.pk).pk  # positive control


def test_applying_again_after_leaving_is_allowed():
    pool = make_pool(visibility=V.PUBLIC, join_policy=J.APPLY)
    worker = make_freelancer()
    first = pool_apply(acting_user=worker, pool_id=pool.pk)
    pool_membership_end(acting_user=worker, membership_id=first.pk)
    assert pool_apply(acting_user=worker, pool_id=pool.pk).pk != first.pk


def test_accepting_an_invitation_to_a_pool_with_requirements_awaits_them():
    pool = ne_cabling()
    worker = make_freelancer()
    membership = pool_membership_accept(acting_user=worker, membership_id=_invite(pool, worker).pk)
    assert membership.status == Status.AWAITING_REQUIREMENTS
    assert membership.results.count() == 5
    history = StatusChange.objects.filter(target_type="organisations.poolmembership", target_id=membership.pk)
    assert list(history.values_list("to_status", "reason")) == [
        (Status.AWAITING_REQUIREMENTS, "Accepted the invitation.")
    ]


def test_accepting_an_invitation_to_a_pool_without_requirements_is_active_as_before():
    organisation = make_organisation()
    worker = make_freelancer()
    owner = organisation.memberships.get(role=Role.OWNER).user
    invited = pool_invite(acting_user=owner, organisation=organisation, freelancer_email=worker.email)
    assert pool_membership_accept(acting_user=worker, membership_id=invited.pk).status == Status.ACTIVE


def test_accepting_into_a_pool_whose_rules_all_pass_goes_to_review():
    pool = make_pool()
    add_requirement(pool, "max_cancellations", max=3, within_days=365)
    worker = make_freelancer()
    membership = pool_membership_accept(acting_user=worker, membership_id=_invite(pool, worker).pk)
    assert membership.status == Status.AWAITING_REVIEW
