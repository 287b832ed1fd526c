"""The embedded default: the whole product in one ASGI process with nothing else to install.

SQLite in WAL mode, the in-memory channel layer, Celery tasks run eagerly (after commit, since
services send them from ``transaction.on_commit``), periodic tasks from a scheduler thread, and
email written to files under the data folder.
"""

import os
import secrets

# With no Stripe key the local fake Stripe serves in this process (escrow/local_fake.py) on
# STRIPE_FAKE_PORT, and the gateway and the card form's Stripe.js point at it.
_NO_STRIPE_KEY = not os.environ.get("STRIPE_SECRET_KEY")
if _NO_STRIPE_KEY:
    _fake = f"http://127.0.0.1:{os.environ.get('STRIPE_FAKE_PORT', '12111')}"
    os.environ.setdefault("STRIPE_API_BASE", _fake)
    os.environ.setdefault("STRIPE_JS_URL", f"{_fake}/js.stripe.com/v3/")

from .base import *  # noqa: E402, F403
from .base import DATA_DIR, MIDDLEWARE, database, env, logging_config  # noqa: E402

# Off by default: a wrong link shows the product's own 404 page, an error its 500 page (the
# traceback goes to the log). `make run DEBUG=1` turns on Django's debug pages.
DEBUG = env.bool("DEBUG", default=False)

DATA_DIR.mkdir(parents=True, exist_ok=True)


def _persistent_secret_key() -> str:
    """A random key made once per data folder, so sessions survive a restart."""
    path = DATA_DIR / "secret_key"
    if not path.exists():
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as key_file:
            key_file.write(secrets.token_urlsafe(50))
    return path.read_text().strip()


SECRET_KEY = env("SECRET_KEY", default=None) or _persistent_secret_key()

DATABASES = {"default": database(f"sqlite:///{DATA_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the scheduler thread write while pages read; IMMEDIATE avoids upgrade deadlocks.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

CELERY_BROKER_URL = "memory://"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
RUN_SCHEDULER_IN_PROCESS = True
RUN_FAKE_STRIPE = _NO_STRIPE_KEY

# Serve static files straight from the apps, no collectstatic step, whatever DEBUG says; gzipped
# for browsers that accept it (core/static_gzip.py), pages left alone.
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = True
# Look files up on each request, so an edited stylesheet is served as edited (WhiteNoise's
# default without DEBUG reads each file's size once at start and would send the old length).
WHITENOISE_AUTOREFRESH = True
_WHITENOISE = MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware")
MIDDLEWARE = [
    *MIDDLEWARE[:_WHITENOISE],
    "marketplace.core.static_gzip.StaticGZipMiddleware",
    *MIDDLEWARE[_WHITENOISE:],
]

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = DATA_DIR / "mail"

LOGGING = logging_config(json=False, level=env("LOG_LEVEL", default="INFO"))
