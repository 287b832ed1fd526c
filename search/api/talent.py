"""``GET /api/search/talent/``: find freelancers; ``GET /api/search/talent/autocomplete/``: skills and
names as one types.

As ``/api/profiles/``: anonymous callers find public profiles; logged-in people also the pool-only
profiles of the pools of their organisations; staff everything. Organisation API keys are refused
(403 ``api_key_not_allowed``) like on the profiles list: search answers for a person's audience,
which a key does not have.
"""

from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from marketplace.core.exceptions import DomainError, InvalidInput
from marketplace.core.rest.schema import errors
from marketplace.core.rest.views import ApiView

from ..backends import SearchUnavailable
from ..talent.params import TalentSearchForm
from ..talent.results import talent_search, talent_suggestions
from . import talent_serializers as s

ACCESS_NOTE = (
    "\n\nVisibility is applied inside the search (hits, `count`, facets, highlights and suggestions "
    "alike): public profiles for everyone; a pool-only profile only for members of organisations whose "
    "talent pools the freelancer is an active member of, for staff, and for the freelancer; suspended "
    "accounts only for staff. Anonymous access is allowed; API keys are refused (403 "
    "`api_key_not_allowed`). 503 `search_unavailable` when the search engine does not answer."
)
INVALID = "`invalid_input`: `fields` names each parameter at fault"


class SearchDown(DomainError):
    status = 503
    default_code = "search_unavailable"


def _down() -> SearchDown:
    return SearchDown("Search is unavailable for a moment; please try again shortly.")


def _parameters(form_class) -> list[OpenApiParameter]:
    """The form's fields as query parameters, so the schema and the checks cannot drift apart."""
    parameters = []
    for name, field in form_class.base_fields.items():
        many = isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
        kind = {
            forms.IntegerField: OpenApiTypes.INT,
            forms.DecimalField: OpenApiTypes.NUMBER,
        }.get(type(field), OpenApiTypes.STR)
        static = isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField)
        enum = [value for value, _ in field.choices] if static and field.choices else None
        parameters.append(
            OpenApiParameter(name, kind, many=many or None, enum=enum, description=str(field.help_text))
        )
    return parameters


class TalentSearchView(ApiView):
    allow_anonymous = True
    pagination_class = None

    @extend_schema(
        tags=["search"],
        summary="Find freelancers",
        description="Full text over headlines, bios, skills and portfolio titles (typos of one letter "
        "forgiven in words of five or more letters), with filters, facet counts (each facet counts with "
        "every filter but its own), sorts, highlighted fragments and the distance from `near`. "
        "Relevance blends the text match with the rating and job success score. 20 a page: `page` for "
        "the first five, then `next` (a cursor, `after`), which stays fast however deep." + ACCESS_NOTE,
        parameters=_parameters(TalentSearchForm),
        responses={
            200: s.TalentResultsSerializer,
            **errors(400, 403, s400=INVALID, s503="`search_unavailable`"),
        },
    )
    def get(self, request):
        form = TalentSearchForm(request.query_params, viewer=request.user)
        if not form.is_valid():
            raise InvalidInput(
                "Some parameters are invalid: " + ", ".join(sorted(form.errors)) + ".",
                code="invalid_input",
                fields=form.errors.get_json_data(),
            )
        try:
            found = talent_search(viewer=request.user, form=form)
        except SearchUnavailable as exc:
            raise _down() from exc
        url = request.build_absolute_uri()
        next_url = None
        if found.next_after:
            next_url = replace_query_param(remove_query_param(url, "page"), "after", found.next_after)
        previous = None
        if found.page and found.page > 1:
            previous = replace_query_param(url, "page", found.page - 1)
        data = {
            "total": found.total,
            "next": next_url,
            "previous": previous,
            "page": found.page,
            "profiles": found.profiles,
            "facets": found.facets,
        }
        return Response(s.TalentResultsSerializer(data, context=self.get_serializer_context()).data)


class TalentAutocompleteView(ApiView):
    allow_anonymous = True
    pagination_class = None

    @extend_schema(
        tags=["search"],
        summary="Suggest skills and freelancers as one types",
        description="Up to six skills of the taxonomy with a word starting with `q`, and up to six "
        "freelancers you may find whose name has a word starting with it. Fewer than two characters "
        "suggest nothing." + ACCESS_NOTE,
        parameters=[OpenApiParameter("q", str, description="What has been typed so far.", required=True)],
        responses={200: s.TalentSuggestionsSerializer, **errors(403, s503="`search_unavailable`")},
    )
    def get(self, request):
        try:
            found = talent_suggestions(viewer=request.user, prefix=request.query_params.get("q", ""))
        except SearchUnavailable as exc:
            raise _down() from exc
        return Response(s.TalentSuggestionsSerializer(found).data)
