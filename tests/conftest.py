"""Shared test configuration.

A skipped test fails the run unless its node id is listed in ``.ci/allowed-skips``: a test that
silently stops running is worse than a red build.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import hypothesis
import pytest
import redis
from django.conf import settings
from django.db import transaction
from rest_framework.test import APIClient

from tests.support.fake_stripe import FakeStripe, start_fake_stripe
from tests.support.processes import REPO_ROOT, celery_worker_command, env_on_test_database, running

ALLOWED_SKIPS_FILE = REPO_ROOT / ".ci" / "allowed-skips"
ARTIFACTS_DIR = REPO_ROOT / "artifacts"

# Property tests run against the real database, so examples are slow-ish and timings vary with the
# machine's load: no deadline, and no "explain" phase (it traces every line, which makes a failing
# stateful run take many minutes to report). "ci" (the default) is bounded to keep the suite within
# minutes; HYPOTHESIS_PROFILE=thorough digs much deeper for a local run.
_PHASES = [phase for phase in hypothesis.Phase if phase is not hypothesis.Phase.explain]
hypothesis.settings.register_profile(
    "ci",
    max_examples=40,
    stateful_step_count=25,
    deadline=None,
    phases=_PHASES,
    suppress_health_check=[hypothesis.HealthCheck.too_slow],
    print_blob=True,
)
hypothesis.settings.register_profile(
    "thorough",
    max_examples=500,
    stateful_step_count=60,
    deadline=None,
    phases=_PHASES,
    suppress_health_check=[hypothesis.HealthCheck.too_slow],
    print_blob=True,
)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


def _allowed_skips() -> set[str]:
    if not ALLOWED_SKIPS_FILE.exists():
        return set()
    lines = (line.strip() for line in ALLOWED_SKIPS_FILE.read_text().splitlines())
    return {line for line in lines if line and not line.startswith("#")}


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    allowed = _allowed_skips()
    unexpected = sorted(
        {report.nodeid for report in reporter.stats.get("skipped", []) if report.nodeid not in allowed}
    )
    if unexpected:
        reporter.write_line(
            f"{len(unexpected)} skipped test(s) not in .ci/allowed-skips: " + ", ".join(unexpected), red=True
        )
        if session.exitstatus == pytest.ExitCode.OK:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session", autouse=True)
def _clean_test_redis_keys() -> Iterator[None]:
    """Drop this run's cache entries and queued tasks (only this run's: runs may overlap)."""
    yield
    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter(match=f"*{settings.TEST_RUN_ID}*", count=1000):
        client.delete(key)


@pytest.fixture(autouse=True)
def _fresh_public_lists() -> None:
    """Every test starts with no cached public list: the cache outlives the rolled-back or flushed
    rows of the test before, which announced no change (see marketplace.core.public_lists)."""
    from marketplace.core.public_lists import public_lists

    for public in public_lists():
        public.bump()


@pytest.fixture
def api() -> APIClient:
    """A REST framework test client (the API tests of every app)."""
    return APIClient()


@pytest.fixture
def artifacts_dir() -> Path:
    """Where tests leave screenshots and logs for people to look at (kept by CI, ignored by git)."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR


@pytest.fixture(autouse=True)
def _joinable_eager_results() -> None:
    """Celery keeps "a task is running, joining would block" in one process-wide flag that each
    eager apply_async sets and then restores. Two threads of a race test interleave those
    save/restore pairs and can leave it set, after which any later `EagerResult.get()` raises
    "Never call result.get() within a task". No task runs between tests, so clear it."""
    from celery.result import _set_task_join_will_block

    _set_task_join_will_block(False)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path) -> Path:
    """Every test stores uploads in its own empty folder, so a test can assert what is on disk."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def celery_worker(transactional_db, settings, media_root, artifacts_dir):
    """A real Celery worker process on the test database and the test Redis broker."""
    log = artifacts_dir / "logs" / "celery-worker.log"
    with running(celery_worker_command(), env=env_on_test_database(settings), log=log) as worker:
        yield worker


@pytest.fixture(scope="session")
def fake_stripe_server() -> Iterator[FakeStripe]:
    """The local fake Stripe (escrow/fake_stripe), one process for the whole test run."""
    log = ARTIFACTS_DIR / "logs" / f"fake-stripe-{settings.TEST_RUN_ID}.log"
    with start_fake_stripe(log) as fake:
        yield fake


@pytest.fixture
def stripe_fake(fake_stripe_server: FakeStripe, settings) -> FakeStripe:
    """The fake Stripe, emptied, with the project's gateway (and any server or worker a test starts
    with ``env_on_test_database``) pointed at it."""
    fake_stripe_server.reset()
    settings.STRIPE_API_BASE = fake_stripe_server.url
    settings.STRIPE_SECRET_KEY = fake_stripe_server.secret_key
    settings.STRIPE_PUBLISHABLE_KEY = fake_stripe_server.publishable_key
    settings.STRIPE_JS_URL = fake_stripe_server.js_url
    settings.STRIPE_TIMEOUT_SECONDS = 3.0
    return fake_stripe_server


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker, fake_stripe_server, tmp_path_factory):
    """The permission matrix's world (tests/support/world.py), built once per module in a transaction
    rolled back after it; uploads in its own folder, Stripe calls to the local fake. allauth's rate
    limits (kept in the cache, which no rollback undoes) are off here: the matrix's empty logins and
    sign-ups would count against the suite's later tests."""
    from tests.support.world import build_world  # imports every app: only once Django is set up

    overrides = {
        "MEDIA_ROOT": tmp_path_factory.mktemp("matrix-media"),
        "STRIPE_API_BASE": fake_stripe_server.url,
        "STRIPE_SECRET_KEY": fake_stripe_server.secret_key,
        "STRIPE_PUBLISHABLE_KEY": fake_stripe_server.publishable_key,
        "ACCOUNT_RATE_LIMITS": False,
    }
    saved = {name: getattr(settings, name) for name in overrides}
    for name, value in overrides.items():
        setattr(settings, name, value)
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        built.media_root = overrides["MEDIA_ROOT"]
        yield built
        transaction.set_rollback(True)
    for name, value in saved.items():
        setattr(settings, name, value)
