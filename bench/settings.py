"""The production profile as the benchmarks serve it: DEBUG off, the same middleware, apps and
backends, plus the bench's URLconf (a constant view beside the product's URLs). Only the benchmark
processes (``bench/support.py``) use it; the product's URLs and settings stay as they are.
"""

import os

from marketplace.config.settings.production import *  # noqa: F403
from marketplace.config.settings.production import CACHES, DEBUG, REST_FRAMEWORK, STORAGES

assert not DEBUG

ROOT_URLCONF = "bench.urls"
# Overlapping runs on one machine share Redis: keys and the task queue carry the run's id.
CACHES["default"]["KEY_PREFIX"] = os.environ.get("CACHE_KEY_PREFIX", "bench")
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE", "bench")
# Pages look their static files up in a manifest, as in production; the bench serves no static
# file, so it skips the production storage's compression (a minute of collectstatic on these machines).
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
# The load comes from one machine; the throttles still run (one cache read and write a request),
# with every request from another address (bench/support.py) and a rate no run reaches.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000000/min", "user": "100000000/min", "api_key": "100000000/min"},
}
