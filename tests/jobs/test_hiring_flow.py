"""The hiring path through the services, and the rules each step enforces."""

import pytest

from marketplace.contracts.models import Contract
from marketplace.contracts.services import offer_accept
from marketplace.core.exceptions import Conflict, InvalidInput, PermissionDenied
from marketplace.core.models import StatusChange
from marketplace.jobs.models import Job, Offer, Proposal
from marketplace.jobs.services import offer_breakdown, offer_decline, proposal_shortlist, proposal_withdraw
from tests.factories import (
    make_client,
    make_freelancer,
    make_job,
    make_offer,
    make_organisation,
    make_proposal,
)

pytestmark = pytest.mark.django_db


def test_proposal_to_contract_snapshots_terms_and_fees_and_closes_a_single_hire_job(settings):
    settings.PLATFORM_CLIENT_FEE_BP = 500
    settings.PLATFORM_FREELANCER_FEE_BP = 1000
    job = make_job()
    proposal = make_proposal(
        job,
        amount_minor=100_001,
        milestones=[{"title": "Design", "amount_minor": 40_001}, {"title": "Build", "amount_minor": 60_000}],
    )
    proposal_shortlist(acting_user=job.client, proposal=proposal)
    offer = make_offer(proposal)
    whole, parts = offer_breakdown(offer)
    assert (whole.client_fee_minor, whole.freelancer_fee_minor) == (
        5_000,
        10_000,
    )  # 5000.05 → 5000; 10000.1 → 10000
    assert sum(p.client_fee_minor for p in parts) == whole.client_fee_minor
    assert sum(p.freelancer_fee_minor for p in parts) == whole.freelancer_fee_minor

    settings.PLATFORM_CLIENT_FEE_BP = 900  # a later change of the default does not touch the sent offer
    contract = offer_accept(acting_user=proposal.freelancer, offer=offer)

    assert contract.status == Contract.Status.ACTIVE
    assert (contract.client_fee_bp, contract.freelancer_fee_bp) == (500, 1000)
    assert [(m.position, m.title, m.amount_minor) for m in contract.milestones.all()] == [
        (1, "Design", 40_001),
        (2, "Build", 60_000),
    ]
    assert Job.objects.get(pk=job.pk).status == Job.Status.CLOSED
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.HIRED
    moves = set(StatusChange.objects.values_list("target_type", "to_status"))
    assert {
        ("jobs.job", "open"),
        ("jobs.proposal", "offered"),
        ("jobs.offer", "accepted"),
        ("jobs.job", "closed"),
    } <= moves


def test_organisation_fee_override_is_snapshotted():
    organisation = make_organisation()
    organisation.client_fee_bp, organisation.freelancer_fee_bp = 250, 700
    organisation.save()
    job = make_job(organisation=organisation)
    offer = make_offer(make_proposal(job))
    assert (offer.client_fee_bp, offer.freelancer_fee_bp) == (250, 700)


def test_illegal_moves_are_refused_and_change_nothing():
    job = make_job()
    proposal = make_proposal(job)
    proposal_withdraw(acting_user=proposal.freelancer, proposal=proposal)
    with pytest.raises(Conflict) as refused:
        make_offer(proposal)
    assert refused.value.code == "illegal_transition"
    assert not Offer.objects.exists()

    stranger = make_client()
    other = make_proposal(job)
    with pytest.raises(PermissionDenied) as denied:
        proposal_shortlist(acting_user=stranger, proposal=other)
    assert denied.value.code == "not_job_owner"
    assert Proposal.objects.get(pk=other.pk).status == Proposal.Status.SUBMITTED


def test_declined_offer_returns_the_proposal_to_the_shortlist_and_a_new_offer_can_follow():
    proposal = make_proposal(make_job())
    first = make_offer(proposal)
    offer_decline(acting_user=proposal.freelancer, offer=first, reason="Too soon")
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.SHORTLISTED
    second = make_offer(
        proposal, amount_minor=150_000, milestones=[{"title": "All", "amount_minor": 150_000}]
    )
    with pytest.raises(Conflict):
        offer_accept(acting_user=proposal.freelancer, offer=first)
    contract = offer_accept(acting_user=proposal.freelancer, offer=second)
    assert contract.amount_minor == 150_000


def test_milestones_must_add_up():
    job = make_job()
    with pytest.raises(InvalidInput) as refused:
        make_proposal(job, amount_minor=1_000, milestones=[{"title": "A", "amount_minor": 600}])
    assert refused.value.code == "milestones_do_not_add_up"
    assert not Proposal.objects.exists()


def test_someone_else_cannot_accept_the_offer():
    offer = make_offer(make_proposal(make_job()))
    with pytest.raises(PermissionDenied):
        offer_accept(acting_user=make_freelancer(), offer=offer)
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.SENT


def test_a_milestone_is_at_least_one_currency_unit():
    """Card processors refuse tiny charges: a milestone below 1.00 is refused when it is proposed."""
    job = make_job()
    with pytest.raises(InvalidInput) as refused:
        make_proposal(
            job,
            amount_minor=1_099,
            milestones=[{"title": "A", "amount_minor": 1_000}, {"title": "B", "amount_minor": 99}],
        )
    assert refused.value.fields == {
        "milestones.1.amount_minor": ["Each milestone is at least 1.00 (100 minor units)."]
    }
    assert make_proposal(
        job,
        amount_minor=1_100,
        milestones=[{"title": "A", "amount_minor": 1_000}, {"title": "B", "amount_minor": 100}],
    )


def test_a_milestone_must_be_one_card_payment_with_its_client_fee_when_it_is_proposed():
    """Stripe's largest charge is 99,999,999 minor units (USD 999,999.99): a milestone whose amount +
    client fee (5 %) is more is refused when it is proposed or offered, not when the client pays."""
    job = make_job()
    with pytest.raises(InvalidInput) as refused:
        make_proposal(job, amount_minor=95_238_095)  # + 4,761,905 fee = 100,000,000
    assert refused.value.code == "charge_too_large"
    assert "999,999.99" in refused.value.fields["milestones.0.amount_minor"][0]
    proposal = make_proposal(job, amount_minor=95_238_094)  # + 4,761,905 = 99,999,999
    with pytest.raises(InvalidInput) as offered:
        make_offer(proposal, amount_minor=100_000_000)
    assert offered.value.code == "charge_too_large"
    assert make_offer(proposal).amount_minor == 95_238_094


def test_a_milestone_is_at_least_the_processors_smallest_charge_in_its_currency(settings):
    settings.CURRENCIES = [*settings.CURRENCIES, "SEK"]  # Stripe: 3.00 SEK at least
    job = make_job(currency="SEK")
    with pytest.raises(InvalidInput) as refused:
        make_proposal(
            job,
            amount_minor=10_200,
            milestones=[{"title": "A", "amount_minor": 10_000}, {"title": "B", "amount_minor": 200}],
        )
    assert refused.value.code == "charge_too_small"
    assert list(refused.value.fields) == ["milestones.1.amount_minor"]
    assert make_proposal(
        job,
        amount_minor=10_300,
        milestones=[{"title": "A", "amount_minor": 10_000}, {"title": "B", "amount_minor": 300}],
    )
