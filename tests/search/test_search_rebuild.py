"""``manage.py search_rebuild``: every index (or one) built anew, a progress bar, a summary."""

import io

import pytest
from django.core.management import call_command

from search.indexes import index_named
from tests.factories import make_freelancer, make_job

pytestmark = pytest.mark.django_db


class Terminal(io.StringIO):
    """Where the bar is drawn: tqdm draws only on a terminal."""

    def isatty(self) -> bool:
        return True


def test_it_rebuilds_every_index_with_a_progress_bar_and_a_summary(pipeline_backend):
    jobs = [make_job(), make_job()]
    draft = make_job(publish=False)
    freelancer = make_freelancer()
    out, err = io.StringIO(), io.StringIO()
    call_command("search_rebuild", stdout=out, stderr=err)
    assert "Rebuilt talent: 1 document(s)" in out.getvalue()
    assert "jobs: 2 document(s)" in out.getvalue()
    assert set(pipeline_backend.versions(index_named("jobs"))) == {job.pk for job in jobs}
    assert draft.pk not in pipeline_backend.versions(index_named("jobs"))
    assert set(pipeline_backend.versions(index_named("talent"))) == {freelancer.freelancer_profile.pk}


def test_one_index_and_the_bar_counts_its_documents(pipeline_backend, monkeypatch):
    make_job()
    make_job()
    out, terminal = io.StringIO(), Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    call_command("search_rebuild", "--index", "jobs", stdout=out)
    assert "jobs: 100%" in terminal.getvalue()
    assert "2/2" in terminal.getvalue()
    assert out.getvalue().startswith("Rebuilt jobs: 2 document(s)")
    assert "talent" not in out.getvalue()
    assert pipeline_backend.versions(index_named("talent")) == {}
