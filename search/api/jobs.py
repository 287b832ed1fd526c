"""Job search and saved searches over the API.

``GET /api/search/jobs/`` takes the find-work page's parameters (``search.jobs.params.JobSearchForm``) and
answers a page of hits, the total and the facets; anonymous answers are cached like ``/api/jobs/``
(the ``jobs.find_work`` public list). Saved searches are a person's own: a session is needed, API keys
are refused, and another person's answers 404 as if there were none.
"""

from django.conf import settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from marketplace.core.exceptions import DependencyUnavailable, InvalidInput
from marketplace.core.public_lists import cached_api_list
from marketplace.core.rest.schema import ErrorSerializer, errors
from marketplace.core.rest.views import ApiView
from marketplace.jobs.public_lists import FIND_WORK

from .. import selectors
from ..backends import SearchUnavailable
from ..jobs.params import JobSearchForm
from ..jobs.results import FACETS, MAX_PAGE, PER_PAGE, decode_cursor, encode_cursor, search_jobs
from ..services.saved_searches import saved_search_create, saved_search_delete, saved_search_update
from . import jobs_serializers as s

SESSION_NOTE = "\n\nNeeds a logged-in session; API keys are refused (403 `api_key_not_allowed`)."
UNAVAILABLE = OpenApiResponse(ErrorSerializer, description="`service_unavailable`: the search engine is down")
NOT_FOUND = "`saved_search_not_found` (no such saved search, or someone else's)"


def _parameter(name: str, kind, description: str, *, many: bool = False) -> OpenApiParameter:
    return OpenApiParameter(
        name, kind, OpenApiParameter.QUERY, description=description, many=many, explode=True
    )


SEARCH_PARAMETERS = [
    _parameter("q", OpenApiTypes.STR, "Full text over title, skills and description; every word must match."),
    _parameter("skills", OpenApiTypes.STR, "Skill slugs; a job needs any of them.", many=True),
    _parameter("budget_min", OpenApiTypes.DECIMAL, "Budget or hourly rate at least, in major units (1500)."),
    _parameter("budget_max", OpenApiTypes.DECIMAL, "Budget or hourly rate at most, in major units."),
    _parameter("currency", OpenApiTypes.STR, "Only jobs paid in this currency."),
    _parameter("budget_type", OpenApiTypes.STR, "`fixed` or `hourly`."),
    _parameter("posted_within", OpenApiTypes.INT, "Opened in the last 1, 3, 7 or 30 days."),
    _parameter("min_client_rating", OpenApiTypes.NUMBER, "The client's rating at least (3, 4 or 4.5)."),
    _parameter("category", OpenApiTypes.STR, "Any of these categories.", many=True),
    _parameter("experience_level", OpenApiTypes.STR, "Any of these levels.", many=True),
    _parameter("location_type", OpenApiTypes.STR, "`remote`, `onsite`: any of them.", many=True),
    _parameter(
        "location",
        OpenApiTypes.STR,
        "`remote` (remote jobs only), `near` (on-site jobs within `radius_km` of `city`), `remote_or_near`.",
    ),
    _parameter("city", OpenApiTypes.INT, "A city's id (`/api/cities/`), for `near` and `remote_or_near`."),
    _parameter("radius_km", OpenApiTypes.INT, "How far from the city, 1 to 1000 km (50 by default)."),
    _parameter(
        "sort",
        OpenApiTypes.STR,
        "`relevance`, `newest` or `distance` (near a city). By default: relevance with `q`, distance near a "
        "city, else newest.",
    ),
    _parameter(
        "page", OpenApiTypes.INT, f"1 to {MAX_PAGE}, {PER_PAGE} jobs each; past the end: the last page."
    ),
    _parameter(
        "cursor", OpenApiTypes.STR, "A `next_cursor` from the previous answer: pages on however deep."
    ),
]


def _field_errors(form) -> dict:
    return {
        name: [{"code": error.code or "invalid", "message": " ".join(error.messages)} for error in errors]
        for name, errors in form.errors.as_data().items()
    }


def _page_number(raw) -> int:
    try:
        return max(1, min(int(raw), MAX_PAGE))
    except (TypeError, ValueError):
        return 1


class JobSearchView(ApiView):
    allow_anonymous = True
    api_key_readable = True  # a key finds the public jobs, as an anonymous visitor does

    @extend_schema(
        tags=["search"],
        summary="Search jobs",
        description="Open jobs you may see (public ones; invite-only jobs you were invited to; your talent "
        "pools' jobs; your own side's), matching the parameters, with facet counts and highlighted "
        "snippets. An organisation API key sees the public ones. 503 `service_unavailable` while the "
        "search engine is down.",
        parameters=SEARCH_PARAMETERS,
        responses={200: s.JobSearchResultsSerializer, **errors(400, 403), 503: UNAVAILABLE},
    )
    @cached_api_list(FIND_WORK)
    def get(self, request):
        form = JobSearchForm(request.query_params)
        if not form.is_valid():
            raise InvalidInput("Some search parameters are not valid.", fields=_field_errors(form))
        search = form.search()
        cursor = request.query_params.get("cursor")
        after = decode_cursor(search, cursor) if cursor else None
        if cursor and after is None:
            raise InvalidInput("The cursor is not one this search gave.", code="invalid_cursor")
        page = None if cursor else _page_number(request.query_params.get("page", 1))
        offset = 0 if cursor else (page - 1) * PER_PAGE
        try:
            found = search_jobs(viewer=request.user, search=search, offset=offset, after=after)
        except SearchUnavailable as exc:
            raise DependencyUnavailable("Search is unavailable for a moment; try again soon.") from exc
        results = [
            {
                "job": job,
                "highlights": [
                    {"field": field, "html": html} for field, html in found.hits[job.pk].highlights
                ],
                "distance_km": found.hits[job.pk].distance_km,
            }
            for job in found.rows
        ]
        facets = {
            field: [{"value": facet.value, "count": facet.count} for facet in found.facets.get(field, ())]
            for field in FACETS
        }
        data = {
            "total": found.total,
            "page": page,
            "next_cursor": encode_cursor(search, found.next_after),
            "facets": facets,
            "results": results,
        }
        return Response(s.JobSearchResultsSerializer(data, context=self.get_serializer_context()).data)


class SavedSearchListView(ApiView):
    @extend_schema(
        tags=["search"],
        summary="Your saved searches",
        description="Newest first, paginated." + SESSION_NOTE,
        responses={200: s.SavedSearchSerializer(many=True), **errors(403)},
    )
    def get(self, request):
        return self.paginated(selectors.saved_searches_of(request.user), s.SavedSearchSerializer)

    @extend_schema(
        tags=["search"],
        summary="Save a search",
        description=f"With alerts on (the default), new matching jobs are announced: a notification, and the "
        f"email digest (group `saved_searches`). At most {settings.SAVED_SEARCHES_MAX} per person: 409 "
        "`saved_searches_limit` past that." + SESSION_NOTE,
        request=s.SavedSearchSerializer,
        responses={201: s.SavedSearchSerializer, **errors(400, 403, s409="`saved_searches_limit`")},
    )
    def post(self, request):
        data = self.parsed(s.SavedSearchSerializer)
        saved = saved_search_create(
            acting_user=request.user, name=data["name"], params=data["params"], alerts=data["alerts"]
        )
        return Response(s.SavedSearchSerializer(saved).data, status=status.HTTP_201_CREATED)


class SavedSearchDetailView(ApiView):
    @extend_schema(
        tags=["search"],
        summary="A saved search",
        description=SESSION_NOTE.strip(),
        responses={200: s.SavedSearchSerializer, **errors(403, s404=NOT_FOUND)},
    )
    def get(self, request, pk: int):
        return Response(s.SavedSearchSerializer(selectors.saved_search_of(pk=pk, user=request.user)).data)

    @extend_schema(
        tags=["search"],
        summary="Rename a saved search, turn its alerts on or off, or change its parameters",
        description="Send only what changes. Alerts turned back on, or new parameters, announce only "
        "jobs opened from then on." + SESSION_NOTE,
        request=s.SavedSearchUpdateSerializer,
        responses={200: s.SavedSearchSerializer, **errors(400, 403, s404=NOT_FOUND)},
    )
    def patch(self, request, pk: int):
        saved = selectors.saved_search_of(pk=pk, user=request.user)
        data = self.parsed(s.SavedSearchUpdateSerializer)
        saved = saved_search_update(acting_user=request.user, saved_search=saved, **data)
        return Response(s.SavedSearchSerializer(saved).data)

    @extend_schema(
        tags=["search"],
        summary="Delete a saved search",
        description=SESSION_NOTE.strip(),
        responses={204: None, **errors(403, s404=NOT_FOUND)},
    )
    def delete(self, request, pk: int):
        saved_search_delete(
            acting_user=request.user, saved_search=selectors.saved_search_of(pk=pk, user=request.user)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
