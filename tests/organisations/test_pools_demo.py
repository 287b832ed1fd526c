"""The vetted pools of the demo (``marketplace.demo.pools``): made through the services, with members
in every state of the lifecycle across the two pools, credentials in every review state, a rule
approval, an override, reminders; a second run changes nothing."""

import pytest

from marketplace.demo import accounts as demo
from marketplace.demo import pools as pools_demo
from marketplace.organisations.models import (
    Credential,
    PoolMembership,
    PoolOverride,
    RequirementResult,
    RuleApproval,
)

pytestmark = pytest.mark.django_db(transaction=True)
Status = PoolMembership.Status


def _northwind() -> None:
    for step in demo.seed_steps():
        if step.label in ("staff", "northwind members", demo.ORGANISATIONS[0].name):
            step.run()


def test_the_demo_pools_show_every_state():
    _northwind()
    assert pools_demo.pools_seed() is True
    members = PoolMembership.objects.filter(pool__name__in=[pools_demo.NE_CABLING, pools_demo.FIELD_TECHS])
    by_name = {
        (m.pool.name, m.freelancer.full_name if m.freelancer else m.email): m
        for m in members.select_related("pool", "freelancer")
    }
    ne, ft = pools_demo.NE_CABLING, pools_demo.FIELD_TECHS
    expected = {
        (ne, pools_demo.tech_email(1)): Status.INVITED,
        (ne, "Priya Nair"): Status.DECLINED,
        (ne, "Marcus Bell"): Status.AWAITING_REQUIREMENTS,
        (ne, "Elena Costa"): Status.AWAITING_REVIEW,
        (ne, "Tom Walsh"): Status.ACTIVE,
        (ne, "Aisha Khan"): Status.ACTIVE,
        (ne, "Dan Murphy"): Status.SUSPENDED,
        (ne, "Grace Lee"): Status.ACTIVE,
        (ne, "Kevin O'Brien"): Status.ENDED,
        (ft, "Nina Rossi"): Status.ACTIVE,
        (ft, "Luis Ortega"): Status.ACTIVE,
        (ft, "Sam Patel"): Status.OVERRIDE_REQUESTED,
        (ft, "Chris Young"): Status.AWAITING_REQUIREMENTS,
    }
    assert {key: m.status for key, m in by_name.items()} == expected
    assert set(Status.values) <= {m.status for m in members}
    assert by_name[(ft, "Luis Ortega")].flagged_at is not None
    assert by_name[(ft, "Nina Rossi")].flagged_at is None
    assert by_name[(ne, "Dan Murphy")].suspended_by_rules
    marcus = by_name[(ne, "Marcus Bell")]
    red = set(marcus.results.exclude(status="pass").values_list("requirement__kind", flat=True))
    assert {"insurance", "background_check", "on_time_rate"} <= red
    assert {"pending", "verified", "rejected", "superseded"} <= set(
        Credential.objects.filter(organisation=marcus.pool.organisation).values_list("status", flat=True)
    )
    grace = by_name[(ne, "Grace Lee")]
    approval = RuleApproval.objects.get(membership=grace, requirement__kind="insurance")
    assert approval.credential.per_occurrence_minor == 95_000_000
    aisha = by_name[(ne, "Aisha Khan")]
    override = PoolOverride.objects.get(membership=aisha, status="granted")
    assert override.waived == [aisha.pool.requirements.get(kind="background_check").pk]
    assert PoolOverride.objects.filter(membership=by_name[(ft, "Sam Patel")], status="requested").exists()
    tom = by_name[(ne, "Tom Walsh")]
    assert RequirementResult.objects.get(membership=tom, requirement__kind="insurance").status == "pass"
    assert tom.tier.name == "Preferred"

    counts = pools_demo.demo_counts()
    assert pools_demo.pools_seed() is False
    assert pools_demo.demo_counts() == counts
