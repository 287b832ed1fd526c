from django.urls import path

from . import views

app_name = "frontend"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("ops/", views.ops, name="ops"),
    path("ops/ping", views.ops_ping, name="ops_ping"),
    path("favicon.ico", views.favicon),
]
