"""The URL map: pages, health probes, admin."""

from django.contrib import admin
from django.urls import include, path

from marketplace.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("", include("frontend.urls")),
]
