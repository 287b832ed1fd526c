"""The URL map: pages, accounts (allauth), the REST API and its docs, health probes, admin."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from marketplace.accounts.api.urls import urlpatterns as accounts_api_urlpatterns
from marketplace.core import views as core_views
from marketplace.organisations.api.urls import urlpatterns as organisations_api_urlpatterns

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    # allauth's own JSON API for sign-up, login, verification and two-factor (browser and app clients),
    # without its phone-number endpoints (accounts have none).
    re_path(
        r"^_allauth/(?:browser|app)/v1/(?:account/phone|auth/phone/verify(?:/resend)?)$",
        core_views.phone_not_supported,
    ),
    path("_allauth/", include("allauth.headless.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI (from drf-spectacular-sidecar's static files) writes one <style> element; that
    # page alone may use inline styles. Its scripts are static files, allowed as always.
    path(
        "api/docs/",
        csp_update({"style-src": [UNSAFE_INLINE]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema")
        ),
        name="api-docs",
    ),
    path("", include("escrow.urls")),
    # One namespace, "api", for the accounts and organisations routes (one app until they were split).
    path("api/", include((accounts_api_urlpatterns + organisations_api_urlpatterns, "api"))),
    path("api/", include("marketplace.jobs.api.urls")),
    path("api/", include("marketplace.contracts.api.urls")),
    path("api/", include("marketplace.disputes.api.urls")),
    path("api/", include("marketplace.hourly.api.urls")),
    path("api/", include("marketplace.statements.api.urls")),
    path("api/", include("messaging.api.urls")),
    path("api/", include("reviews.api.urls")),
    path("api/", include("search.api.urls")),
    # Any character, newlines included (``path:`` stops at one, and the page's HTML 404 answered).
    re_path(r"^api/(?P<path>(?s:.*))$", core_views.api_not_found),
    path("", include("marketplace.accounts.urls")),
    path("", include("frontend.urls")),
]

if settings.SERVE_MEDIA:
    # The embedded default and tests serve uploads from the process; production lets nginx do it.
    # Attachments and profile images are not public: only the checked views hand them out.
    urlpatterns.append(path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", core_views.media))
