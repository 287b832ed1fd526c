"""Reputation follows what changes it, after commit: a contract ending, its money paid out after it
ended, a dispute decided, reviews published (through the real double-blind submission) or removed by
staff, and the nightly task for everyone. The queued task runs eagerly here, as in the embedded
default, once the test's on-commit callbacks run."""

import pytest
from django.utils import timezone

from escrow.models import Transfer
from escrow.services.payouts import transfer_record
from marketplace.accounts.models import ClientScorecard, FreelancerReputation
from marketplace.config.celery import app as celery_app
from marketplace.contracts import services as contracts
from marketplace.contracts.models import Milestone
from marketplace.disputes.models import Dispute
from reviews.models import Review
from reviews.services import review_remove, review_submit
from reviews.tasks import reputation_recompute_all_task
from tests.disputes.world import fund, submit
from tests.factories import make_contract, make_freelancer, make_organisation, make_user
from tests.reviews.reputation_world import (
    completed,
    decided,
    good_contract,
    many_proposals,  # noqa: F401 (fixture)
    paid,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("many_proposals")]


@pytest.fixture(autouse=True)
def eager():
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


def reputation_of(user) -> FreelancerReputation | None:
    return FreelancerReputation.objects.filter(user=user).first()


def test_a_contract_ending_recomputes_both_parties(django_capture_on_commit_callbacks):
    organisation = make_organisation()
    owner = organisation.memberships.get().user
    contract = make_contract(client=owner, organisation=organisation, milestones=[50_000])
    paid(contract.milestones.get())
    assert reputation_of(contract.freelancer) is None

    with django_capture_on_commit_callbacks(execute=True):
        contracts.contract_complete(acting_user=owner, contract=contract)

    reputation = reputation_of(contract.freelancer)
    assert (reputation.ended_contracts, reputation.good_contracts) == (1, 1)
    card = ClientScorecard.objects.get(organisation=organisation)
    assert (card.jobs_posted, card.jobs_hired) == (1, 1)
    assert not ClientScorecard.objects.filter(user=owner).exists()  # hired for the organisation


def test_money_paid_out_after_the_contract_ended_makes_it_good(django_capture_on_commit_callbacks):
    """Approved while the freelancer could not be paid: the milestone is released only later."""
    contract = make_contract(milestones=[50_000])
    milestone = submit(fund(contract.milestones.get()))
    contracts.milestone_approve(acting_user=contract.client, milestone=milestone)
    with django_capture_on_commit_callbacks(execute=True):
        completed(contract)
    assert reputation_of(contract.freelancer).neutral_contracts == 1

    transfer = Transfer.objects.get(settlement__hold_id=Milestone.objects.get(pk=milestone.pk).hold_id)
    with django_capture_on_commit_callbacks(execute=True):
        transfer_record(transfer_id=transfer.pk, processor_id="tr_paid_late")

    assert Milestone.objects.get(pk=milestone.pk).status == Milestone.Status.RELEASED
    assert reputation_of(contract.freelancer).good_contracts == 1


def test_a_dispute_decided_recomputes_the_client_s_card(django_capture_on_commit_callbacks):
    contract = make_contract(milestones=[50_000])
    milestone = fund(contract.milestones.get())
    with django_capture_on_commit_callbacks(execute=True):
        dispute = decided(milestone, outcome=Dispute.Outcome.REFUND_ALL)
    assert dispute.status == Dispute.Status.DECIDED
    card = ClientScorecard.objects.get(user=contract.client)
    assert card.disputes_opened == 1
    assert reputation_of(contract.freelancer).ended_contracts == 0  # still running


def _review(user, contract, overall: int) -> Review:
    freelancer = user == contract.freelancer
    return review_submit(
        acting_user=user,
        contract=contract,
        overall=overall,
        text="A fair account of how the contract went.",
        sub_scores={"clarity": 4, "communication": 4, "payment_promptness": 4}
        if freelancer
        else {"quality": overall, "communication": overall, "expertise": overall, "deadlines": overall},
        would_hire_again=None if freelancer else overall >= 4,
    )


def test_reviews_count_once_published_and_stop_once_removed(django_capture_on_commit_callbacks):
    freelancer = make_freelancer()
    contract = good_contract(freelancer=freelancer)
    with django_capture_on_commit_callbacks(execute=True):
        mine = _review(contract.client, contract, 2)
    assert mine.revealed_at is None  # hidden: nothing recomputed from it
    assert reputation_of(freelancer) is None

    with django_capture_on_commit_callbacks(execute=True):
        _review(freelancer, contract, 5)  # the second side: both published

    reputation = reputation_of(freelancer)
    assert (reputation.rating_count, reputation.bad_contracts) == (1, 1)
    card = ClientScorecard.objects.get(user=contract.client)
    assert (card.rating_count, card.ratings_given) == (1, 1)

    with django_capture_on_commit_callbacks(execute=True):
        review_remove(acting_user=make_user(staff=True), review=mine, reason="Shares private details.")

    reputation = reputation_of(freelancer)
    assert (reputation.rating_count, reputation.good_contracts, reputation.bad_contracts) == (0, 1, 0)


def test_the_nightly_task_recomputes_everyone_with_ended_contracts_or_a_card():
    first = good_contract(freelancer=make_freelancer())
    second = good_contract(freelancer=make_freelancer())
    running = make_contract()  # no ended contract: its freelancer has nothing to compute
    stale = FreelancerReputation.objects.create(
        user=make_freelancer(), job_success_score=90, computed_at=timezone.now()
    )

    done = reputation_recompute_all_task()

    assert reputation_of(first.freelancer).good_contracts == 1
    assert reputation_of(second.freelancer).good_contracts == 1
    assert reputation_of(running.freelancer) is None
    stale.refresh_from_db()
    assert stale.job_success_score is None  # recomputed: no ended contract any more
    assert ClientScorecard.objects.filter(user__in=[first.client, second.client, running.client]).count() == 3
    assert done == 3 + 3
