from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {
        "site_name": settings.SITE_NAME,
        # django-csp's lazy per-request nonce, under the name django-htmx's {% htmx_script %} reads.
        "csp_nonce": getattr(request, "csp_nonce", ""),
    }
