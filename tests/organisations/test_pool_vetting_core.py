"""The evidence gathered for the evaluator, the stored results, and the lifecycle's automatic moves
and overrides (services.evaluation, services.lifecycle, services.overrides)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.accounts.models import FreelancerReputation
from marketplace.contracts.services import contract_cancel, contract_complete
from marketplace.core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied
from marketplace.core.models import StatusChange
from marketplace.organisations.models import (
    AgreementSignature,
    Credential,
    PoolMembership,
    PoolOverride,
    RequirementResult,
    RuleApproval,
    TalentPool,
)
from marketplace.organisations.requirements.evidence import evidence_for
from marketplace.organisations.services.evaluation import membership_evaluate, memberships_evaluate
from marketplace.organisations.services.lifecycle import membership_reevaluate
from marketplace.organisations.services.overrides import (
    override_deny,
    override_expire,
    override_grant,
    override_request,
)
from tests.factories import add_member, make_contract, make_freelancer, make_organisation

from .pools_support import add_requirement, city, credential, join, make_pool, ne_cabling

pytestmark = pytest.mark.django_db
Status = PoolMembership.Status
TODAY = date(2026, 12, 7)


def _located(worker, name="Cambridge"):
    profile = worker.freelancer_profile
    profile.city = city(name)
    profile.save(update_fields=["city"])
    return worker


def _meets_ne_cabling(membership, *, insurance_minor=100_000_000, expires_on=date(2027, 6, 1)):
    """Everything scenario 1's pool asks, verified."""
    worker, organisation = membership.freelancer, membership.pool.organisation
    _located(worker)
    credential(worker, organisation, "tax_form", form="w9")
    credential(
        worker,
        organisation,
        "insurance",
        coverage="general_liability",
        per_occurrence_minor=insurance_minor,
        aggregate_minor=200_000_000,
        expires_on=expires_on,
    )
    credential(worker, organisation, "background_check", issued_on=date(2026, 6, 1))
    agreement = membership.pool.requirements.get(kind="agreement")
    AgreementSignature.objects.create(
        worker=worker, requirement=agreement, version=3, title="t", text="t", signed_name="W"
    )


def test_evidence_reads_every_source_for_the_organisation_only():
    pool = make_pool()
    other = make_organisation()
    worker = _located(make_freelancer(), "Providence")
    mine = credential(worker, pool.organisation, "tax_form", form="w9")
    credential(worker, other, "tax_form", form="w8ben")  # another organisation's: not seen
    agreement = add_requirement(pool, "agreement", title="NDA", version=2, text="Keep it secret.")
    AgreementSignature.objects.create(
        worker=worker, requirement=agreement, version=1, title="NDA", text="x", signed_name="W"
    )
    FreelancerReputation.objects.create(
        user=worker, rating_avg="4.60", rating_count=5, computed_at=timezone.now()
    )
    membership = join(pool, worker)
    RuleApproval.objects.create(membership=membership, requirement=agreement, reason="ok")
    side = make_pool(pool.organisation, name="Other pool")
    join(side, worker, Status.ACTIVE)

    evidence = evidence_for(pool.organisation_id, [worker.pk], [agreement], timezone.localdate())[worker.pk]

    assert [c.id for c in evidence.credentials] == [mine.pk]
    assert evidence.signed_versions == {agreement.pk: frozenset({1})}
    assert evidence.country_code == "US"
    assert round(evidence.latitude) == 42
    assert str(evidence.rating_avg) == "4.60"
    assert evidence.active_pool_ids == {side.pk}
    assert evidence.approvals == {agreement.pk: None}


def test_track_record_counts_delivered_and_the_workers_own_cancellations():
    worker = make_freelancer()
    completed = make_contract(freelancer=worker)
    contract_complete(acting_user=completed.client, contract=completed)
    undelivered = make_contract(freelancer=worker)
    contract_cancel(
        acting_user=undelivered.client,
        contract=undelivered,
        reason="Nothing came",
        cancel_reason="not_delivered",
    )
    quit_ = make_contract(freelancer=worker)
    contract_cancel(acting_user=worker, contract=quit_, reason="Can't do it", cancel_reason="plans_changed")
    # The worker calls the client unresponsive: their cancellation, not a failure to deliver.
    gone = make_contract(freelancer=worker)
    contract_cancel(acting_user=worker, contract=gone, reason="No answer", cancel_reason="unresponsive")

    evidence = evidence_for(make_organisation().pk, [worker.pk], [], timezone.localdate())[worker.pk]

    assert (evidence.ended_contracts, evidence.delivered_contracts) == (4, 3)
    assert len(evidence.cancellation_days) == 2


@pytest.mark.parametrize("workers", [1, 50])
def test_evaluating_a_pool_takes_the_same_queries_for_1_and_50_members(workers):
    pool = ne_cabling()
    memberships = [join(pool, _located(make_freelancer())) for _ in range(workers)]
    for membership in memberships:
        credential(membership.freelancer, pool.organisation, "tax_form", form="w9")

    with CaptureQueriesContext(connection) as queries:
        verdicts = memberships_evaluate(memberships)
    assert len(queries) == 12  # the same at 1 and at 50
    assert RequirementResult.objects.filter(membership__pool=pool).count() == 5 * workers
    assert all(len(v.failing) == 3 for v in verdicts.values())  # agreement, insurance, check


def test_results_are_stored_with_their_reason_and_evidence():
    pool = ne_cabling()
    membership = join(pool, _located(make_freelancer(), "New York City"))
    _meets_ne_cabling(membership, insurance_minor=95_000_000)
    _located(membership.freelancer, "New York City")

    membership_evaluate(membership)

    results = {r.requirement.kind: r for r in membership.results.select_related("requirement")}
    assert {k: r.status for k, r in results.items()} == {
        "tax_form": "pass",
        "agreement": "pass",
        "insurance": "fail",
        "background_check": "pass",
        "travel_distance": "fail",
    }
    assert "$950,000 per occurrence" in results["insurance"].reason
    assert results["insurance"].evidence["per_occurrence_minor"] == 95_000_000
    assert results["travel_distance"].evidence["miles"] > 150
    assert results["background_check"].lapses_on == date(2027, 6, 2)


def test_a_member_meeting_everything_waits_for_review_then_falls_back_when_a_rule_fails():
    pool = ne_cabling()
    membership = join(pool)
    _meets_ne_cabling(membership)

    assert membership_reevaluate(membership.pk).status == Status.AWAITING_REVIEW
    Credential.objects.filter(kind="tax_form").update(status=Credential.Status.REJECTED)
    assert membership_reevaluate(membership.pk).status == Status.AWAITING_REQUIREMENTS
    history = StatusChange.objects.filter(target_type="organisations.poolmembership", target_id=membership.pk)
    assert [h.to_status for h in history.order_by("pk")] == ["awaiting_review", "awaiting_requirements"]
    assert "W-9" in history.order_by("pk").last().reason


def test_pending_credentials_still_go_to_review():
    pool = ne_cabling()
    membership = join(pool)
    _meets_ne_cabling(membership)
    Credential.objects.filter(kind="insurance").update(status=Credential.Status.PENDING)
    assert membership_reevaluate(membership.pk).status == Status.AWAITING_REVIEW


@pytest.mark.parametrize(
    ("on_expiry", "status", "flagged"),
    [("suspend", Status.SUSPENDED, False), ("remove", Status.ENDED, False), ("flag", Status.ACTIVE, True)],
)
def test_an_active_member_whose_insurance_expires_gets_the_pools_expiry_action(on_expiry, status, flagged):
    pool = ne_cabling()
    TalentPool.objects.filter(pk=pool.pk).update(on_expiry=on_expiry)
    membership = join(pool, status=Status.ACTIVE)
    _meets_ne_cabling(membership, expires_on=date(2027, 1, 10))
    with time_machine.travel(date(2027, 1, 9), tick=False):
        assert membership_reevaluate(membership.pk).status == Status.ACTIVE
    with time_machine.travel(date(2027, 1, 10), tick=False):
        moved = membership_reevaluate(membership.pk)
    assert moved.status == status
    assert (moved.flagged_at is not None) == flagged
    if status == Status.SUSPENDED:
        assert moved.suspended_by_rules


def test_auto_enforce_off_leaves_an_expired_member_active():
    pool = ne_cabling()
    TalentPool.objects.filter(pk=pool.pk).update(auto_enforce=False)
    membership = join(pool, status=Status.ACTIVE)
    _meets_ne_cabling(membership, expires_on=date(2027, 1, 10))
    with time_machine.travel(date(2027, 2, 1), tick=False):
        assert membership_reevaluate(membership.pk).status == Status.ACTIVE
    assert membership.results.get(requirement__kind="insurance").status == "expired"


def test_a_member_the_rules_suspended_is_reinstated_once_every_rule_passes_but_not_one_a_manager_suspended():
    pool = ne_cabling()
    by_rules = join(pool, status=Status.SUSPENDED)
    PoolMembership.objects.filter(pk=by_rules.pk).update(suspended_by_rules=True)
    by_hand = join(pool, status=Status.SUSPENDED)
    for membership in (by_rules, by_hand):
        _meets_ne_cabling(membership)
    assert membership_reevaluate(by_rules.pk).status == Status.ACTIVE
    assert membership_reevaluate(by_hand.pk).status == Status.SUSPENDED


def test_a_reviewers_approval_of_one_failed_rule_holds_for_that_credential_only():
    pool = ne_cabling()
    membership = join(pool, status=Status.SUSPENDED)
    PoolMembership.objects.filter(pk=membership.pk).update(suspended_by_rules=True)
    _meets_ne_cabling(membership, insurance_minor=95_000_000)
    insurance = Credential.objects.get(kind="insurance", worker=membership.freelancer)
    assert membership_reevaluate(membership.pk).status == Status.SUSPENDED
    RuleApproval.objects.create(
        membership=membership,
        requirement=pool.requirements.get(kind="insurance"),
        credential=insurance,
        reason="Umbrella policy covers the gap",
    )
    assert membership_reevaluate(membership.pk).status == Status.ACTIVE
    result = membership.results.get(requirement__kind="insurance")
    assert result.status == "pass"
    assert result.evidence["approved"] is True


# Overrides -----------------------------------------------------------------------------------------


def _reviewer(pool):
    return add_member(pool.organisation, "hiring_manager")


def test_a_pool_override_lets_a_member_in_for_its_days_then_the_sweep_suspends():
    pool = ne_cabling()
    add_requirement(pool, "drug_test")
    membership = join(pool)
    _meets_ne_cabling(membership)
    membership_reevaluate(membership.pk)
    worker, manager = membership.freelancer, _reviewer(pool)

    override = override_request(
        acting_user=worker, membership_id=membership.pk, reason="Test booked next week"
    )
    assert PoolMembership.objects.get(pk=membership.pk).status == Status.OVERRIDE_REQUESTED
    granted = override_grant(
        acting_user=manager,
        membership_id=membership.pk,
        override_id=override.pk,
        days=30,
        reason="Known crew",
    )
    membership.refresh_from_db()
    assert membership.status == Status.ACTIVE
    assert granted.waived == [pool.requirements.get(kind="drug_test").pk]
    # The override covers the failing drug test: a re-evaluation keeps the member active.
    assert membership_reevaluate(membership.pk).status == Status.ACTIVE

    with time_machine.travel(timezone.now() + timedelta(days=29)):
        assert override_expire(override_id=override.pk) is None
    with time_machine.travel(timezone.now() + timedelta(days=31)):
        assert override_expire(override_id=override.pk).status == PoolOverride.Status.EXPIRED
    membership.refresh_from_db()
    assert membership.status == Status.SUSPENDED
    assert membership.suspended_by_rules
    assert "drug test" in StatusChange.objects.filter(target_id=membership.pk).last().reason.lower()


def test_override_rules():
    pool = ne_cabling()
    membership = join(pool)
    worker, manager = membership.freelancer, _reviewer(pool)
    viewer = add_member(pool.organisation, "viewer")
    with pytest.raises(InvalidInput):
        override_request(acting_user=worker, membership_id=membership.pk, reason=" ")
    with pytest.raises(NotFound):
        override_request(acting_user=make_freelancer(), membership_id=membership.pk, reason="Me too")
    override = override_request(acting_user=worker, membership_id=membership.pk, reason="Please")
    with pytest.raises(Conflict):
        override_request(acting_user=worker, membership_id=membership.pk, reason="Again")
    with pytest.raises(PermissionDenied):
        override_grant(
            acting_user=viewer, membership_id=membership.pk, override_id=override.pk, days=5, reason="x"
        )
    with pytest.raises(InvalidInput):
        override_grant(
            acting_user=manager, membership_id=membership.pk, override_id=override.pk, days=91, reason="x"
        )
    denied = override_deny(
        acting_user=manager, membership_id=membership.pk, override_id=override.pk, reason="No"
    )
    assert denied.status == PoolOverride.Status.DENIED
    assert PoolMembership.objects.get(pk=membership.pk).status == Status.AWAITING_REQUIREMENTS
