"""The production profile: PostgreSQL, Redis, JSON logs, and `check --deploy` clean.

Required: SECRET_KEY, DATABASE_URL, REDIS_URL, and Stripe's STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY
and STRIPE_WEBHOOK_SECRET (test-mode keys work the same). Behind a TLS-terminating proxy set
USE_X_FORWARDED_PROTO=true (the proxy must overwrite X-Forwarded-Proto).
"""

from .base import *  # noqa: F403
from .base import database, env, logging_config, redis_channel_layer

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET")

DATABASES = {"default": database()}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

REDIS_URL = env("REDIS_URL")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("CACHE_URL", default=REDIS_URL),
    }
}
CHANNEL_LAYERS = redis_channel_layer(REDIS_URL)
# The broker can live apart from the cache (e.g. another database number), so that an eviction
# policy meant for the cache can never drop queued tasks.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Health probes come from inside the cluster over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# EMAIL_URL such as smtp+tls://user:password@host:587 sets the backend, host, port and credentials.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))

LOGGING = logging_config(json=True, level=env("LOG_LEVEL", default="INFO"))
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=False)
