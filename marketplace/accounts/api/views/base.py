from rest_framework.generics import GenericAPIView
from rest_framework.request import Request

from ... import selectors
from ...models import Membership, Organisation
from ..authentication import (
    CsrfCheckedSessionAuthentication,
    OrganisationAPIKeyAuthentication,
    is_api_key_request,
)
from ..pagination import Pagination
from ..permissions import ApiAccess


class ApiView(GenericAPIView):
    """Session (the site's own pages) or organisation API key; see ``permissions.ApiAccess``."""

    authentication_classes = [CsrfCheckedSessionAuthentication, OrganisationAPIKeyAuthentication]
    permission_classes = [ApiAccess]
    pagination_class = Pagination
    allow_anonymous = False
    api_key_readable = False

    def paginated(self, queryset, serializer_class, *, load=None, **context):
        """A page of ``queryset``, serialised. With ``load``, only the queryset's ids are paged (its
        count and the page's ids, both plain queries an index answers) and ``load(ids)`` reads that
        page's rows with what the serializer shows, so the cost follows the page, not the table."""
        if load is not None:
            page = load(self.paginate_queryset(queryset.values_list("pk", flat=True)))
        else:
            page = self.paginate_queryset(queryset)
        data = serializer_class(page, many=True, context={**self.get_serializer_context(), **context}).data
        return self.get_paginated_response(data)

    def parsed(self, serializer_class, *, partial: bool = False) -> dict:
        serializer = serializer_class(data=self.request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


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
SESSION_ONLY_NOTE = "\n\nNeeds a logged-in session; API keys are refused (403 `api_key_not_allowed`)."
