"""The talent search API's answers: a page of found profiles (each the profiles list's summary, with
its highlighted fragments and distance), the facets and the total; and the autocomplete's."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.accounts.api.serializers import ProfileSummarySerializer, SkillSerializer

FACET_FIELDS = {
    "skills": "Skill slugs (label: the skill's name).",
    "country": "Two-letter country codes of the freelancers' cities.",
    "availability": "`full_time`, `part_time`, `unavailable`.",
    "badges": "Verifications: `email`, `identity`, `tax_form`, `background_check`.",
}


class HighlightSerializer(serializers.Serializer):
    field = serializers.CharField(help_text="`headline` or `bio`.")
    html = serializers.CharField(
        help_text="The fragment's text, HTML-escaped, with the matched words in `<mark>` and no other markup."
    )


class TalentHitSerializer(serializers.Serializer):
    profile = ProfileSummarySerializer(source="*")
    highlights = serializers.SerializerMethodField()
    distance_km = serializers.SerializerMethodField(
        help_text="Kilometres from the `near` city (great-circle), or null without `near`."
    )

    @extend_schema_field(HighlightSerializer(many=True))
    def get_highlights(self, profile) -> list[dict]:
        return [{"field": field, "html": html} for field, html in profile.hit.highlights]

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_distance_km(self, profile) -> float | None:
        distance = profile.hit.distance_km
        return None if distance is None else round(distance, 1)


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField(help_text="The value to filter by.")
    label = serializers.CharField(help_text="How people read it.")
    count = serializers.IntegerField(
        help_text="Profiles with it among those matching every other filter (its own field's aside)."
    )
    selected = serializers.BooleanField(help_text="Whether this search filters by it.")


FacetsSerializer = type(
    "TalentFacetsSerializer",
    (serializers.Serializer,),
    {name: FacetValueSerializer(many=True, help_text=text) for name, text in FACET_FIELDS.items()},
)


class TalentResultsSerializer(serializers.Serializer):
    count = serializers.IntegerField(source="total", help_text="Every profile matching, not only this page.")
    next = serializers.CharField(allow_null=True, help_text="The next page's address (a cursor), or null.")
    previous = serializers.CharField(allow_null=True, help_text="The previous numbered page's address.")
    page = serializers.IntegerField(
        allow_null=True, help_text="This page's number; null past the numbered ones."
    )
    results = TalentHitSerializer(many=True, source="profiles")
    facets = FacetsSerializer()


class PersonSuggestionSerializer(serializers.Serializer):
    handle = serializers.CharField()
    full_name = serializers.CharField(source="user.full_name")
    headline = serializers.CharField()


class TalentSuggestionsSerializer(serializers.Serializer):
    skills = SkillSerializer(many=True, help_text="Skills of the taxonomy with a word starting so.")
    people = PersonSuggestionSerializer(many=True, help_text="Freelancers you may find whose name does.")
