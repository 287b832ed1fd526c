"""The reviewer's decisions (services.review, services.membership_admin): the $950k scenario, credential
verification and rejection, approval refused while a rule fails, manual suspension and reinstatement."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import timezone

from marketplace.core.audit import audit_trail
from marketplace.core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied
from marketplace.core.models import StatusChange
from marketplace.organisations.models import Credential, PoolMembership, PoolTier, RuleApproval
from marketplace.organisations.services import membership_admin as admin
from marketplace.organisations.services import review
from marketplace.organisations.services.lifecycle import membership_reevaluate
from tests.factories import add_member, make_freelancer, make_organisation

from .members_support import located, meets_ne_cabling
from .pools_support import credential, join, make_pool, ne_cabling

pytestmark = pytest.mark.django_db
Status = PoolMembership.Status


def _manager(pool):
    return add_member(pool.organisation, "hiring_manager")


def _history(membership):
    rows = StatusChange.objects.filter(target_type="organisations.poolmembership", target_id=membership.pk)
    return [row.to_status for row in rows.order_by("pk")]


def test_scenario_3_expired_insurance_then_950k_certificate_approved_by_rule_reinstates():
    pool = ne_cabling()
    membership = join(pool, status=Status.ACTIVE)
    meets_ne_cabling(membership, expires_on=date(2027, 1, 10))
    manager = _manager(pool)
    with time_machine.travel(date(2027, 1, 10), tick=False):
        assert membership_reevaluate(membership.pk).status == Status.SUSPENDED
        # The worker uploads a new certificate showing $950k: awaiting review, and it fails the minimum.
        new = credential(
            membership.freelancer,
            pool.organisation,
            "insurance",
            coverage="general_liability",
            per_occurrence_minor=95_000_000,
            aggregate_minor=200_000_000,
            expires_on=date(2028, 1, 10),
            status=Credential.Status.PENDING,
        )
        membership_reevaluate(membership.pk)
        insurance = pool.requirements.get(kind="insurance")
        # Flagged: the in-date upload short of the minimum is what the rule reports, not the lapsed one.
        result = membership.results.get(requirement=insurance)
        assert result.status == "fail"
        assert result.evidence["credential"] == new.pk

        with pytest.raises(InvalidInput):
            review.rule_approve(
                acting_user=manager, membership_id=membership.pk, requirement_id=insurance.pk, reason=" "
            )
        approval = review.rule_approve(
            acting_user=manager,
            membership_id=membership.pk,
            requirement_id=insurance.pk,
            reason="Umbrella policy covers the $50k gap",
        )
    assert approval.credential_id == new.pk
    new.refresh_from_db()
    assert new.status == Credential.Status.VERIFIED
    membership.refresh_from_db()
    assert membership.status == Status.ACTIVE
    assert _history(membership)[-2:] == ["suspended", "active"]
    result = membership.results.get(requirement=insurance)
    assert (result.status, result.evidence["credential"]) == ("pass", new.pk)
    assert "$950,000 per occurrence" in result.reason
    actions = set(audit_trail(pool.organisation).values_list("action", flat=True))
    assert {"pool.rule.approve", "pool.credential.verify", "pool.member.active"} <= actions


def test_only_a_failed_rule_can_be_approved():
    pool = ne_cabling()
    membership = join(pool)
    meets_ne_cabling(membership)
    manager = _manager(pool)
    membership_reevaluate(membership.pk)
    tax_form = pool.requirements.get(kind="tax_form")
    with pytest.raises(Conflict) as passing:
        review.rule_approve(
            acting_user=manager, membership_id=membership.pk, requirement_id=tax_form.pk, reason="x"
        )
    assert passing.value.code == "rule_not_failing"
    with time_machine.travel(date(2031, 1, 1), tick=False):
        membership_reevaluate(membership.pk)
        insurance = pool.requirements.get(kind="insurance")
        assert membership.results.get(requirement=insurance).status == "expired"
        with pytest.raises(Conflict, match="nothing newer"):
            review.rule_approve(
                acting_user=manager, membership_id=membership.pk, requirement_id=insurance.pk, reason="x"
            )
    assert not RuleApproval.objects.exists()


def test_a_rule_with_nothing_uploaded_cannot_be_approved_away():
    pool = ne_cabling()
    membership = join(pool)
    membership_reevaluate(membership.pk)
    insurance = pool.requirements.get(kind="insurance")
    assert membership.results.get(requirement=insurance).status == "fail"
    with pytest.raises(Conflict) as refused:
        review.rule_approve(
            acting_user=_manager(pool), membership_id=membership.pk, requirement_id=insurance.pk, reason="x"
        )
    assert refused.value.code == "rule_has_no_evidence"
    assert not RuleApproval.objects.exists()


def test_verifying_supersedes_the_older_verified_credential_and_moves_the_member_to_review():
    pool = ne_cabling()
    membership = join(pool)
    meets_ne_cabling(membership)
    old = Credential.objects.get(worker=membership.freelancer, kind="tax_form")
    Credential.objects.filter(pk=old.pk).update(form="w9")
    pending = credential(membership.freelancer, pool.organisation, "tax_form", form="w9", status="pending")
    other_kind = Credential.objects.get(worker=membership.freelancer, kind="insurance")
    verified = review.credential_verify(
        acting_user=_manager(pool), credential_id=pending.pk, reason="Looks right"
    )
    assert (verified.status, verified.review_reason) == ("verified", "Looks right")
    old.refresh_from_db()
    other_kind.refresh_from_db()
    assert old.status == "superseded"
    assert other_kind.status == "verified"
    assert PoolMembership.objects.get(pk=membership.pk).status == Status.AWAITING_REVIEW


def test_rejecting_needs_a_reason_and_sends_the_member_back():
    pool = ne_cabling()
    membership = join(pool)
    meets_ne_cabling(membership, status="pending")
    manager = _manager(pool)
    assert membership_reevaluate(membership.pk).status == Status.AWAITING_REVIEW
    tax = Credential.objects.get(worker=membership.freelancer, kind="tax_form")
    with pytest.raises(InvalidInput):
        review.credential_reject(acting_user=manager, credential_id=tax.pk, reason="")
    review.credential_reject(acting_user=manager, credential_id=tax.pk, reason="Unsigned form")
    assert PoolMembership.objects.get(pk=membership.pk).status == Status.AWAITING_REQUIREMENTS


def test_credentials_answer_404_outside_their_organisation_and_403_to_other_roles():
    pool = ne_cabling()
    membership = join(pool)
    meets_ne_cabling(membership, status="pending")
    tax = Credential.objects.get(worker=membership.freelancer, kind="tax_form")
    other_manager = add_member(make_organisation(), "owner")
    for outsider in (other_manager, make_freelancer(), membership.freelancer):
        with pytest.raises(NotFound):
            review.credential_verify(acting_user=outsider, credential_id=tax.pk)
    for role in ("finance", "viewer"):
        with pytest.raises(PermissionDenied):
            review.credential_verify(acting_user=add_member(pool.organisation, role), credential_id=tax.pk)
    assert review.credential_verify(acting_user=_manager(pool), credential_id=tax.pk).status == "verified"


def test_approve_refused_while_a_rule_fails_then_granted_once_everything_passes():
    pool = ne_cabling()
    membership = join(pool)
    insurance = meets_ne_cabling(membership, status="pending")
    manager = _manager(pool)
    assert membership_reevaluate(membership.pk).status == Status.AWAITING_REVIEW
    # The worker moved away: travel distance fails at approval time.
    located(membership.freelancer, "New York City")
    with pytest.raises(Conflict) as refused:
        admin.membership_approve(acting_user=manager, membership_id=membership.pk)
    assert refused.value.code == "rules_not_met"
    assert "Travel distance" in refused.value.message
    insurance.refresh_from_db()
    assert insurance.status == "pending"  # nothing changed
    assert PoolMembership.objects.get(pk=membership.pk).status == Status.AWAITING_REVIEW

    located(membership.freelancer, "Cambridge")
    approved = admin.membership_approve(
        acting_user=manager, membership_id=membership.pk, reason="All checked"
    )
    assert approved.status == Status.ACTIVE
    insurance.refresh_from_db()
    assert insurance.status == "verified"
    assert _history(membership)[-1] == "active"


def test_send_back_needs_a_reason_and_works_only_from_review():
    pool = ne_cabling()
    membership = join(pool)
    meets_ne_cabling(membership, status="pending")
    membership_reevaluate(membership.pk)
    manager = _manager(pool)
    with pytest.raises(InvalidInput):
        admin.membership_send_back(acting_user=manager, membership_id=membership.pk, reason="")
    moved = admin.membership_send_back(acting_user=manager, membership_id=membership.pk, reason="Blurry scan")
    assert moved.status == Status.AWAITING_REQUIREMENTS
    with pytest.raises(Conflict):
        admin.membership_send_back(acting_user=manager, membership_id=membership.pk, reason="Again")


def test_a_manual_suspension_is_not_lifted_by_the_rules_and_reinstating_checks_them():
    pool = ne_cabling()
    membership = join(pool, status=Status.ACTIVE)
    meets_ne_cabling(membership)
    manager = _manager(pool)
    suspended = admin.membership_suspend(
        acting_user=manager, membership_id=membership.pk, reason="No-show twice"
    )
    assert (suspended.status, suspended.suspended_by_rules) == (Status.SUSPENDED, False)
    assert membership_reevaluate(membership.pk).status == Status.SUSPENDED
    located(membership.freelancer, "New York City")
    with pytest.raises(Conflict) as refused:
        admin.membership_reinstate(acting_user=manager, membership_id=membership.pk)
    assert refused.value.code == "rules_not_met"
    located(membership.freelancer, "Cambridge")
    assert (
        admin.membership_reinstate(acting_user=manager, membership_id=membership.pk).status == Status.ACTIVE
    )


def test_reinstating_with_a_granted_override_covering_the_failing_rules():
    from marketplace.organisations.models import PoolOverride

    pool = ne_cabling()
    membership = join(pool, status=Status.SUSPENDED)
    meets_ne_cabling(membership)
    located(membership.freelancer, "New York City")
    distance = pool.requirements.get(kind="travel_distance")
    PoolOverride.objects.create(
        membership=membership,
        status=PoolOverride.Status.GRANTED,
        expires_at=timezone.now() + timedelta(days=10),
        waived=[distance.pk],
    )
    assert (
        admin.membership_reinstate(acting_user=_manager(pool), membership_id=membership.pk).status
        == Status.ACTIVE
    )


def test_remove_and_tier():
    pool = ne_cabling()
    membership = join(pool, status=Status.ACTIVE)
    manager = _manager(pool)
    preferred = PoolTier.objects.create(pool=pool, name="Preferred", priority=1)
    other_tier = PoolTier.objects.create(pool=make_pool(pool.organisation, name="Other"), name="Gold")
    assert (
        admin.membership_set_tier(acting_user=manager, membership_id=membership.pk, tier_id=preferred.pk).tier
        == preferred
    )
    with pytest.raises(InvalidInput):
        admin.membership_set_tier(acting_user=manager, membership_id=membership.pk, tier_id=other_tier.pk)
    with pytest.raises(InvalidInput):
        admin.membership_remove(acting_user=manager, membership_id=membership.pk, reason="")
    removed = admin.membership_remove(
        acting_user=manager, membership_id=membership.pk, reason="Left the area"
    )
    assert (removed.status, removed.end_reason) == (Status.ENDED, "Left the area")


def test_adding_a_worker_by_handle():
    pool = ne_cabling()
    manager = _manager(pool)
    worker = make_freelancer(full_name="Ada Added")
    handle = worker.freelancer_profile.handle
    added = admin.member_add(acting_user=manager, pool=pool, freelancer_handle=handle)
    assert (added.status, added.joined_via) == (Status.AWAITING_REQUIREMENTS, "added")
    assert added.results.count() == 5
    with pytest.raises(Conflict):
        admin.member_add(acting_user=manager, pool=pool, freelancer_handle=handle)
    bare = make_pool(pool.organisation, name="No rules")
    assert admin.member_add(acting_user=manager, pool=bare, freelancer_handle=handle).status == Status.ACTIVE
    with pytest.raises(InvalidInput):
        admin.member_add(acting_user=manager, pool=bare, freelancer_handle="no-such-handle")
    with pytest.raises(PermissionDenied):
        admin.member_add(
            acting_user=add_member(pool.organisation, "viewer"), pool=bare, freelancer_handle=handle
        )
