"""The after-commit task queue: services send Celery tasks by their registered name.

Services never import tasks (tasks import services), so they name the task instead, as Zulip's
``queue_event_on_commit`` names a queue. The name is looked up in the Celery app's registry and
the task is sent with ``apply_async``, which honours ``task_always_eager`` (the embedded default
runs the task in the committing thread). ``app.send_task(name)`` would not: it always goes to the
broker, and the embedded default's in-memory broker has no consumer, so the task would be lost.
"""

import importlib
import importlib.util
import logging

from celery import Task, current_app
from django.apps import apps
from django.db import transaction

logger = logging.getLogger(__name__)


class UnknownTask(LookupError):
    """No task is registered under the name: a typo, or a task module that is not autodiscovered."""


def task_named(name: str) -> Task:
    """The task registered under ``name``; raises ``UnknownTask`` if there is none.

    A web process imports a task module only when something needs it, so on a miss every
    installed app's ``tasks`` module (what the Celery app autodiscovers) is imported before giving
    up. Not through ``app.loader.import_default_modules()``: that also runs Django's system checks
    (Celery's Django fixup), and Celery's own autodiscovery skips the imports when another thread
    is in it.
    """
    try:
        return current_app.tasks[name]
    except KeyError:
        pass
    for config in apps.get_app_configs():
        module = f"{config.name}.tasks"
        if hasattr(config.module, "__path__") and importlib.util.find_spec(module) is not None:
            importlib.import_module(module)
    try:
        return current_app.tasks[name]
    except KeyError:
        raise UnknownTask(f"No Celery task is registered as {name!r}.") from None


def queue_task_on_commit(name: str, *args, **kwargs) -> None:
    """Send the task ``name`` with these (JSON-serialisable) arguments once the current
    transaction commits; nothing is sent if it rolls back. Outside a transaction it is sent at once.

    The name is checked now, so a wrong one fails inside the caller's transaction. A failure after
    the commit (the broker refused the task or, run eagerly, the task raised) is logged, not raised:
    the change has committed and the caller's answer must not say otherwise. So every queued task
    needs a way to catch up (escrow's retry sweep; pages fall back to the original image).
    """
    task = task_named(name)

    def send() -> None:
        try:
            task.apply_async(args, kwargs)
        except Exception:
            logger.warning(
                "Task %s%r was not sent (or, run eagerly, failed) after commit", name, args, exc_info=True
            )

    transaction.on_commit(send)
