from django.urls import path

from .urls_accounts import urlpatterns as accounts_urlpatterns
from .urls_contracts import urlpatterns as contracts_urlpatterns
from .urls_jobs import urlpatterns as jobs_urlpatterns
from .urls_money import urlpatterns as money_urlpatterns
from .urls_notifications import urlpatterns as notifications_urlpatterns
from .urls_organisations import urlpatterns as organisations_urlpatterns
from .urls_work import urlpatterns as work_urlpatterns
from .views import account_basics, site

app_name = "frontend"

urlpatterns = [
    path("", site.landing, name="landing"),
    path("ops/", site.ops, name="ops"),
    path("ops/ping", site.ops_ping, name="ops_ping"),
    path("favicon.ico", site.favicon),
    path("terms/", account_basics.terms, name="terms"),
    path("account/suspended/", account_basics.suspended, name="suspended"),
    *accounts_urlpatterns,
    *organisations_urlpatterns,
    # Client side first: its fixed paths (/jobs/new/, /jobs/mine/) precede /jobs/<pk>/.
    *jobs_urlpatterns,
    *work_urlpatterns,
    *contracts_urlpatterns,
    *notifications_urlpatterns,
    *money_urlpatterns,
]
