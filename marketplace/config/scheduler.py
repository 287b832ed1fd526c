"""Celery beat in a thread of the embedded process, so periodic tasks run with no extra process.

The schedule is the same ``beat_schedule`` the production ``beat`` service reads; with
``task_always_eager`` each due task runs in this thread instead of going through a broker.
"""

from celery.beat import EmbeddedService
from django.conf import settings

from .celery import app


def start_in_process_scheduler() -> EmbeddedService:
    # Beat runs a registered task eagerly but hands an unknown name to send_task, which ignores
    # eager mode and would drop it on the in-memory broker: register every task module first.
    app.loader.import_default_modules()
    service = EmbeddedService(app, thread=True, schedule_filename=settings.CELERY_BEAT_SCHEDULE_FILENAME)
    service.start()
    return service
