"""The REST API's rate limits, each for its own kind of caller: anonymous requests count against
``anon`` (per address), logged-in accounts against ``user`` (per account). DRF's own user throttle
falls back to the address for anonymous requests, so they were counted twice."""

from rest_framework.throttling import UserRateThrottle


class AccountRateThrottle(UserRateThrottle):
    """``user``: logged-in accounts only (anonymous requests have DRF's ``AnonRateThrottle``)."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
