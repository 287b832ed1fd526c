"""The job search API's shapes: the results page (jobs as ``/api/jobs/`` shows them, with the engine's
highlights and distances), facets, and saved searches."""

from rest_framework import serializers

from marketplace.jobs.api.serializers.jobs import JobSerializer

from ..models import SavedSearch

PARAMS_HELP = (
    "The search's parameters, as `GET /api/search/jobs/` takes them (budgets in the currency's major "
    "units); lists (`skills`, `category`, `experience_level`, `location_type`) as arrays. Checked as a "
    "search is: 400 `invalid` with the parameter's errors in `fields`."
)


class JobHighlightSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="`title` or `description`.")
    html = serializers.CharField(
        help_text="The text, escaped, with the matched words in `<mark>`; no other markup."
    )


class JobHitSerializer(serializers.Serializer):
    job = JobSerializer()
    highlights = JobHighlightSerializer(many=True)
    distance_km = serializers.FloatField(
        allow_null=True, help_text="From the chosen city, for a search near one (null for remote jobs)."
    )


class JobFacetCountSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="A skill's slug, or a category, pay type, work place or level.")
    count = serializers.IntegerField()


class JobFacetsSerializer(serializers.Serializer):
    skills = JobFacetCountSerializer(many=True)
    category = JobFacetCountSerializer(many=True)
    budget_type = JobFacetCountSerializer(many=True)
    location_type = JobFacetCountSerializer(many=True)
    experience_level = JobFacetCountSerializer(many=True)


class JobSearchResultsSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Every open job you may see that matches, not only this page.")
    page = serializers.IntegerField(
        allow_null=True, help_text="The page answered (null when paging by cursor)."
    )
    next_cursor = serializers.CharField(
        allow_null=True, help_text="Send as `cursor` for the page after this one; null on the last page."
    )
    facets = JobFacetsSerializer(
        help_text="Counts per value, most frequent first; a field's counts apply every filter but its own."
    )
    results = JobHitSerializer(many=True)


class SavedSearchSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    params = serializers.DictField(help_text=PARAMS_HELP)
    alerts = serializers.BooleanField(
        default=True, help_text="New matching jobs are announced (a notification, and the email digest)."
    )

    class Meta:
        model = SavedSearch
        fields = ["id", "name", "params", "alerts", "created_at", "last_alerted_at"]
        read_only_fields = ["created_at", "last_alerted_at"]


class SavedSearchUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, max_length=80)
    params = serializers.DictField(required=False, help_text=PARAMS_HELP)
    alerts = serializers.BooleanField(required=False)
