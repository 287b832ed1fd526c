"""Shapes of the API's requests and responses. Input serializers only parse and type-check;
the rules (who may, what is allowed, limits) are the services' and come back as error codes."""

from zoneinfo import available_timezones

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.core.text import validate_single_line_text

from ..models import (
    Badge,
    City,
    ClientScorecard,
    FreelancerProfile,
    FreelancerReputation,
    Image,
    PortfolioItem,
    Skill,
    User,
)
from ..models.profiles import Availability, Visibility
from ..services.uploads import RENDITIONS

# --- Reference data ---------------------------------------------------------------------------------


class SkillSerializer(serializers.ModelSerializer):
    class Meta:
        model = Skill
        fields = ["slug", "name", "category"]


# Integer fields are declared explicitly where a model's would carry its database backend's range
# into the schema (SQLite and PostgreSQL differ), so that docs/api/openapi.yaml is the same everywhere.


class CitySerializer(serializers.ModelSerializer):
    geonameid = serializers.IntegerField(read_only=True, help_text="The city's GeoNames id.")

    class Meta:
        model = City
        fields = ["geonameid", "name", "country_code", "latitude", "longitude", "timezone"]


# --- Images -----------------------------------------------------------------------------------------


class ImageSerializer(serializers.ModelSerializer):
    width = serializers.IntegerField(read_only=True)
    height = serializers.IntegerField(read_only=True)
    size_bytes = serializers.IntegerField(read_only=True)
    url = serializers.SerializerMethodField(
        help_text="The original (re-encoded, without metadata). Served to those who may see the profile "
        "showing it: cacheable for a public profile, `private, no-store` otherwise."
    )
    renditions = serializers.SerializerMethodField(
        help_text="Fixed renditions by name (" + ", ".join(RENDITIONS) + "); each falls back to the "
        "original's URL until the background task has made it."
    )

    class Meta:
        model = Image
        fields = ["uuid", "url", "format", "width", "height", "size_bytes", "renditions"]

    def get_url(self, image: Image) -> str:
        return image.url

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "string"}})
    def get_renditions(self, image: Image) -> dict[str, str]:
        return {name: image.url_for(name) for name in RENDITIONS}


class ImageUploadSerializer(serializers.Serializer):
    image = serializers.FileField(
        allow_empty_file=True,  # the service refuses it with its own code, `empty_file`
        help_text="A JPEG, PNG or WebP image, at most 10 MB and 25 megapixels. The type is read from "
        "the content, not the name; metadata (EXIF) is removed.",
    )


# --- Accounts ---------------------------------------------------------------------------------------


class AccountSerializer(serializers.ModelSerializer):
    freelancer_handle = serializers.SerializerMethodField(
        help_text="The handle of your freelancer profile (its public URL), if you have one."
    )

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "full_name",
            "is_client",
            "is_freelancer",
            "timezone",
            "is_staff",
            "date_joined",
            "terms_version",
            "freelancer_handle",
        ]
        read_only_fields = fields

    def get_freelancer_handle(self, user: User) -> str | None:
        try:
            return user.freelancer_profile.handle
        except ObjectDoesNotExist:
            return None


class AccountUpdateSerializer(serializers.Serializer):
    full_name = serializers.CharField(
        validators=[validate_single_line_text], max_length=150, allow_blank=True
    )
    is_client = serializers.BooleanField(help_text="Hire freelancers. Keep at least one role.")
    is_freelancer = serializers.BooleanField(help_text="Work as a freelancer. Keep at least one role.")
    timezone = serializers.CharField(max_length=64, help_text="An IANA time zone name, e.g. `Europe/Paris`.")

    def validate_timezone(self, value: str) -> str:
        if value not in available_timezones():
            raise serializers.ValidationError("Unknown time zone.", code="unknown_timezone")
        return value


# --- Reputation -------------------------------------------------------------------------------------

# The reputation rows as last computed by the reviews app (``reviews.services.reputation``):
# recomputed when a review is published or removed, a contract ends, a dispute is decided, and nightly.


def _average(help_text: str, *, digits: int = 3, places: int = 2) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=digits,
        decimal_places=places,
        coerce_to_string=False,
        read_only=True,
        allow_null=True,
        help_text=help_text,
    )


class ReputationSerializer(serializers.ModelSerializer):
    """A freelancer's rating and job success score with the components it is computed from (the
    formula: the public page `/job-success-score/`)."""

    rating_avg = _average(
        "Mean overall stars (1 to 5) of the published reviews of the freelancer; null without any."
    )
    rating_count = serializers.IntegerField(read_only=True, help_text="Published reviews of the freelancer.")
    job_success_score = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="0 to 100: 100 * Σ weight(good contracts) / Σ weight(ended contracts) in the period. Null "
        "(not shown) while fewer than 3 contracts ended in it.",
    )
    period_months = serializers.IntegerField(
        read_only=True, help_text="The period looked back on: 12 months, or 24 with fewer than 5 ended in 12."
    )
    ended_contracts = serializers.IntegerField(read_only=True, help_text="Contracts ended in the period.")
    good_contracts = serializers.IntegerField(read_only=True)
    bad_contracts = serializers.IntegerField(read_only=True)
    neutral_contracts = serializers.IntegerField(read_only=True)
    good_weight = serializers.FloatField(
        read_only=True,
        help_text="Σ weight of the good contracts; a weight is 1 + log10(1 + value in major units).",
    )
    total_weight = serializers.FloatField(read_only=True, help_text="Σ weight of every ended contract.")
    computed_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = FreelancerReputation
        fields = [
            "rating_avg",
            "rating_count",
            "job_success_score",
            "period_months",
            "ended_contracts",
            "good_contracts",
            "bad_contracts",
            "neutral_contracts",
            "good_weight",
            "total_weight",
            "computed_at",
        ]
        read_only_fields = fields


class ClientScorecardSerializer(serializers.ModelSerializer):
    """What freelancers see of someone who hires: the person hiring alone, or the organisation."""

    jobs_posted = serializers.IntegerField(read_only=True, help_text="Jobs ever opened (not drafts).")
    jobs_hired = serializers.IntegerField(read_only=True, help_text="Of those, jobs with a contract.")
    hire_rate = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Per cent of posted jobs that hired; null before any."
    )
    avg_days_to_approve = _average(
        "Mean days from a milestone's submission to its approval.", digits=6, places=1
    )
    avg_days_to_pay = _average(
        "Mean days from when a milestone could be funded to its funding.", digits=6, places=1
    )
    avg_rating_given = _average("Mean overall stars the client's side gave freelancers (published reviews).")
    ratings_given = serializers.IntegerField(read_only=True)
    rating_avg = _average("Mean overall stars freelancers gave the client (published reviews).")
    rating_count = serializers.IntegerField(read_only=True)
    disputes_opened = serializers.IntegerField(
        read_only=True, help_text="Disputes opened by the client's side."
    )
    computed_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = ClientScorecard
        fields = [
            "jobs_posted",
            "jobs_hired",
            "hire_rate",
            "avg_days_to_approve",
            "avg_days_to_pay",
            "avg_rating_given",
            "ratings_given",
            "rating_avg",
            "rating_count",
            "disputes_opened",
            "computed_at",
        ]
        read_only_fields = fields


# --- Profiles ---------------------------------------------------------------------------------------


class PortfolioItemSerializer(serializers.ModelSerializer):
    image = ImageSerializer(read_only=True, allow_null=True)
    url = serializers.URLField(read_only=True, allow_blank=True, help_text="Empty when not given.")

    class Meta:
        model = PortfolioItem
        fields = ["id", "title", "description", "url", "image", "position", "created_at"]
        read_only_fields = fields


class PortfolioItemInputSerializer(serializers.Serializer):
    title = serializers.CharField(validators=[validate_single_line_text], max_length=120)
    description = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")
    url = serializers.URLField(allow_blank=True, required=False, default="")
    image = serializers.FileField(
        required=False,
        allow_empty_file=True,
        help_text="Optional picture (multipart only): JPEG, PNG or WebP, at most 10 MB and 25 megapixels. "
        "On update, an image replaces the old one; without one the old one stays.",
    )


class ProfileSummarySerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="user.full_name", read_only=True)
    city = CitySerializer(read_only=True, allow_null=True)
    skills = SkillSerializer(many=True, read_only=True)
    avatar = ImageSerializer(read_only=True, allow_null=True)
    badges = serializers.SerializerMethodField(help_text="Verifications the platform vouches for.")
    hourly_rate_minor = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Integer minor units (cents) of `currency`."
    )
    reputation = ReputationSerializer(
        source="user.freelancer_reputation",
        read_only=True,
        allow_null=True,
        help_text="The rating and job success score; null until first computed.",
    )

    class Meta:
        model = FreelancerProfile
        fields = [
            "handle",
            "full_name",
            "headline",
            "hourly_rate_minor",
            "currency",
            "city",
            "availability",
            "languages",
            "skills",
            "tags",
            "visibility",
            "avatar",
            "badges",
            "reputation",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=Badge.Kind.choices)))
    def get_badges(self, profile: FreelancerProfile) -> list[str]:
        return [badge.kind for badge in profile.user.badges.all()]


class ProfileSerializer(ProfileSummarySerializer):
    bio_html = serializers.CharField(
        read_only=True, help_text="The bio rendered from Markdown and sanitised."
    )
    portfolio = PortfolioItemSerializer(source="portfolio_items", many=True, read_only=True)

    class Meta(ProfileSummarySerializer.Meta):
        fields = [*ProfileSummarySerializer.Meta.fields, "bio_html", "portfolio"]
        read_only_fields = fields


class OwnProfileSerializer(ProfileSerializer):
    bio = serializers.CharField(read_only=True, help_text="The bio's Markdown source.")

    class Meta(ProfileSerializer.Meta):
        fields = [*ProfileSerializer.Meta.fields, "bio"]
        read_only_fields = fields


class LookupSlugField(serializers.SlugRelatedField):
    """A reference by slug that never reaches the database with a NUL character in it: PostgreSQL
    refuses NUL in text (a 500); no row has one, so it is ``does_not_exist`` like any unknown slug."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)


@extend_schema_field({"type": "integer", "nullable": True})
class CityIdField(LookupSlugField):
    pass


class FreelancerProfileInputSerializer(serializers.Serializer):
    """Every field is required for PUT; PATCH changes only the fields it sends."""

    headline = serializers.CharField(validators=[validate_single_line_text], max_length=120, allow_blank=True)
    bio = serializers.CharField(
        max_length=5000, allow_blank=True, trim_whitespace=False, help_text="Markdown; sanitised."
    )
    hourly_rate_minor = serializers.IntegerField(
        allow_null=True, max_value=2**31 - 1, help_text="Integer minor units (cents); more than zero."
    )
    currency = serializers.CharField(max_length=3, help_text="ISO 4217; one the platform supports.")
    city = CityIdField(
        slug_field="geonameid",
        queryset=City.objects.all(),
        allow_null=True,
        help_text="A city's GeoNames id, from `GET /api/cities/?q=`.",
    )
    availability = serializers.ChoiceField(choices=Availability.choices)
    languages = serializers.ListField(child=serializers.CharField(max_length=40), max_length=20)
    skills = LookupSlugField(
        slug_field="slug",
        queryset=Skill.objects.all(),
        many=True,
        help_text="Skill slugs from `/api/skills/`.",
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=60, allow_blank=True),
        max_length=50,
        help_text="Free tags; at most 10 after removing duplicates, each at most 30 characters.",
    )
    visibility = serializers.ChoiceField(choices=Visibility.choices)
