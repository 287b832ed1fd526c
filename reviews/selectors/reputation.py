"""Reputation as last computed (``reviews.services.reputation``), for profiles, job pages and the
API. Public facts: whoever may see the profile or the job may see these."""

from marketplace.accounts.models import ClientScorecard, FreelancerReputation, User
from marketplace.jobs.models import Job
from marketplace.organisations.models import Organisation


def freelancer_reputation_of(user: User) -> FreelancerReputation | None:
    """None until it was first computed (the freelancer's first contract ended, or the nightly run)."""
    return FreelancerReputation.objects.filter(user=user).first()


def client_scorecard_for(
    *, user: User | None = None, organisation: Organisation | None = None
) -> ClientScorecard | None:
    """The organisation's scorecard if ``organisation`` is given, else the person's own (their
    hiring outside any organisation)."""
    if organisation is not None:
        return ClientScorecard.objects.filter(organisation=organisation).first()
    if user is None:
        raise TypeError("A scorecard is of a user or of an organisation: give one.")
    return ClientScorecard.objects.filter(user=user).first()


def client_scorecard_for_job(job: Job) -> ClientScorecard | None:
    """The scorecard of whoever hires on the job: its organisation, or the person who posted it."""
    if job.organisation_id is not None:
        return ClientScorecard.objects.filter(organisation_id=job.organisation_id).first()
    return ClientScorecard.objects.filter(user_id=job.client_id).first()
