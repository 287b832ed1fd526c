"""The bench's URLconf: a constant JSON view first, then every product URL unchanged."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path

CONSTANT_PATH = "/_bench/constant/"


def constant(request: HttpRequest) -> JsonResponse:
    """The anchor of the HTTP rows: no database, no template, the same middleware as every page."""
    return JsonResponse({"ok": True, "items": list(range(20))})


urlpatterns = [
    path(CONSTANT_PATH.strip("/") + "/", constant),
    path("", include("marketplace.config.urls")),
]
