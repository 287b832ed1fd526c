"""Settings shared by every profile.

Everything that differs between deployments comes from the environment (django-environ); the
profiles (``embedded``, ``test``, ``production``) only choose defaults and backends.
"""

import logging
from pathlib import Path
from urllib.parse import urlsplit

import environ
import structlog
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parents[3]

env = environ.Env()

SITE_NAME = env("SITE_NAME", default="Marketplace")
# Who runs the platform, as every receipt names it: the legal name and the postal address (lines
# separated by "|"); an empty address is left off. Set both in production.
PLATFORM_LEGAL_NAME = env("PLATFORM_LEGAL_NAME", default=SITE_NAME)
PLATFORM_LEGAL_ADDRESS = env("PLATFORM_LEGAL_ADDRESS", default="").replace("|", "\n")
# The public address, for links in emails sent outside a request (invitations, notifications).
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
DATA_DIR = Path(env("MARKETPLACE_DATA_DIR", default=str(BASE_DIR / "var")))


def database(default: str | None = None) -> dict:
    """DATABASE_URL's database (``default`` when unset). On PostgreSQL psycopg prepares a statement
    of a server-binding cursor once it has run DB_PREPARE_THRESHOLD times (default 5): only the
    ledger's postings use such a cursor (``escrow.services.ledger``); Django's own bind on the
    client and never prepare. Behind PgBouncer in transaction mode, that needs PgBouncer 1.21+ with
    ``max_prepared_statements`` set, or DB_PREPARE_THRESHOLD=off."""
    config = env.db("DATABASE_URL", default=default) if default else env.db("DATABASE_URL")
    if config["ENGINE"] == "django.db.backends.postgresql":
        threshold = env("DB_PREPARE_THRESHOLD", default="5")
        config.setdefault("OPTIONS", {})["prepare_threshold"] = None if threshold == "off" else int(threshold)
    return config


DEBUG = env.bool("DEBUG", default=False)
# How many proxies of ours stand in front of the app, each appending to X-Forwarded-For (the
# compose stack's nginx: 1). The client's address is the entry the outermost one appended; with 0
# the header is ignored. The API throttles, allauth's rate limits and the request log all follow
# it (marketplace/core/client_address.py). Too high, and clients choose their own address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "channels",
    "csp",
    "django_htmx",
    "django_structlog",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.headless",
    "guardian",
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    # Ours, in layer order (top to bottom); see docs/architecture.md.
    "marketplace.demo",
    "frontend",
    "search",
    "messaging",
    "reviews",
    "marketplace.statements",
    "marketplace.disputes",
    "marketplace.hourly",
    "marketplace.contracts",
    "marketplace.jobs",
    "marketplace.organisations",
    "marketplace.accounts",
    "escrow",
    "marketplace.core",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # allauth's headless JSON endpoints parse bodies themselves: refuse too deep JSON first.
    "marketplace.core.json_nesting.HeadlessJsonNestingMiddleware",
    "marketplace.accounts.middleware.SuspendedUserMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # django-csp's, with the header of a response that changes nothing built once (core/csp.py).
    "marketplace.core.csp.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # django-structlog's, one line per request and a cheap client address (core/request_log.py).
    "marketplace.core.request_log.RequestLogMiddleware",
    # A service's 403/404 escaping a page view: the refusal page with that status (frontend/refusals.py).
    "frontend.refusals.RefusalMiddleware",
]

ROOT_URLCONF = "marketplace.config.urls"
# JSON under /api/ and /_allauth/, Django's page elsewhere.
CSRF_FAILURE_VIEW = "marketplace.core.views.csrf_failure"
WSGI_APPLICATION = "marketplace.config.wsgi.application"
ASGI_APPLICATION = "marketplace.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # frontend's templates first: they override the third-party apps' (allauth's pages and
        # elements), which come earlier in INSTALLED_APPS and would otherwise win.
        "DIRS": [BASE_DIR / "frontend" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "frontend.context_processors.site",
                "frontend.context_processors.notifications",
                "frontend.context_processors.conversations",
                "frontend.context_processors.realtime",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "frontend:dashboard"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(DATA_DIR / "media")))
SERVE_MEDIA = env.bool("SERVE_MEDIA", default=True)
# Folders under MEDIA_ROOT that the media route never serves (lower case): attached files (core.StoredFile)
# and profile images, handed out only by views that check who asks (marketplace/core/files,
# marketplace/accounts/views.py; deploy/nginx.conf denies them).
PRIVATE_MEDIA_DIRS = ("attachments", "images")
# How long browsers and shared caches may keep a public profile's picture (pool-only ones: never).
PROFILE_IMAGE_CACHE_SECONDS = env.int("PROFILE_IMAGE_CACHE_SECONDS", default=3600)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Content Security Policy: nothing from other hosts, no inline script without the page's nonce,
# no inline styles — except Stripe.js, which Stripe requires from its own host (or the local fake's).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "connect-src": [SELF],  # includes ws:/wss: to this host (CSP level 3)
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Accounts (django-allauth): email login, mandatory verification, optional TOTP with recovery codes.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
# Registration answers "this address is taken" (a clear error beats a silent email); allauth's
# rate limits (on by default) bound how fast anyone can probe addresses that way.
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_SIGNUP_FORM_CLASS = "marketplace.accounts.forms.SignupExtraForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# Tell the account's address when its password, email addresses or two-factor set-up change, so
# someone who did not make the change hears of it.
ACCOUNT_EMAIL_NOTIFICATIONS = True
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# Accept the code of the 30-second step before or after the current one: a phone clock a few
# seconds off, or a code typed as it rolls over, should not lock anyone out (RFC 6238 section 5.2).
MFA_TOTP_TOLERANCE = 1
# allauth asks our adapter for the client's address (core/client_address.py); its own setting is
# kept in step for any code path that reads it directly.
ACCOUNT_ADAPTER = "marketplace.accounts.adapter.AccountAdapter"
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# Failed logins (allauth's own defaults, written down): 10 a minute per client address, and 5 per
# 5 minutes per account (email) from anywhere, so guessing one account's password from many
# addresses is slow too. The rest of allauth's limits (login, sign-up, password reset) keep their
# defaults; all count per client address as above.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
HEADLESS_ONLY = False
HEADLESS_CLIENTS = ("browser", "app")
HEADLESS_SERVE_SPECIFICATION = False
HEADLESS_FRONTEND_URLS = {
    "account_confirm_email": "/accounts/confirm-email/{key}/",
    "account_reset_password_from_key": "/accounts/password/reset/key/{key}/",
    "account_signup": "/accounts/signup/",
}
TERMS_VERSION = env("TERMS_VERSION", default="2026-11")

# django-guardian: object permissions live in direct foreign-key tables; no anonymous user row.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# Uploads: Pillow decodes at most this many pixels (its own default, ~89 MP, is too lax).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
UPLOAD_MAX_PIXELS = env.int("UPLOAD_MAX_PIXELS", default=25_000_000)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Money: the currencies a price can be in (ISO 4217); amounts are integer minor units.
CURRENCIES = env.list("CURRENCIES", default=["USD", "EUR", "GBP"])
# Fees in basis points (500 = 5 %), snapshotted on each offer; an organisation may override them.
PLATFORM_CLIENT_FEE_BP = env.int("PLATFORM_CLIENT_FEE_BP", default=500)
PLATFORM_FREELANCER_FEE_BP = env.int("PLATFORM_FREELANCER_FEE_BP", default=1000)

# Jobs, proposals and offers.
JOB_OPEN_DAYS = env.int("JOB_OPEN_DAYS", default=30)
JOB_EXPIRY_WARNING_DAYS = env.int("JOB_EXPIRY_WARNING_DAYS", default=5)
OFFER_EXPIRY_DAYS = env.int("OFFER_EXPIRY_DAYS", default=7)
# New proposals a freelancer may submit per UTC day (no credits, no paid boosts). The cap grows with
# reputation: a published job success score of at least each tier's score raises it to that tier's
# cap (PROPOSAL_DAILY_CAP_BY_JSS="90:30,75:20" means 30 a day from a score of 90, 20 from 75).
PROPOSAL_DAILY_CAP = env.int("PROPOSAL_DAILY_CAP", default=10)
PROPOSAL_DAILY_CAP_BY_JSS = sorted(
    (
        (int(score), int(cap))
        for score, cap in (
            tier.split(":") for tier in env.list("PROPOSAL_DAILY_CAP_BY_JSS", default=["90:30", "75:20"])
        )
    ),
    reverse=True,
)
# Talent pool invitations (each emails someone who did not ask) in any 24 hours, per inviter and
# per organisation; more answer 429.
POOL_INVITES_PER_INVITER_PER_DAY = env.int("POOL_INVITES_PER_INVITER_PER_DAY", default=50)
POOL_INVITES_PER_ORGANISATION_PER_DAY = env.int("POOL_INVITES_PER_ORGANISATION_PER_DAY", default=200)
# The longest a pool override may last (PRODUCT.md: at most 90 days).
POOL_OVERRIDE_MAX_DAYS = env.int("POOL_OVERRIDE_MAX_DAYS", default=90)
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
ATTACHMENTS_MAX_COUNT = env.int("ATTACHMENTS_MAX_COUNT", default=5)
# Anonymous visitors' public lists (find work, profiles) are cached this long at most; a change
# shows at once, but one made by a QuerySet.update() nobody announced may take this long. 0: off.
PUBLIC_LIST_CACHE_SECONDS = env.int("PUBLIC_LIST_CACHE_SECONDS", default=30)
# A websocket event for more people than this is pushed by a task, not in the writer's commit hook.
REALTIME_FANOUT_INLINE_MAX = env.int("REALTIME_FANOUT_INLINE_MAX", default=50)
# Every pushed event is kept this long for pages that reconnect (older ones: told to reload); a page
# asking for more than USER_EVENTS_REPLAY_MAX at once is told to reload too.
USER_EVENTS_KEEP_DAYS = env.int("USER_EVENTS_KEEP_DAYS", default=7)
USER_EVENTS_REPLAY_MAX = env.int("USER_EVENTS_REPLAY_MAX", default=1000)
# An open page pings this often; a user "had an open page at T" if last_seen_at >= T - this (the
# email digest asks it).
REALTIME_HEARTBEAT_SECONDS = env.int("REALTIME_HEARTBEAT_SECONDS", default=30)
# Conversations: messages one person may post per minute (more answer 429), and how long a sender
# may edit or delete a message.
MESSAGES_PER_MINUTE = env.int("MESSAGES_PER_MINUTE", default=20)
MESSAGE_EDIT_WINDOW_SECONDS = env.int("MESSAGE_EDIT_WINDOW_SECONDS", default=900)
# Email: everything but offers, money and review reminders waits this long unread (with no open page)
# before it may go into a digest, and one person gets at most one digest per DIGEST_MIN_INTERVAL_MINUTES.
DIGEST_DELAY_MINUTES = env.int("DIGEST_DELAY_MINUTES", default=10)
DIGEST_MIN_INTERVAL_MINUTES = env.int("DIGEST_MIN_INTERVAL_MINUTES", default=30)

# Milestones: a submission nobody answers is approved after this many days (each revision request
# restarts the clock); a cancelled contract's funded milestones are refunded after the window in
# which the freelancer may dispute.
MILESTONE_AUTO_APPROVE_DAYS = env.int("MILESTONE_AUTO_APPROVE_DAYS", default=14)
# Hourly contracts (marketplace/hourly/weeks.py): a week (Monday to Sunday, UTC) is billed this many
# hours after it ends, so Sunday's last hours can still be logged on Monday morning; the client's
# review ends on Friday 23:59:59 UTC, at least this many days after the money arrived.
HOURLY_BILLING_DELAY_HOURS = env.int("HOURLY_BILLING_DELAY_HOURS", default=12)
HOURLY_REVIEW_MIN_DAYS = env.int("HOURLY_REVIEW_MIN_DAYS", default=2)
CANCEL_REFUND_AFTER_DAYS = env.int("CANCEL_REFUND_AFTER_DAYS", default=3)
# Disputes (PRODUCT.md "Disputes"): the other side has this many days to respond before support
# steps in; support's target is a decision within this many business days of the escalation.
DISPUTE_RESPONSE_DAYS = env.int("DISPUTE_RESPONSE_DAYS", default=3)
DISPUTE_DECISION_BUSINESS_DAYS = env.int("DISPUTE_DECISION_BUSINESS_DAYS", default=1)

# Reviews and reputation (PRODUCT.md "Reviews and reputation"). Both sides may review for this many
# days after a contract ends, reminded on these days of the window; the job success score looks
# back JSS_PERIOD_MONTHS (JSS_LONG_PERIOD_MONTHS when fewer than JSS_LONG_PERIOD_BELOW contracts
# ended in the short period) and is shown from JSS_MIN_ENDED_CONTRACTS ended contracts.
REVIEW_WINDOW_DAYS = env.int("REVIEW_WINDOW_DAYS", default=14)
REVIEW_REMINDER_DAYS = env.list("REVIEW_REMINDER_DAYS", cast=int, default=[3, 10])
JSS_PERIOD_MONTHS = env.int("JSS_PERIOD_MONTHS", default=12)
JSS_LONG_PERIOD_MONTHS = env.int("JSS_LONG_PERIOD_MONTHS", default=24)
JSS_LONG_PERIOD_BELOW = env.int("JSS_LONG_PERIOD_BELOW", default=5)
JSS_MIN_ENDED_CONTRACTS = env.int("JSS_MIN_ENDED_CONTRACTS", default=3)

# Search (docs/search.md). SEARCH_BACKENDS is shaped like CACHES. Without ELASTICSEARCH_URL the
# database backend serves: PostgreSQL full text on PostgreSQL, SQLite FTS5 (its own file) otherwise.
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
SEARCH_BACKENDS = {
    "default": {
        "BACKEND": "search.backends.elasticsearch.ElasticsearchSearchBackend"
        if ELASTICSEARCH_URL
        else "search.backends.database.DatabaseSearchBackend",
        "OPTIONS": {
            "URL": ELASTICSEARCH_URL,
            "INDEX_PREFIX": env("SEARCH_INDEX_PREFIX", default="marketplace"),
            "SQLITE_PATH": env("SEARCH_SQLITE_PATH", default=str(DATA_DIR / "search.sqlite3")),
        },
    }
}
# Talent ranking: relevance * (base + rating * stars/5 + jss * JSS/100), PRODUCT.md's blend.
SEARCH_RANKING = {
    "base": env.float("SEARCH_RANK_BASE", default=0.7),
    "rating": env.float("SEARCH_RANK_RATING", default=0.15),
    "jss": env.float("SEARCH_RANK_JSS", default=0.15),
}
# Saved job searches: at most this many per person; their alerts (search.saved_search_alerts, on the
# beat below) look back this far past what they announced, for jobs that reached the index late.
SAVED_SEARCHES_MAX = env.int("SAVED_SEARCHES_MAX", default=20)
SAVED_SEARCH_ALERT_LAG_MINUTES = env.int("SAVED_SEARCH_ALERT_LAG_MINUTES", default=60)

# Stripe (escrow/gateway.py is the only module that talks to it). With no STRIPE_SECRET_KEY the
# embedded default and the tests use the local fake Stripe (escrow/fake_stripe) at STRIPE_API_BASE.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="sk_test_fake")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="pk_test_fake")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="whsec_fake_local")
# Empty: Stripe itself. Otherwise the base URL of an API that speaks Stripe's (the local fake).
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
STRIPE_JS_URL = env("STRIPE_JS_URL", default="https://js.stripe.com/v3/")
STRIPE_TIMEOUT_SECONDS = env.float("STRIPE_TIMEOUT_SECONDS", default=20.0)
# The Stripe API version every call asks for (the Stripe-Version header): the object shapes
# escrow/gateway.py reads are this version's, whatever the account's default. Move it only with
# the gateway's tests passing on the new version.
STRIPE_API_VERSION = env("STRIPE_API_VERSION", default="2026-10-28.endive")
# The country new payees' Connect Express accounts are opened in.
STRIPE_CONNECT_COUNTRY = env("STRIPE_CONNECT_COUNTRY", default="US")
# A transfer or refund the processor refuses is tried again this many times in all, the wait
# doubling from PAYOUT_RETRY_BACKOFF_SECONDS; then it is "stuck" and staff take over.
PAYOUT_RETRY_MAX_ATTEMPTS = env.int("PAYOUT_RETRY_MAX_ATTEMPTS", default=5)
PAYOUT_RETRY_BACKOFF_SECONDS = env.int("PAYOUT_RETRY_BACKOFF_SECONDS", default=300)
# Transfers to a connected account wait this long after its payout details (bank account) change.
PAYOUT_PAUSE_HOURS = env.int("PAYOUT_PAUSE_HOURS", default=72)
# How long a charge's money may wait for its transfer (Stripe's limit for connected accounts
# outside the US is 90 days): both sides are warned at the first, the money handled at the second.
HOLD_AGE_WARNING_DAYS = env.int("HOLD_AGE_WARNING_DAYS", default=60)
HOLD_AGE_LIMIT_DAYS = env.int("HOLD_AGE_LIMIT_DAYS", default=90)
# An open charge older than a day is read again with a growing wait, at most this long.
CHARGE_RECHECK_MAX_SECONDS = env.int("CHARGE_RECHECK_MAX_SECONDS", default=86_400)
# The reconciliation (escrow.ledger_reconcile, nightly and the /ops/ button) compares the ledger with
# Stripe's objects made in the last RECONCILIATION_WINDOW_DAYS, up to RECONCILIATION_GRACE_SECONDS
# ago (money still moving, such as a webhook not yet processed, is left to the next run).
RECONCILIATION_WINDOW_DAYS = env.int("RECONCILIATION_WINDOW_DAYS", default=35)
RECONCILIATION_GRACE_SECONDS = env.int("RECONCILIATION_GRACE_SECONDS", default=900)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# Stripe.js loads from Stripe's host (or the fake's), calls its API and frames its 3-D Secure page.
_STRIPE_DIRECTIVES = CONTENT_SECURITY_POLICY["DIRECTIVES"]
_STRIPE_DIRECTIVES["script-src"].append(_origin(STRIPE_JS_URL))
_STRIPE_DIRECTIVES["connect-src"].append(
    _origin(STRIPE_API_BASE) if STRIPE_API_BASE else "https://api.stripe.com"
)
# Payout onboarding: a form posts to us and we redirect to Stripe's (or the fake's) page.
_STRIPE_DIRECTIVES["form-action"].append(
    _origin(STRIPE_API_BASE) if STRIPE_API_BASE else "https://connect.stripe.com"
)
_STRIPE_DIRECTIVES["frame-src"] = [_origin(STRIPE_JS_URL), "https://hooks.stripe.com"]

REST_FRAMEWORK = {
    # Every API view's (marketplace.core.rest.views.ApiView): the session of the site's own pages,
    # then an organisation's API key (X-Api-Key).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "marketplace.core.rest.authentication.CsrfCheckedSessionAuthentication",
        "marketplace.organisations.api.authentication.OrganisationAPIKeyAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "EXCEPTION_HANDLER": "marketplace.core.api.exception_handler",
    "DEFAULT_METADATA_CLASS": "marketplace.core.api_metadata.ApiMetadata",
    # DRF's three, with a nesting limit on JSON (core/json_nesting.py).
    "DEFAULT_PARSER_CLASSES": [
        "marketplace.core.json_nesting.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "marketplace.core.throttling.AddressRateThrottle",
        "marketplace.core.throttling.AccountRateThrottle",
        "marketplace.core.throttling.ApiKeyRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="120/min"),
        "user": env("API_THROTTLE_USER", default="1200/min"),
        "api_key": env("API_THROTTLE_API_KEY", default="1200/min"),
    },
    # Our throttles ask marketplace.core.client_address; this keeps DRF's own reading the same.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{SITE_NAME} API",
    "DESCRIPTION": 'The marketplace\'s REST API. Errors are JSON: {"error": {"code", "message", "fields"}}.',
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema's own view keeps DRF's plain session authentication (the API's default above
    # would refuse it to a request carrying a stale API key).
    "SERVE_AUTHENTICATION": ["rest_framework.authentication.SessionAuthentication"],
    "SWAGGER_UI_DIST": "SIDECAR",
    # Tags start folded: with every operation unfolded, Swagger UI (the sidecar's 5.x) stopped
    # drawing after the second tag once the API passed about 130 operations, silently.
    "SWAGGER_UI_SETTINGS": {"docExpansion": "none"},
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # spectacular's own (enum components), then the 429 and paged 404 every operation may answer.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "marketplace.core.rest.schema.document_common_errors",
    ],
    # Several models have a field named "status" (or a role) with different choices: name them.
    "ENUM_NAME_OVERRIDES": {
        "MilestoneActionEnum": "marketplace.contracts.permissions.MILESTONE_ACTION_NAMES",
        "InvitationStatusEnum": "marketplace.organisations.models.Invitation.Status",
        "PoolMembershipStatusEnum": "marketplace.organisations.models.PoolMembership.Status",
        "PoolVisibilityEnum": "marketplace.organisations.models.TalentPool.Visibility",
        "RequirementKindEnum": "marketplace.organisations.api.pool_settings_serializers.REQUIREMENT_KINDS",
        "PoolJoinPolicyEnum": "marketplace.organisations.models.TalentPool.JoinPolicy",
        "CredentialKindEnum": "marketplace.organisations.models.Credential.Kind",
        "CredentialStatusEnum": "marketplace.organisations.models.Credential.Status",
        "RequirementResultStatusEnum": "marketplace.organisations.models.ResultStatus",
        "PoolOverrideStatusEnum": "marketplace.organisations.models.PoolOverride.Status",
        "TaxFormEnum": "marketplace.organisations.requirements.kinds.FORM_CHOICES",
        "RoleEnum": "marketplace.organisations.models.Role",
        "ProfileVisibilityEnum": "marketplace.accounts.models.profiles.Visibility",
        "JobStatusEnum": "marketplace.jobs.models.Job.Status",
        "JobVisibilityEnum": "marketplace.jobs.models.Job.Visibility",
        "JobInvitationStatusEnum": "marketplace.jobs.models.JobInvitation.Status",
        "ProposalStatusEnum": "marketplace.jobs.models.Proposal.Status",
        "OfferStatusEnum": "marketplace.jobs.models.Offer.Status",
        "ContractStatusEnum": "marketplace.contracts.models.Contract.Status",
        "TimesheetStatusEnum": "marketplace.hourly.models.Timesheet.Status",
        "TimeEntrySourceEnum": "marketplace.hourly.models.TimeEntry.Source",
        "MilestoneStatusEnum": "marketplace.contracts.models.Milestone.Status",
        "NotificationKindEnum": "messaging.models.Notification.Kind",
        "ReportReasonEnum": "messaging.models.Report.Reason",
        "ReportStatusEnum": "messaging.models.Report.Status",
        "DisputeKindEnum": "marketplace.disputes.models.Dispute.Kind",
        "DisputeStatusEnum": "marketplace.disputes.models.Dispute.Status",
        "DisputeReasonEnum": "marketplace.disputes.models.Dispute.Reason",
        "DisputeOpenReasonEnum": "marketplace.disputes.api.serializers.disputes.OPEN_REASONS",
        "DisputeSideEnum": "marketplace.disputes.models.Dispute.Side",
        "DisputeOutcomeEnum": "marketplace.disputes.models.Dispute.Outcome",
        "SettlementOfferStatusEnum": "marketplace.disputes.models.SettlementOffer.Status",
        "ReviewDirectionEnum": "reviews.models.Review.Direction",
        "ReviewStateEnum": "reviews.api.serializers.REVIEW_STATES",
        "ReviewReportReasonEnum": "reviews.models.ReviewReport.Reason",
        "ReviewReportStatusEnum": "reviews.models.ReviewReport.Status",
    },
}
API_KEY_CUSTOM_HEADER = "HTTP_X_API_KEY"

# Redis serves the cache, the channel layer and the Celery broker where a profile enables it.
REDIS_URL = env("REDIS_URL", default="")

# The periodic tasks (Celery beat, or the embedded scheduler thread). The interval is a setting so
# that a smoke test can watch the scheduler work without waiting a minute.
CELERY_BEAT_SCHEDULE = {
    "expire-jobs-and-offers": {
        "task": "jobs.expire_due",
        "schedule": env.float("JOBS_EXPIRY_INTERVAL_SECONDS", default=300.0),
    },
    "approve-and-refund-milestones": {
        "task": "contracts.milestones_due",
        "schedule": env.float("MILESTONES_DUE_INTERVAL_SECONDS", default=300.0),
    },
    "release-reviewed-weeks": {
        "task": "hourly.release_due_weeks",
        "schedule": env.float("HOURLY_RELEASE_INTERVAL_SECONDS", default=300.0),
    },
    "escalate-disputes": {
        "task": "disputes.escalate_due",
        "schedule": env.float("DISPUTES_ESCALATE_INTERVAL_SECONDS", default=300.0),
    },
    "bill-due-hourly-weeks": {
        "task": "hourly.bill_due_weeks",
        "schedule": env.float("HOURLY_BILLING_INTERVAL_SECONDS", default=900.0),
    },
    "retry-payment-intents": {
        "task": "escrow.retry_intents",
        "schedule": env.float("ESCROW_RETRY_INTERVAL_SECONDS", default=60.0),
    },
    "handle-aging-holds": {
        "task": "escrow.holds_aging",
        "schedule": env.float("HOLDS_AGING_INTERVAL_SECONDS", default=86_400.0),
    },
    "reconcile-ledger-balances": {
        "task": "escrow.ledger_reconcile",
        "schedule": env.float("LEDGER_RECONCILE_INTERVAL_SECONDS", default=86_400.0),
    },
    "send-email-digests": {
        "task": "messaging.digests_send",
        "schedule": env.float("DIGEST_INTERVAL_SECONDS", default=60.0),
    },
    "prune-user-events": {
        "task": "messaging.user_events_prune",
        "schedule": env.float("USER_EVENTS_PRUNE_INTERVAL_SECONDS", default=3600.0),
    },
    "reveal-reviews-and-remind": {
        "task": "reviews.windows_due",
        "schedule": env.float("REVIEWS_INTERVAL_SECONDS", default=600.0),
    },
    "recompute-reputation": {
        "task": "reviews.reputation_recompute_all",
        "schedule": env.float("REPUTATION_RECOMPUTE_INTERVAL_SECONDS", default=86_400.0),
    },
    "send-pending-search-updates": {
        "task": "search.pending_sweep",
        "schedule": env.float("SEARCH_SWEEP_INTERVAL_SECONDS", default=60.0),
    },
    "reconcile-search-indexes": {
        "task": "search.reconcile",
        "schedule": env.float("SEARCH_RECONCILE_INTERVAL_SECONDS", default=3600.0),
    },
    "saved-search-alerts": {
        "task": "search.saved_search_alerts",
        "schedule": env.float("SAVED_SEARCH_ALERTS_INTERVAL_SECONDS", default=3600.0),
    },
    # Daily at 06:00 UTC (reminders arrive in the morning); POOLS_EXPIRY_INTERVAL_SECONDS runs it
    # every so many seconds instead (a smoke test, a demo).
    "pools-expiry-sweep": {
        "task": "organisations.expiry_sweep",
        "schedule": env.float("POOLS_EXPIRY_INTERVAL_SECONDS", default=0.0) or crontab(hour=6, minute=0),
    },
    "record-beat-heartbeat": {
        "task": "core.record_heartbeat",
        "schedule": env.float("HEARTBEAT_INTERVAL_SECONDS", default=60.0),
        "kwargs": {"source": "beat"},
    },
}
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Production serves plain HTTP through WSGI and only websockets through ASGI (ARCHITECTURE.md).
# The embedded profile runs everything, including the periodic tasks, in one ASGI process.
RUN_SCHEDULER_IN_PROCESS = False
RUN_FAKE_STRIPE = False

# Request ids: taken from the proxy's X-Request-ID (deploy/nginx.conf sets one) and carried into
# the Celery tasks a request sends, so one id follows the work through every log line.
DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = env.bool("TRUST_UPSTREAM_REQUEST_ID", default=True)
DJANGO_STRUCTLOG_CELERY_ENABLED = True
# One line per request: request_finished says all request_started did, and the status code.
DJANGO_STRUCTLOG_STATUS_START_LOG_LEVEL = logging.DEBUG

EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="no-reply@marketplace.localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL


def redis_channel_layer(url: str, *, prefix: str | None = None) -> dict:
    """The Redis pub/sub channel layer: no BZPOPMIN polling, so idle consumers are not dropped.

    Pub/sub channels ignore Redis database numbers, so deployments sharing one Redis server need
    different prefixes (CHANNEL_LAYER_PREFIX), or they would see each other's groups.
    """
    return {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [{"address": url}],
                "prefix": prefix or env("CHANNEL_LAYER_PREFIX", default="marketplace"),
            },
        }
    }


def logging_config(*, json: bool, level: str) -> dict:
    """stdlib logging routed through structlog; JSON lines in production, readable text elsewhere.
    Tracebacks in text are plain: structlog's default (rich, with every frame's local variables) took
    a third of a second per logged 403 and printed whatever secrets the locals held."""
    renderer = (
        structlog.processors.JSONRenderer()
        if json
        else structlog.dev.ConsoleRenderer(exception_formatter=structlog.dev.plain_traceback)
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structlog": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processor": renderer,
                "foreign_pre_chain": [
                    structlog.contextvars.merge_contextvars,
                    structlog.stdlib.add_log_level,
                    structlog.stdlib.add_logger_name,
                    structlog.processors.TimeStamper(fmt="iso"),
                ],
            },
        },
        "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "structlog"}},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            # WeasyPrint logs every rendering step of a PDF at INFO.
            "weasyprint": {"level": "WARNING"},
            "fontTools": {"level": "WARNING"},
            "django_structlog": {"level": level},
        },
    }


structlog.configure(
    processors=[
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.filter_by_level,
        structlog.processors.TimeStamper(fmt="iso"),
        structlog.stdlib.add_logger_name,
        structlog.stdlib.add_log_level,
        structlog.processors.StackInfoRenderer(),
        structlog.processors.format_exc_info,
        structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
    ],
    logger_factory=structlog.stdlib.LoggerFactory(),
    cache_logger_on_first_use=True,
)
