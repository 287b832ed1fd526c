"""The client's sorting of proposals (shortlist, archive, decline) leaves a proposal with a live
offer alone: only the offer's end puts it back on the shortlist."""

import pytest

from marketplace.contracts.services import offer_accept
from marketplace.core.exceptions import Conflict
from marketplace.core.models import StatusChange
from marketplace.jobs.models import Offer, Proposal
from marketplace.jobs.services import offer_withdraw, proposal_shortlist
from tests.factories import make_job, make_offer, make_proposal

pytestmark = pytest.mark.django_db


def test_an_offered_proposal_cannot_be_shortlisted_while_its_offer_is_out():
    job = make_job()
    proposal = make_proposal(job)
    offer = make_offer(proposal)
    changes = StatusChange.objects.count()

    with pytest.raises(Conflict) as refused:
        proposal_shortlist(acting_user=job.client, proposal=proposal)

    assert refused.value.code == "offer_pending"
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.OFFERED
    assert StatusChange.objects.count() == changes
    contract = offer_accept(acting_user=proposal.freelancer, offer=offer)  # the offer still works
    assert contract.offer_id == offer.pk


def test_once_the_offer_is_withdrawn_the_proposal_is_back_on_the_shortlist():
    job = make_job()
    proposal = make_proposal(job)
    offer_withdraw(acting_user=job.client, offer=make_offer(proposal))
    assert Proposal.objects.get(pk=proposal.pk).status == Proposal.Status.SHORTLISTED
    assert Offer.objects.get().status == Offer.Status.WITHDRAWN
