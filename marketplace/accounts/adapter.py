"""allauth's account adapter, changed only where the product needs it."""

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied

from marketplace.core.client_address import client_address
from marketplace.core.mail import site_context


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """The address allauth's rate limits (login, sign-up, password reset) count per: the same
        one the API throttles and the request log use. allauth's own reading answers a 500 when
        X-Forwarded-For has fewer entries than trusted proxies; this one falls back instead."""
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine the client's address.")
        return address

    def send_mail(self, template_prefix, email, context):
        """allauth's emails, in the product's voice: its templates (``frontend/templates/account/email``)
        sign with the site's name and address, not the request's host."""
        super().send_mail(template_prefix, email, {**context, **site_context()})
