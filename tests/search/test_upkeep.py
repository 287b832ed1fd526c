"""The reconciler finds what no receiver saw (``QuerySet.update()``, a lost send, a row gone), the
sweep sends what waits, and the send task never raises to its caller."""

import pytest

from marketplace.accounts.models import FreelancerProfile
from marketplace.jobs.models import Job
from search.backends import SearchUnavailable
from search.indexes import index_named
from search.models import PendingIndexUpdate, ReconcileRun
from search.services.indexing import index_rebuild
from search.services.upkeep import RECONCILE_RUNS_KEPT, index_reconcile, pending_sweep, reconcile_all
from search.tasks import index_send_task
from tests.factories import make_freelancer, make_job
from tests.support.search_memory import MemorySearchBackend, pending, pending_cleared

pytestmark = pytest.mark.django_db


def _versions(backend, name):
    return backend.versions(index_named(name))


def test_the_reconciler_catches_a_queryset_update_a_gone_row_and_a_missing_one(pipeline_backend):
    kept, edited, closed = make_job(), make_job(title="Before"), make_job()
    profile = make_freelancer().freelancer_profile
    for name in ("jobs", "talent"):
        index_rebuild(index=name)
    pending_cleared()
    assert reconcile_all().counts["jobs"] == {"indexable": 3, "held": 3, "missing": 0, "stale": 0, "extra": 0}
    assert pending("jobs") == set()

    # Behind the receivers' backs: an update, a close, and a document the engine lost.
    Job.objects.filter(pk=edited.pk).update(title="After")
    Job.objects.filter(pk=closed.pk).update(status=Job.Status.CLOSED)
    pipeline_backend.delete(index_named("talent"), [profile.pk])
    assert pending("jobs") == pending("talent") == set()

    run = reconcile_all()
    assert run.counts["jobs"] == {"indexable": 2, "held": 3, "missing": 0, "stale": 1, "extra": 1}
    assert run.counts["talent"] == {"indexable": 1, "held": 0, "missing": 1, "stale": 0, "extra": 0}
    assert (pending("jobs"), pending("talent")) == ({edited.pk, closed.pk}, {profile.pk})
    assert run.error == ""

    assert pending_sweep() == {"jobs": 2, "talent": 1}
    jobs = index_named("jobs")
    assert set(_versions(pipeline_backend, "jobs")) == {kept.pk, edited.pk}
    assert _versions(pipeline_backend, "jobs")[edited.pk] == jobs.documents([edited.pk])[0].version
    assert profile.pk in _versions(pipeline_backend, "talent")
    assert index_reconcile(index="jobs").stale == 0


def test_the_reconciler_compares_in_batches(pipeline_backend):
    jobs = [make_job(title=f"Job {n}") for n in range(5)]
    index_rebuild(index="jobs")
    Job.objects.filter(pk__in=[jobs[0].pk, jobs[4].pk]).update(title="Changed")
    pending_cleared()
    drift = index_reconcile(index="jobs", batch=2)
    assert (drift.indexable, drift.stale) == (5, 2)
    assert pending("jobs") == {jobs[0].pk, jobs[4].pk}


def test_only_the_latest_reports_are_kept(memory_search):
    for _ in range(RECONCILE_RUNS_KEPT + 3):
        reconcile_all()
    assert ReconcileRun.objects.count() == RECONCILE_RUNS_KEPT


class FailingBackend(MemorySearchBackend):
    def index(self, index, documents):
        raise SearchUnavailable("connection refused")

    def versions(self, index):
        raise SearchUnavailable("connection refused")

    check = versions


@pytest.fixture
def failing_search(settings):
    from search.backends import reset_search_backends

    settings.SEARCH_BACKENDS = {"default": {"BACKEND": f"{__name__}.FailingBackend", "OPTIONS": {}}}
    reset_search_backends()
    yield
    reset_search_backends()


def test_an_engine_that_fails_leaves_the_rows_with_their_error(failing_search):
    profile = make_freelancer().freelancer_profile
    assert pending("talent") == {profile.pk}
    # Run eagerly (the embedded default's request): no raise, no retry in the request, rows kept.
    assert index_send_task.apply(args=["talent"]).get() == 0
    row = PendingIndexUpdate.objects.get(index="talent", object_id=profile.pk)
    assert (row.attempts, row.last_error) == (1, "connection refused")
    assert pending_sweep() == {"talent": "failed: connection refused"}
    assert PendingIndexUpdate.objects.get(pk=row.pk).attempts == 2
    run = reconcile_all()
    assert run.counts == {}
    assert run.error == "talent: connection refused\njobs: connection refused"


def test_on_a_worker_the_send_is_retried_with_a_growing_wait(failing_search, monkeypatch):
    make_freelancer()
    retries = []

    def retry(*, exc, countdown):
        retries.append((str(exc), countdown))
        return RuntimeError("retrying")

    monkeypatch.setattr(index_send_task, "retry", retry)
    request = {"is_eager": False, "retries": 2}
    index_send_task.push_request(**request)
    try:
        with pytest.raises(RuntimeError, match="retrying"):
            index_send_task.run("talent")
    finally:
        index_send_task.pop_request()
    assert retries == [("connection refused", 20)]
    index_send_task.push_request(is_eager=False, retries=index_send_task.max_retries)
    try:
        assert index_send_task.run("talent") == 0  # out of retries: the sweep takes over, no raise
    finally:
        index_send_task.pop_request()
    assert FreelancerProfile.objects.count() == 1
