"""Per-organisation API keys (djangorestframework-api-key) for integrations.

A request carrying ``X-Api-Key: <key>`` is authenticated *as its organisation*: ``request.user`` stays
anonymous and ``request.auth`` is the ``OrganisationAPIKey``. What a key may do is decided by
``marketplace.core.rest.permissions.ApiAccess``: read its own organisation's resources, nothing else.
Settings name this class in ``REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]``.
"""

from django.contrib.auth.models import AnonymousUser
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_api_key.permissions import KeyParser

from .. import selectors

API_KEY_HEADER = "X-Api-Key"


class OrganisationAPIKeyAuthentication(BaseAuthentication):
    key_parser = KeyParser()  # reads settings.API_KEY_CUSTOM_HEADER (X-Api-Key)

    def authenticate(self, request):
        secret = self.key_parser.get(request)
        if not secret:
            return None
        api_key = selectors.api_key_usable(secret)
        if api_key is None:
            raise AuthenticationFailed(
                "This API key is not valid: it is unknown, expired or revoked.", code="api_key_invalid"
            )
        return AnonymousUser(), api_key


class OrganisationAPIKeyScheme(OpenApiAuthenticationExtension):
    target_class = OrganisationAPIKeyAuthentication
    name = "organisationApiKey"

    def get_security_requirement(self, auto_schema):
        # Offered only where a key is accepted: reads of the key's own organisation.
        if getattr(auto_schema.view, "api_key_readable", False) and auto_schema.method == "GET":
            return {self.name: []}
        return None

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": API_KEY_HEADER,
            "description": (
                "A per-organisation API key, created by an owner or admin in the organisation's settings "
                "and shown once. It authenticates as the organisation and may only READ: that "
                "organisation's own resources (the organisation, its members, pending invitations and "
                "talent pool, its jobs and what hangs off them), and what anonymous visitors read "
                "(skills, cities, public jobs). Other organisations answer 404 `organisation_not_found`; "
                "writes answer 403 "
                "`api_key_read_only`; endpoints outside the organisation answer 403 `api_key_not_allowed`; "
                "an unknown, expired or revoked key answers 403 `api_key_invalid`. Each key has its own "
                "rate limit, whatever address it is used from (429 `throttled`, with Retry-After)."
            ),
        }
