"""``api_key``: requests made with an organisation API key, counted per key wherever they come from
(an integration may run on many machines, and many keys may share one address)."""

from rest_framework.throttling import SimpleRateThrottle

from .authentication import is_api_key_request


class ApiKeyRateThrottle(SimpleRateThrottle):
    scope = "api_key"

    def get_cache_key(self, request, view):
        if not is_api_key_request(request):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}
