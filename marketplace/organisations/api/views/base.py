"""What the organisation-scoped endpoints (here and in the apps above) share: who reads an
organisation, and the sentences their OpenAPI descriptions end with."""

from rest_framework.request import Request

from marketplace.core.rest.authentication import is_api_key_request

from ... import selectors
from ...models import Membership, Organisation


def organisation_to_read(request: Request, slug: str) -> tuple[Organisation, Membership | None]:
    """Members (and staff) read their organisation; an API key reads its own; all others get 404."""
    if is_api_key_request(request):
        return selectors.organisation_for_api_key(slug=slug, api_key=request.auth), None
    return selectors.organisation_for_member(slug=slug, user=request.user)


ORG_READ_NOTE = (
    "\n\nReadable by the organisation's members (any role) and staff; everyone else gets 404 "
    "`organisation_not_found`. An organisation API key (`X-Api-Key`) may read its own organisation's "
    "data here; another organisation answers 404."
)
ORG_WRITE_NOTE = (
    "\n\nA non-member gets 404 `organisation_not_found`, as for an unknown organisation; the role "
    "rules are checked by the service: a member whose role does not allow it gets 403 `role_forbids`. "
    "Both come before the request body is read: 400 only for a caller who may act. "
    "API keys are read-only (403 `api_key_read_only`)."
)
