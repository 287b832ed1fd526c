"""The base of every API view: paging helpers over DRF's ``GenericAPIView``."""

from rest_framework.generics import GenericAPIView

from .pagination import Pagination
from .permissions import ApiAccess


class ApiView(GenericAPIView):
    """Session (the site's own pages) or organisation API key; see ``permissions.ApiAccess``.

    The authentication classes are DRF's default, ``REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]``
    in settings (the session's, then the organisations app's API keys), so core imports no app."""

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
