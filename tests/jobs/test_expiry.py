"""The periodic sweep jobs.expire_due: the warning once, JOB_EXPIRY_WARNING_DAYS (5) before a job
expires; expiry JOB_OPEN_DAYS (30) after opening; live offers of a job that expires or closes are
withdrawn and their proposals go back to the shortlist; offers expire OFFER_EXPIRY_DAYS (7) after
sending; a second run changes nothing."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from marketplace.core.models import StatusChange
from marketplace.jobs.events import job_expiring_soon
from marketplace.jobs.models import Job, Offer, Proposal
from marketplace.jobs.services import expire_due, job_close, job_publish, proposal_shortlist
from marketplace.jobs.tasks import jobs_expire_due
from tests.factories import make_job, make_offer, make_proposal

pytestmark = pytest.mark.django_db

OPENED = datetime(2031, 5, 1, 10, 0, tzinfo=UTC)
NOTHING = {"warned": 0, "expired_jobs": 0, "expired_offers": 0}


@pytest.fixture
def clock():
    with time_machine.travel(OPENED, tick=False) as traveller:
        yield traveller


@pytest.fixture
def warnings_sent():
    sent: list[int] = []

    def receiver(sender, job_id, **kwargs):
        sent.append(job_id)

    job_expiring_soon.connect(receiver)
    yield sent
    job_expiring_soon.disconnect(receiver)


def _state() -> tuple:
    return (
        list(Job.objects.order_by("pk").values_list("pk", "status", "expiry_warned_at", "closed_at")),
        list(Proposal.objects.order_by("pk").values_list("pk", "status")),
        list(Offer.objects.order_by("pk").values_list("pk", "status")),
        StatusChange.objects.count(),
    )


def _history(obj) -> list[tuple]:
    return list(
        StatusChange.objects.filter(target_type=obj._meta.label_lower, target_id=obj.pk)
        .order_by("pk")
        .values_list("from_status", "to_status", "actor_id", "reason")
    )


def test_the_warning_is_sent_once_five_days_before(
    settings, clock, warnings_sent, django_capture_on_commit_callbacks
):
    assert (settings.JOB_OPEN_DAYS, settings.JOB_EXPIRY_WARNING_DAYS) == (30, 5)
    job = make_job()
    assert job.expires_at == OPENED + timedelta(days=30)

    clock.move_to(OPENED + timedelta(days=25) - timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_expire_due() == NOTHING
    assert warnings_sent == []

    clock.move_to(OPENED + timedelta(days=25))
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs_expire_due() == {**NOTHING, "warned": 1}
    assert warnings_sent == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.expiry_warned_at) == (Job.Status.OPEN, OPENED + timedelta(days=25))

    for later in (timedelta(days=25, hours=1), timedelta(days=29, hours=23)):
        clock.move_to(OPENED + later)
        with django_capture_on_commit_callbacks(execute=True):
            assert jobs_expire_due() == NOTHING
    assert warnings_sent == [job.pk]


def test_a_job_expires_thirty_days_after_opening(clock):
    job = make_job()
    clock.move_to(OPENED + timedelta(days=30) - timedelta(seconds=1))
    expire_due()
    assert Job.objects.get(pk=job.pk).status == Job.Status.OPEN

    clock.move_to(OPENED + timedelta(days=30))
    assert expire_due()["expired_jobs"] == 1
    job.refresh_from_db()
    assert (job.status, job.closed_at) == (Job.Status.EXPIRED, OPENED + timedelta(days=30))
    assert _history(job)[-1] == ("open", "expired", None, "Open for 30 days")


def test_a_job_republished_late_counts_from_its_opening_not_its_creation(clock):
    draft = make_job(publish=False)
    clock.move_to(OPENED + timedelta(days=20))
    job_publish(acting_user=draft.client, job=draft)
    clock.move_to(OPENED + timedelta(days=45))
    assert expire_due() == {**NOTHING, "warned": 1}
    clock.move_to(OPENED + timedelta(days=50))
    assert expire_due()["expired_jobs"] == 1


@pytest.mark.parametrize("end", ["expires", "is closed"])
def test_live_offers_of_a_job_that_ends_are_withdrawn_and_their_proposals_shortlisted(clock, end):
    job = make_job(hires_wanted=3)
    offered, other = make_proposal(job), make_proposal(job)
    proposal_shortlist(acting_user=job.client, proposal=other)
    clock.move_to(OPENED + timedelta(days=24))
    offer = make_offer(offered)  # still unanswered, and within its own 7 days, when the job ends

    if end == "expires":
        clock.move_to(OPENED + timedelta(days=30))
        assert expire_due() == {**NOTHING, "expired_jobs": 1}
    else:
        job_close(acting_user=job.client, job=job, reason="Found someone elsewhere")

    job.refresh_from_db()
    assert job.status == (Job.Status.EXPIRED if end == "expires" else Job.Status.CLOSED)
    assert set(Offer.objects.values_list("status", flat=True)) == {Offer.Status.WITHDRAWN}
    assert set(Proposal.objects.values_list("status", flat=True)) == {Proposal.Status.SHORTLISTED}
    offer.refresh_from_db()
    assert offer.responded_at is not None
    reasons = {"expires": "The job expired", "is closed": "The job was closed: Found someone elsewhere"}
    assert _history(offer)[-1][3] == reasons[end]


def test_an_offer_expires_seven_days_after_it_was_sent(clock):
    job = make_job()
    proposal = make_proposal(job)
    clock.move_to(OPENED + timedelta(days=2))
    offer = make_offer(proposal)
    assert offer.expires_at == OPENED + timedelta(days=9)

    clock.move_to(OPENED + timedelta(days=9) - timedelta(seconds=1))
    assert expire_due() == NOTHING
    clock.move_to(OPENED + timedelta(days=9))
    assert expire_due() == {**NOTHING, "expired_offers": 1}

    offer.refresh_from_db()
    proposal.refresh_from_db()
    assert (offer.status, proposal.status) == (Offer.Status.EXPIRED, Proposal.Status.SHORTLISTED)
    assert _history(offer) == [("sent", "expired", None, "Unanswered for 7 days")]
    assert Job.objects.get(pk=job.pk).status == Job.Status.OPEN
    make_offer(proposal)  # the client can try again


def test_running_the_sweep_twice_changes_nothing_the_second_time(clock):
    soon, later = make_job(), make_job()
    make_offer(make_proposal(later))
    clock.move_to(OPENED + timedelta(days=10))
    late = make_job()
    clock.move_to(OPENED + timedelta(days=36))  # soon and later expire; late is in its warning window

    assert jobs_expire_due() == {"warned": 1, "expired_jobs": 2, "expired_offers": 0}
    after_first = _state()
    assert jobs_expire_due() == NOTHING
    assert _state() == after_first
    assert Job.objects.get(pk=late.pk).status == Job.Status.OPEN
    expired = Job.objects.filter(status=Job.Status.EXPIRED).values_list("pk", flat=True)
    assert set(expired) == {soon.pk, later.pk}
