"""Two accepts of the same offer at the same moment, on real PostgreSQL: one contract, and the other
request gets a clean Conflict (a 409 with a code), never a database error or a second contract.

offer_accept locks the offer's row before looking at its status, so the second request waits for the
first to commit and then finds the offer accepted. With the row locks taken out (in offer_accept and
in the transition helper) 6 of these 8 runs fail: both requests read "sent"; PostgreSQL's row lock on
the UPDATE still makes the second wait, which then fails on the proposal — a refusal that talks about
the wrong thing — and two accepts on one job with one place left deadlock (a 500).
"""

import pytest

from marketplace.contracts.models import Contract
from marketplace.contracts.services import offer_accept
from marketplace.core.exceptions import Conflict
from marketplace.jobs.models import Job, Offer, Proposal
from marketplace.jobs.services import offer_withdraw
from tests.factories import make_job, make_offer, make_proposal
from tests.support.concurrently import at_once


@pytest.mark.parametrize("attempt", range(3))
def test_two_accepts_of_one_offer_make_one_contract(transactional_db, attempt):
    job = make_job(hires_wanted=2)  # stays open after one hire: the job's state decides nothing here
    proposal = make_proposal(job)
    offer = make_offer(proposal)

    def accept():
        return offer_accept(acting_user=proposal.freelancer, offer=Offer.objects.get(pk=offer.pk))

    outcomes = at_once(accept, accept)

    contracts = [o for o in outcomes if isinstance(o, Contract)]
    refused = [o for o in outcomes if isinstance(o, Conflict)]
    assert (len(contracts), len(refused)) == (1, 1), outcomes
    assert refused[0].code == "illegal_transition"
    assert refused[0].status == 409
    # The loser read the offer only once the winner had committed, so it is told about the offer.
    assert refused[0].message == "This offer is accepted; it cannot become accepted."
    assert Contract.objects.filter(offer=offer).count() == 1
    assert Offer.objects.get(pk=offer.pk).status == Offer.Status.ACCEPTED
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.HIRED


@pytest.mark.parametrize("attempt", range(2))
def test_an_accept_racing_a_withdrawal_ends_one_way_or_the_other(transactional_db, attempt):
    job = make_job()
    proposal = make_proposal(job)
    offer = make_offer(proposal)

    outcomes = at_once(
        lambda: offer_accept(acting_user=proposal.freelancer, offer=Offer.objects.get(pk=offer.pk)),
        lambda: offer_withdraw(acting_user=job.client, offer=Offer.objects.get(pk=offer.pk)),
    )

    assert sum(isinstance(o, Conflict) for o in outcomes) == 1, outcomes
    offer.refresh_from_db()
    proposal.refresh_from_db()
    job.refresh_from_db()
    if isinstance(outcomes[0], Contract):
        assert (offer.status, proposal.status, job.status) == ("accepted", "hired", "closed")
    else:
        assert (offer.status, proposal.status, job.status) == ("withdrawn", "shortlisted", Job.Status.OPEN)
        assert not Contract.objects.exists()


@pytest.mark.parametrize("attempt", range(3))
def test_two_freelancers_accepting_the_last_place_on_a_job_make_one_contract(transactional_db, attempt):
    """A job for one hire with two offers out, both accepted at once: one contract; the job closes,
    the other offer is withdrawn and its freelancer told so with a Conflict (not a deadlock)."""
    job = make_job()
    first, second = make_proposal(job), make_proposal(job)
    offers = [make_offer(first), make_offer(second)]

    def accept(offer):
        return lambda: offer_accept(acting_user=offer.freelancer, offer=Offer.objects.get(pk=offer.pk))

    outcomes = at_once(accept(offers[0]), accept(offers[1]))

    assert sum(isinstance(o, Contract) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, Conflict) for o in outcomes) == 1, outcomes
    assert Contract.objects.count() == 1
    assert Job.objects.get(pk=job.pk).status == Job.Status.CLOSED
    assert sorted(Offer.objects.values_list("status", flat=True)) == ["accepted", "withdrawn"]
