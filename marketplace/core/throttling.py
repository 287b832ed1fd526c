"""The REST API's rate limits, each for its own kind of caller: anonymous requests count against
``anon`` (per address), logged-in accounts against ``user`` (per account), API keys against
``api_key`` (per key; ``ApiKeyRateThrottle``). DRF's own user throttle
falls back to the address for anonymous requests, so they were counted twice.

The address is ``client_address``'s (TRUSTED_PROXY_COUNT), not DRF's own reading of
``X-Forwarded-For``, so the throttles, allauth's limits and the request log agree on it.
"""

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from .client_address import client_address
from .rest.authentication import is_api_key_request


class AddressRateThrottle(AnonRateThrottle):
    """``anon``: anonymous requests, per client address. A request that carries a credential other
    than a session (``request.auth``: an API key) is not anonymous: its credential has its own limit."""

    def get_cache_key(self, request, view):
        if request.auth is not None:
            return None
        return super().get_cache_key(request, view)

    def get_ident(self, request):
        return client_address(request)


class AccountRateThrottle(UserRateThrottle):
    """``user``: logged-in accounts only (anonymous requests have ``AddressRateThrottle``)."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)


class ApiKeyRateThrottle(SimpleRateThrottle):
    """``api_key``: requests made with an organisation API key, counted per key wherever they come from
    (an integration may run on many machines, and many keys may share one address)."""

    scope = "api_key"

    def get_cache_key(self, request, view):
        if not is_api_key_request(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}
