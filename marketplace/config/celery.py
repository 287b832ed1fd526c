"""The Celery app; the periodic-task schedule lives here, in code."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.config.settings.embedded")

app = Celery("marketplace")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    "record-beat-heartbeat": {
        "task": "core.record_heartbeat",
        "schedule": 60.0,
        "kwargs": {"source": "beat"},
    },
}
