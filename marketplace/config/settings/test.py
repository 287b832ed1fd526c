"""The test profile: real PostgreSQL and Redis, as in production, with fast password hashing.

Celery tasks are not eager here: a test that needs one to run starts a real worker process.
"""

import os
from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, database, env, logging_config, redis_channel_layer

SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"
DEBUG = False

# Test runs may overlap on one machine (a developer's run beside CI's, or several sessions): each
# run has its own test database, cache key prefix, Celery queue and channel-layer prefix. Setting
# the variable here hands the same id to the servers and workers the tests start. Under
# pytest-xdist each pytest worker is a run of its own: the worker's name (inherited by the processes
# it starts) is part of the id. pytest-django gives each worker's test database the same suffix.
TEST_RUN_ID = os.environ.setdefault("TEST_RUN_ID", str(os.getpid())) + (
    f"_{os.environ['PYTEST_XDIST_WORKER']}" if "PYTEST_XDIST_WORKER" in os.environ else ""
)

DATABASES = {"default": database("postgres:///marketplace")}
DATABASES["default"]["TEST"] = {"NAME": f"test_marketplace_{os.environ['TEST_RUN_ID']}"}
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/1")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"test-{TEST_RUN_ID}",
    }
}
CHANNEL_LAYERS = redis_channel_layer(REDIS_URL, prefix=f"test-{TEST_RUN_ID}")
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_DEFAULT_QUEUE = f"test-{TEST_RUN_ID}"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "test-media")))

LOGGING = logging_config(json=False, level="WARNING")

# Every anonymous test request comes from 127.0.0.1; the throttle's own test lowers these again.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min", "api_key": "100000/min"},
}
