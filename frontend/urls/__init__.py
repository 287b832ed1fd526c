from django.urls import path

from ..views import account_basics, site
from .accounts import urlpatterns as accounts_urlpatterns
from .contracts import urlpatterns as contracts_urlpatterns
from .disputes import urlpatterns as disputes_urlpatterns
from .hourly import urlpatterns as hourly_urlpatterns
from .hourly_billing import urlpatterns as hourly_billing_urlpatterns
from .hourly_review import urlpatterns as hourly_review_urlpatterns
from .jobs import urlpatterns as jobs_urlpatterns
from .messages import urlpatterns as messages_urlpatterns
from .moderation import urlpatterns as moderation_urlpatterns
from .money import urlpatterns as money_urlpatterns
from .notifications import urlpatterns as notifications_urlpatterns
from .organisations import urlpatterns as organisations_urlpatterns
from .pools_members import urlpatterns as pools_members_urlpatterns
from .pools_settings import urlpatterns as pools_settings_urlpatterns
from .reviews import urlpatterns as reviews_urlpatterns
from .talent import urlpatterns as talent_urlpatterns
from .work import urlpatterns as work_urlpatterns

app_name = "frontend"

urlpatterns = [
    path("", site.landing, name="landing"),
    path("ops/", site.ops, name="ops"),
    path("ops/ping", site.ops_ping, name="ops_ping"),
    path("ops/reconciliation/run", site.ops_reconcile, name="ops_reconcile"),
    path(
        "ops/reconciliation/findings/<int:pk>/explain", site.ops_finding_explain, name="ops_finding_explain"
    ),
    path("favicon.ico", site.favicon),
    path("terms/", account_basics.terms, name="terms"),
    path("account/suspended/", account_basics.suspended, name="suspended"),
    *accounts_urlpatterns,
    *organisations_urlpatterns,
    *pools_settings_urlpatterns,
    *pools_members_urlpatterns,
    # Client side first: its fixed paths (/jobs/new/, /jobs/mine/) precede /jobs/<pk>/.
    *jobs_urlpatterns,
    *work_urlpatterns,
    *contracts_urlpatterns,
    *hourly_urlpatterns,
    *hourly_billing_urlpatterns,
    *disputes_urlpatterns,
    *hourly_review_urlpatterns,
    *notifications_urlpatterns,
    *messages_urlpatterns,
    *money_urlpatterns,
    *moderation_urlpatterns,
    *reviews_urlpatterns,
    *talent_urlpatterns,
]
