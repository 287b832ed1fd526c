"""Every change that alters a jobs document records the job in the outbox, in the writer's
transaction; after commit the send puts the new document in the engine (or takes it out)."""

from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from marketplace.accounts.models import City, ClientScorecard, Skill
from marketplace.jobs.models import Job
from marketplace.jobs.services import job_close, job_create, job_publish, job_update
from marketplace.jobs.services.expiry import expire_due
from marketplace.jobs.services.jobs import job_fields
from marketplace.jobs.services.proposals import job_invitation_withdraw, job_invite
from search.audience import PUBLIC, user_token
from search.services.indexing import index_rebuild
from tests.factories import (
    JOB_FIELDS,
    make_client,
    make_contract,
    make_freelancer,
    make_job,
    make_organisation,
)
from tests.support.search_memory import pending, pending_cleared

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memory_search", "eager_tasks")]


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _held(backend, job):
    return backend.documents("jobs").get(job.pk)


def test_a_draft_is_not_indexed_and_publishing_sends_it(memory_search, capture):
    client = make_client()
    with capture():
        draft = job_create(acting_user=client, fields={**JOB_FIELDS, "title": "Yoga booking"})
    assert _held(memory_search, draft) is None
    with capture():
        job_publish(acting_user=client, job=draft)
        assert pending("jobs") == {draft.pk}
    document = _held(memory_search, draft)
    assert document.fields["title"] == "Yoga booking"
    assert PUBLIC in document.audience
    assert pending("jobs") == set()


def test_an_edit_with_new_skills_is_sent(memory_search, capture):
    job = make_job()
    pending_cleared()
    django = Skill.objects.get(slug="django")
    with capture():
        job_update(
            acting_user=job.client,
            job=job,
            fields={**job_fields(job), "title": "Django booking page", "skills": [django.pk]},
        )
        assert pending("jobs") == {job.pk}
    document = _held(memory_search, job)
    assert (document.fields["title"], document.fields["skills"]) == ("Django booking page", ("django",))


def test_closing_and_expiring_take_the_job_out(memory_search, capture):
    closing, expiring = make_job(title="Closes"), make_job(title="Expires")
    index_rebuild(index="jobs")
    pending_cleared()
    assert {closing.pk, expiring.pk} <= set(memory_search.documents("jobs"))
    with capture():
        job_close(acting_user=closing.client, job=closing)
        assert pending("jobs") == {closing.pk}
    assert _held(memory_search, closing) is None
    with time_machine.travel(expiring.expires_at, tick=False), capture():
        expire_due()
        assert pending("jobs") == {expiring.pk}
    assert _held(memory_search, expiring) is None


def test_invitations_standing_or_not_decide_who_sees_an_invite_only_job(memory_search, capture):
    job = make_job(visibility="invite_only")
    freelancer = make_freelancer()
    pending_cleared()
    with capture():
        invitation = job_invite(
            acting_user=job.client, job=job, freelancer_handle=freelancer.freelancer_profile.handle
        )
        assert pending("jobs") == {job.pk}
    assert user_token(freelancer.pk) in _held(memory_search, job).audience
    with capture():
        job_invitation_withdraw(acting_user=job.client, invitation=invitation)
        assert pending("jobs") == {job.pk}
    assert user_token(freelancer.pk) not in _held(memory_search, job).audience


def test_an_accepted_offer_lets_the_hire_see_the_job(memory_search, capture):
    job = make_job(visibility="invite_only", hires_wanted=2)
    freelancer = make_freelancer()
    job_invite(acting_user=job.client, job=job, freelancer_handle=freelancer.freelancer_profile.handle)
    pending_cleared()
    with capture():
        make_contract(job, freelancer=freelancer)
        assert job.pk in pending("jobs")
    document = _held(memory_search, job)
    assert user_token(freelancer.pk) in document.audience


def _scorecard(**owner_and_values):
    defaults = {"rating_avg": None, "rating_count": 0, "computed_at": timezone.now()}
    owner = {key: owner_and_values.pop(key) for key in ("user", "organisation") if key in owner_and_values}
    ClientScorecard.objects.update_or_create(**owner, defaults={**defaults, **owner_and_values})


def test_a_clients_new_rating_reaches_every_open_job_of_theirs_only(memory_search, capture):
    client = make_client()
    organisation = make_organisation(owner=client)
    own_open, own_draft = make_job(client=client), make_job(client=client, publish=False)
    own_closed = make_job(client=client)
    job_close(acting_user=client, job=own_closed)
    for_organisation, someone_elses = make_job(organisation=organisation), make_job()
    pending_cleared()
    with capture():
        _scorecard(user=client, rating_avg=Decimal("4.20"), rating_count=5)
        assert pending("jobs") == {own_open.pk}
    assert _held(memory_search, own_open).fields["client_rating"] == 4.2
    with capture():
        _scorecard(organisation=organisation, rating_avg=Decimal("3.00"), rating_count=1)
        assert pending("jobs") == {for_organisation.pk}
    assert _held(memory_search, for_organisation).fields["client_rating"] == 3.0
    # The same figures again (the nightly recompute): nothing.
    _scorecard(user=client, rating_avg=Decimal("4.20"), rating_count=5)
    assert pending("jobs") == set()
    assert {own_draft.pk, someone_elses.pk}.isdisjoint(memory_search.documents("jobs"))


def test_an_on_site_jobs_city_moved(memory_search, capture):
    berlin = City.objects.filter(name="Berlin", country_code="DE").first()
    job = make_job(location_type="onsite", city=berlin.pk, radius_km=25)
    remote = make_job()
    pending_cleared()
    with capture():
        berlin.longitude += 0.5
        berlin.save()
        assert job.pk in pending("jobs")
        assert remote.pk not in pending("jobs")
    assert _held(memory_search, job).location == (berlin.latitude, berlin.longitude)


def test_a_deleted_job_is_taken_out(memory_search, capture):
    job = make_job()
    index_rebuild(index="jobs")
    assert _held(memory_search, job) is not None
    with capture():
        Job.objects.get(pk=job.pk).delete()
        assert pending("jobs") == {job.pk}
    assert _held(memory_search, job) is None
