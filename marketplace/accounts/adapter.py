"""allauth's account adapter, changed only where the product needs it."""

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied

from marketplace.core.client_address import client_address


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """The address allauth's rate limits (login, sign-up, password reset) count per: the same
        one the API throttles and the request log use. allauth's own reading answers a 500 when
        X-Forwarded-For has fewer entries than trusted proxies; this one falls back instead."""
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine the client's address.")
        return address
