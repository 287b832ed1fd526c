"""django-csp's middleware, with the header of a response that changes nothing built once.

django-csp builds the Content-Security-Policy header from the settings on every response, twice
(the policy and the report-only one), through ``dataclasses.asdict`` and a walk of every
directive: measured in process (``python -m bench.stack_cost``), that was the second most expensive
middleware of the stack. A response with no nonce used (no page script) and no per-view change
(``@csp_update``, ``@csp_replace``, ``@csp``, ``@csp_exempt``) gets the same header every time, so
that one is built once and reused; every other response takes django-csp's own path unchanged.
The cache follows the settings (tests override them).
"""

from functools import cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, PolicyParts
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.http.response import HttpResponseBase

_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


@cache
def _static_headers() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(header, policy, excluded path prefixes) for the settings' policies that are not empty."""
    headers = []
    for header, name, report_only in (
        (HEADER, "CONTENT_SECURITY_POLICY", False),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
    ):
        policy = build_policy(report_only=report_only)
        if policy:
            prefixes = (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES") or ()
            headers.append((header, policy, tuple(prefixes)))
    return tuple(headers)


@receiver(setting_changed)
def _forget_static_headers(*, setting: str, **kwargs) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY") or setting == "DEBUG":
        _static_headers.cache_clear()


class CSPMiddleware(DjangoCSPMiddleware):
    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if (
            settings.DEBUG
            or self.get_policy_parts(request=request, response=response) != PolicyParts()
            or any(hasattr(response, name) for name in _PER_RESPONSE)
        ):
            return super().process_response(request, response)
        for header, policy, excluded in _static_headers():
            if header not in response and not request.path_info.startswith(excluded):
                response[header] = policy
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
