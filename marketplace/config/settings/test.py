"""The test profile: real PostgreSQL and Redis, as in production, with fast password hashing.

Celery tasks are not eager here: a test that needs one to run starts a real worker process.
"""

from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, env, logging_config, redis_channel_layer

SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"
DEBUG = False

DATABASES = {"default": env.db("DATABASE_URL", default="postgres:///marketplace")}
REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/1")

CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
CHANNEL_LAYERS = redis_channel_layer(REDIS_URL)
CELERY_BROKER_URL = REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "test-media")))

LOGGING = logging_config(json=False, level="WARNING")
