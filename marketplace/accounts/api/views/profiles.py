"""Freelancer profiles as others see them (visibility applied), and the reference data for editing one."""

import django_filters
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response

from marketplace.core.public_lists import cached_api_list
from marketplace.core.rest.schema import errors
from marketplace.core.rest.views import ApiView

from ... import selectors
from ...public_lists import PROFILES
from .. import serializers as s

VISIBILITY_NOTE = (
    "\n\nVisibility is applied: public profiles for everyone; a pool-only profile only for members of "
    "organisations whose talent pools the freelancer is an active member of, for staff, and for the "
    "freelancer. Profiles of suspended accounts are hidden except from staff. Anonymous access is "
    "allowed; API keys are refused (403 `api_key_not_allowed`)."
)


class ProfileFilter(django_filters.FilterSet):
    skill = django_filters.CharFilter(
        field_name="skills__slug",
        method="with_skill",
        help_text="Only profiles with this skill (its slug, from /api/skills/).",
    )

    def with_skill(self, queryset, name, value):
        return selectors.profiles_with_skill(queryset, value)


class ProfileListView(ApiView):
    allow_anonymous = True
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProfileFilter

    def get_queryset(self):
        return selectors.profiles_listed_for(self.request.user)

    @extend_schema(
        tags=["profiles"],
        summary="Freelancer profiles you may see",
        description="Most recently updated first, paginated." + VISIBILITY_NOTE,
        responses={200: s.ProfileSummarySerializer(many=True), **errors(403)},
    )
    @cached_api_list(PROFILES)
    def get(self, request):
        profiles = self.filter_queryset(self.get_queryset())
        return self.paginated(profiles, s.ProfileSummarySerializer, load=selectors.profile_rows)


class ProfileDetailView(ApiView):
    allow_anonymous = True

    @extend_schema(
        tags=["profiles"],
        summary="A freelancer profile",
        description="By its stable handle, with the rendered bio and the portfolio. A profile you may not "
        "see answers exactly like one that does not exist: 404 `profile_not_found`." + VISIBILITY_NOTE,
        responses={200: s.ProfileSerializer, **errors(403, s404="`profile_not_found`")},
    )
    def get(self, request, handle: str):
        profile = selectors.profile_for_viewer(handle=handle, viewer=request.user)
        return Response(s.ProfileSerializer(profile).data)


class SkillListView(ApiView):
    allow_anonymous = True
    api_key_readable = True  # public reference data
    pagination_class = None

    @extend_schema(
        tags=["reference"],
        summary="The skills taxonomy",
        description="Every skill, by category; profiles refer to skills by slug. Not paginated. "
        "Anonymous access and API keys are allowed.",
        responses={200: s.SkillSerializer(many=True), **errors(403)},
    )
    def get(self, request):
        return Response(s.SkillSerializer(selectors.skills_by_category(), many=True).data)


class CityListView(ApiView):
    allow_anonymous = True
    api_key_readable = True  # public reference data
    pagination_class = None

    @extend_schema(
        tags=["reference"],
        summary="Look up cities by name",
        description="Up to 10 cities whose names start with `q` (at least 2 characters), largest first, "
        "from the bundled GeoNames list. Profiles refer to a city by its `geonameid`. Anonymous access "
        "and API keys are allowed.",
        parameters=[OpenApiParameter("q", str, description="The start of the city's name.", required=True)],
        responses={200: s.CitySerializer(many=True), **errors(403)},
    )
    def get(self, request):
        cities = selectors.cities_matching(request.query_params.get("q", ""))
        return Response(s.CitySerializer(cities, many=True).data)
