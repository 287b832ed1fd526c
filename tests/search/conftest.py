"""Fixtures of the search pipeline's tests (receivers, outbox, tasks, reconciler, command)."""

import pytest

from search.backends import get_search_backend, reset_search_backends
from tests.support.search_memory import PATH as MEMORY_BACKEND


@pytest.fixture
def memory_search(settings):
    """The default search backend is the in-memory one of ``tests.support.search_memory``."""
    settings.SEARCH_BACKENDS = {"default": {"BACKEND": MEMORY_BACKEND, "OPTIONS": {}}}
    reset_search_backends()
    yield get_search_backend()
    reset_search_backends()


@pytest.fixture
def eager_tasks():
    """Tasks queued after commit run at once, in this thread, as in the embedded default."""
    from marketplace.config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture(params=["memory", "postgres"])
def pipeline_backend(request, settings):
    """The pipeline's tests on the in-memory backend and on the real default, PostgreSQL full text
    (inside the test's transaction)."""
    if request.param == "memory":
        yield request.getfixturevalue("memory_search")
        return
    settings.SEARCH_BACKENDS = {
        "default": {"BACKEND": "search.backends.database.postgres.PostgresSearchBackend", "OPTIONS": {}}
    }
    reset_search_backends()
    yield get_search_backend()
    reset_search_backends()
