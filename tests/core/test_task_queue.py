"""The after-commit task queue: services send tasks by name, after commit, eagerly or to a worker."""

import sys

import pytest
import redis
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from marketplace.config.celery import app as celery_app
from marketplace.core.models import Heartbeat
from marketplace.core.task_queue import UnknownTask, queue_task_on_commit, task_named
from tests.support.processes import project_env, run, wait_until

HEARTBEAT = "core.record_heartbeat"  # a real task with a visible effect: it writes a row
BROKER_QUEUE = settings.CELERY_TASK_DEFAULT_QUEUE  # this run's queue, a Redis list on the broker


class Boom(Exception):
    pass


@pytest.fixture
def eager():
    """Tasks run at once in this process, as in the embedded default."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def broker_queue():
    """The test broker's default queue, emptied before and after (no worker consumes it here)."""
    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(BROKER_QUEUE)
    yield client
    client.delete(BROKER_QUEUE)


def _queue_heartbeat() -> None:
    queue_task_on_commit(HEARTBEAT, source=Heartbeat.Source.WEB, sent_at=timezone.now().isoformat())


@transaction.atomic
def _queue_heartbeat_and_fail() -> None:
    _queue_heartbeat()
    raise Boom


def test_an_eager_task_runs_when_the_transaction_commits_not_before(transactional_db, eager):
    with transaction.atomic():
        _queue_heartbeat()
        assert not Heartbeat.objects.exists()
    assert Heartbeat.objects.get().source == Heartbeat.Source.WEB


def test_a_task_queued_in_a_savepoint_that_rolls_back_is_not_sent(transactional_db, broker_queue):
    with transaction.atomic():
        with pytest.raises(Boom):
            _queue_heartbeat_and_fail()  # its own savepoint
        _queue_heartbeat()
    assert broker_queue.llen(BROKER_QUEUE) == 1  # the one queued outside the savepoint


def test_a_task_goes_to_the_broker_only_when_the_transaction_commits(transactional_db, broker_queue):
    with pytest.raises(Boom):
        _queue_heartbeat_and_fail()
    assert broker_queue.llen(BROKER_QUEUE) == 0

    with transaction.atomic():
        _queue_heartbeat()
        assert broker_queue.llen(BROKER_QUEUE) == 0
    assert broker_queue.llen(BROKER_QUEUE) == 1


def test_a_worker_runs_a_task_queued_after_commit(celery_worker, artifacts_dir):
    with transaction.atomic():
        _queue_heartbeat()
    heartbeat = wait_until(
        lambda: Heartbeat.objects.filter(source=Heartbeat.Source.WEB).first(),
        timeout=60,
        message=lambda: (artifacts_dir / "logs" / "celery-worker.log").read_text(),
    )
    assert heartbeat.worker


def test_an_unknown_name_fails_at_once_and_queues_nothing(db, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(UnknownTask, match=r"core\.no_such_task"),
    ):
        queue_task_on_commit("core.no_such_task", 1)
    assert callbacks == []


def test_a_send_that_fails_after_commit_is_logged_not_raised(
    db, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(task_named(HEARTBEAT), "apply_async", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        _queue_heartbeat()
    assert f"Task {HEARTBEAT}() was not sent" in caplog.text
    assert "connection refused" in caplog.text


def test_a_task_whose_module_nothing_imported_yet_is_found_by_name():
    """A fresh process (a web worker, say) has not imported every tasks module: the lookup does."""
    script = (
        "import sys, django; django.setup(); "
        "print('marketplace.accounts.tasks' in sys.modules); "
        "from marketplace.core.task_queue import task_named; "
        "print(task_named('accounts.image_make_renditions').name)"
    )
    env = project_env(DJANGO_SETTINGS_MODULE="marketplace.config.settings.test")
    output = run([sys.executable, "-c", script], env=env).stdout.split()
    assert output == ["False", "accounts.image_make_renditions"]
