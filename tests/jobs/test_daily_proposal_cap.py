"""At most PROPOSAL_DAILY_CAP (10) new proposals per freelancer per UTC day: the 10th is accepted, the
11th refused with a message saying when the next day starts, and nothing of it written; the count
starts again at midnight UTC, whatever the freelancer's own timezone."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.utils import timezone

from marketplace.core.exceptions import RateLimited
from marketplace.core.models import StatusChange
from marketplace.jobs.models import JobInvitation, Proposal
from marketplace.jobs.services import job_invite, proposal_submit
from tests.factories import make_client, make_freelancer, make_job, make_proposal
from tests.support.concurrently import at_once

CAP = 10


@pytest.fixture(autouse=True)
def _cap(settings):
    settings.PROPOSAL_DAILY_CAP = CAP


def _jobs(count: int) -> list:
    client = make_client()
    return [make_job(client=client, title=f"Job number {n}") for n in range(count)]


def _refused_at_the_cap(freelancer, job) -> RateLimited:
    proposals, changes = Proposal.objects.count(), StatusChange.objects.count()
    with pytest.raises(RateLimited) as refused:
        make_proposal(job, freelancer=freelancer)
    assert refused.value.code == "daily_proposal_cap"
    assert refused.value.status == 429
    assert Proposal.objects.count() == proposals
    assert StatusChange.objects.count() == changes
    return refused.value


@pytest.mark.django_db
def test_the_tenth_is_accepted_the_eleventh_refused_with_the_message_and_nothing_written():
    freelancer = make_freelancer()
    with time_machine.travel(datetime(2031, 3, 4, 12, 0, tzinfo=UTC), tick=False):
        jobs = _jobs(CAP)
        invited_job = make_job(client=jobs[0].client, visibility="invite_only", title="Invited job")
        invitation = job_invite(
            acting_user=invited_job.client,
            job=invited_job,
            freelancer_handle=freelancer.freelancer_profile.handle,
        )
        for job in jobs:
            make_proposal(job, freelancer=freelancer)
        assert Proposal.objects.filter(freelancer=freelancer).count() == CAP

        refused = _refused_at_the_cap(freelancer, invited_job)

    assert refused.message == (
        "You have sent 10 proposals today, the daily limit. "
        "You can send more after midnight UTC (in about 12 hours)."
    )
    invitation.refresh_from_db()
    assert invitation.status == JobInvitation.Status.SENT  # the refused proposal did not answer it


@pytest.mark.django_db
def test_the_cap_is_per_freelancer():
    jobs = _jobs(CAP + 1)
    busy, other = make_freelancer(), make_freelancer()
    with time_machine.travel(datetime(2031, 3, 4, 9, 0, tzinfo=UTC), tick=False):
        for job in jobs[:CAP]:
            make_proposal(job, freelancer=busy)
        _refused_at_the_cap(busy, jobs[CAP])
        assert make_proposal(jobs[CAP], freelancer=other).freelancer == other


@pytest.mark.django_db
def test_a_new_utc_day_starts_a_new_count_whatever_the_local_timezone():
    freelancer = make_freelancer()
    jobs = _jobs(CAP + 1)
    # Auckland is 13 hours ahead: locally these are all afternoon proposals of the same day.
    timezone.activate("Pacific/Auckland")
    try:
        with time_machine.travel(datetime(2031, 3, 4, 23, 59, 30, tzinfo=UTC), tick=False) as clock:
            for job in jobs[:CAP]:
                make_proposal(job, freelancer=freelancer)
            clock.move_to(datetime(2031, 3, 4, 23, 59, 59, 900_000, tzinfo=UTC))
            refused = _refused_at_the_cap(freelancer, jobs[CAP])
            assert refused.message.endswith("(in about 1 hour).")

            clock.move_to(datetime(2031, 3, 5, 0, 0, 10, tzinfo=UTC))
            proposal = make_proposal(jobs[CAP], freelancer=freelancer)
    finally:
        timezone.deactivate()
    assert proposal.created_at == datetime(2031, 3, 5, 0, 0, 10, tzinfo=UTC)
    assert Proposal.objects.filter(freelancer=freelancer).count() == CAP + 1


def test_two_proposals_racing_for_the_last_place_let_exactly_one_through(transactional_db):
    """The 10th and the 11th proposal sent at the same moment: the service counts with the
    freelancer's row locked, so the second waits for the first, counts 10 and is refused."""
    freelancer = make_freelancer()
    jobs = _jobs(CAP + 1)
    with time_machine.travel(datetime(2031, 3, 4, 12, 0, tzinfo=UTC)):
        for job in jobs[: CAP - 1]:
            make_proposal(job, freelancer=freelancer)

        def submit(job):
            return lambda: proposal_submit(
                acting_user=freelancer,
                job=job,
                cover_letter="I can start tomorrow and finish within the month.",
                amount_minor=90_000,
                duration="weeks",
            )

        outcomes = at_once(submit(jobs[CAP - 1]), submit(jobs[CAP]))

    accepted = [o for o in outcomes if isinstance(o, Proposal)]
    refused = [o for o in outcomes if isinstance(o, RateLimited)]
    assert (len(accepted), len(refused)) == (1, 1), outcomes
    assert refused[0].code == "daily_proposal_cap"
    assert Proposal.objects.filter(freelancer=freelancer).count() == CAP
