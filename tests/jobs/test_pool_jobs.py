"""Pool jobs (Job.pool): who sees them (the jobs selector and the search audience alike), who may be
offered them, and how a poster chooses the pool."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.core.exceptions import Conflict, InvalidInput
from marketplace.jobs.selectors import jobs_visible_to
from marketplace.jobs.services import offer_send
from marketplace.organisations.models import PoolMembership, PoolOverride, TalentPool
from search.audience import viewer_audience
from search.indexes.jobs import job_documents
from tests.factories import (
    JOB_FIELDS,
    add_member,
    make_freelancer,
    make_job,
    make_organisation,
    make_proposal,
)
from tests.organisations.pools_support import join, make_pool

pytestmark = pytest.mark.django_db
Status = PoolMembership.Status


def _override(membership, *, job=None, days=10):
    return PoolOverride.objects.create(
        membership=membership,
        job=job,
        status=PoolOverride.Status.GRANTED,
        request_reason="Please",
        decided_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=days),
    )


@pytest.fixture
def pools():
    """Organisation A with its default pool and a vetted pool, a job in each and a second vetted
    job; workers in every position that matters."""
    organisation = make_organisation(name="Acme Cabling")
    manager = add_member(organisation, "hiring_manager")
    vetted = make_pool(organisation, name="NE Cabling T1")
    default = TalentPool.objects.get(organisation=organisation, is_default=True)

    def pool_job(**fields):
        return make_job(client=manager, organisation=organisation, visibility="pool", **fields)

    jobs = {"vetted": pool_job(pool=vetted.pk), "vetted2": pool_job(pool=vetted.pk), "default": pool_job()}
    names = ("active", "suspended", "job_override", "pool_override", "expired_override")
    names += ("suspended_override", "default_member", "outsider")
    workers = {name: make_freelancer(full_name=name) for name in names}
    join(vetted, workers["active"], status=Status.ACTIVE)
    join(vetted, workers["suspended"], status=Status.SUSPENDED)
    _override(join(vetted, workers["job_override"]), job=jobs["vetted"])
    _override(join(vetted, workers["pool_override"], status=Status.AWAITING_REVIEW))
    _override(join(vetted, workers["expired_override"]), job=jobs["vetted"], days=-1)
    _override(join(vetted, workers["suspended_override"], status=Status.SUSPENDED), job=jobs["vetted"])
    join(default, workers["default_member"], status=Status.ACTIVE)
    return {
        "organisation": organisation,
        "manager": manager,
        "vetted": vetted,
        "jobs": jobs,
        "workers": workers,
    }


def test_a_pool_job_is_seen_by_its_pools_active_members_and_override_holders_only(pools):
    jobs = pools["jobs"]
    titles = {job.pk: name for name, job in jobs.items()}
    documents = job_documents(list(titles))
    seen = {}
    for name, worker in pools["workers"].items():
        visible = set(jobs_visible_to(worker).filter(pk__in=titles).values_list("pk", flat=True))
        audience = viewer_audience(worker)
        found = {document.id for document in documents if document.audience & audience}
        assert found == visible, name  # the search audience mirrors the selector
        seen[name] = {titles[pk] for pk in visible}
    assert seen["active"] == {"vetted", "vetted2"}  # positive control
    assert seen["job_override"] == {"vetted"}  # that job only
    assert seen["pool_override"] == {"vetted", "vetted2"}
    assert seen["default_member"] == {"default"}
    assert seen["suspended"] == set()
    assert seen["suspended_override"] == set()
    assert seen["expired_override"] == set()
    assert seen["outsider"] == set()
    # The organisation's own side sees them all.
    assert set(jobs_visible_to(pools["manager"]).filter(pk__in=titles).values_list("pk", flat=True)) == set(
        titles
    )


def test_offers_on_a_pool_job_only_to_eligible_workers(pools):
    jobs, workers, manager = pools["jobs"], pools["workers"], pools["manager"]
    proposal = make_proposal(jobs["vetted"], freelancer=workers["active"])
    assert offer_send(acting_user=manager, proposal=proposal).status == "sent"
    by_override = make_proposal(jobs["vetted"], freelancer=workers["job_override"])
    assert offer_send(acting_user=manager, proposal=by_override).status == "sent"

    # A member suspended after proposing is refused, with the reason.
    late = make_freelancer()
    membership = join(pools["vetted"], late, status=Status.ACTIVE)
    proposal = make_proposal(jobs["vetted2"], freelancer=late)
    PoolMembership.objects.filter(pk=membership.pk).update(status=Status.SUSPENDED)
    with pytest.raises(Conflict) as refused:
        offer_send(acting_user=manager, proposal=proposal)
    assert refused.value.code == "worker_not_eligible"
    assert refused.value.status == 409
    assert "suspended" in refused.value.message
    assert "NE Cabling T1" in refused.value.message


def test_the_poster_chooses_one_of_the_organisations_pools(pools):
    organisation, manager, vetted = pools["organisation"], pools["manager"], pools["vetted"]
    assert pools["jobs"]["vetted"].pool_id == vetted.pk
    default = TalentPool.objects.get(organisation=organisation, is_default=True)
    assert pools["jobs"]["default"].pool_id == default.pk  # none chosen: the default pool
    assert make_job(client=manager, organisation=organisation).pool_id is None  # public: no pool
    foreign = make_pool(make_organisation(), name="Theirs")
    with pytest.raises(InvalidInput) as bad:
        make_job(client=manager, organisation=organisation, visibility="pool", pool=foreign.pk)
    assert "pool" in bad.value.fields


def test_the_api_takes_and_shows_the_pool(pools, api):
    organisation, manager, vetted = pools["organisation"], pools["manager"], pools["vetted"]
    api.force_authenticate(manager)
    body = {**JOB_FIELDS, "organisation": organisation.slug, "visibility": "pool", "pool": vetted.pk}
    created = api.post("/api/jobs/", body, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["pool"] == vetted.pk
    foreign = make_pool(make_organisation(), name="Theirs")
    refused = api.post("/api/jobs/", {**body, "pool": foreign.pk}, format="json")
    assert refused.status_code == 400
    assert "pool" in refused.json()["error"]["fields"]


def test_the_job_form_offers_the_organisations_pools(pools, client):
    client.force_login(pools["manager"])
    page = client.get("/jobs/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="pool"' in html
    assert "NE Cabling T1" in html
