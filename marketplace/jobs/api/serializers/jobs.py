"""Jobs, job templates and invitations to propose."""

from django.core.exceptions import ObjectDoesNotExist
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.accounts.api.serializers import CitySerializer, ClientScorecardSerializer
from marketplace.accounts.models import City
from marketplace.core.text import validate_single_line_text

from ...models import (
    BudgetType,
    Category,
    Duration,
    ExperienceLevel,
    Job,
    JobInvitation,
    JobTemplate,
    LocationType,
)
from .refs import (
    ID_MAX,
    MINOR,
    AttachmentSerializer,
    FreelancerRefSerializer,
    JobRefSerializer,
    JobSkillSerializer,
    OrganisationRefSerializer,
    UserRefSerializer,
)

# --- Jobs -------------------------------------------------------------------------------------------


class JobSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    skills = JobSkillSerializer(many=True, read_only=True)
    budget_minor = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="Fixed price. " + MINOR
    )
    hourly_min_minor = serializers.IntegerField(read_only=True, allow_null=True, help_text="Hourly. " + MINOR)
    hourly_max_minor = serializers.IntegerField(read_only=True, allow_null=True, help_text="Hourly. " + MINOR)
    city = CitySerializer(read_only=True, allow_null=True)
    radius_km = serializers.IntegerField(read_only=True, allow_null=True)
    hires_wanted = serializers.IntegerField(read_only=True)
    pool = serializers.IntegerField(
        source="pool_id",
        read_only=True,
        allow_null=True,
        help_text="A pool-only job's talent pool (its id); null for other visibilities.",
    )
    client = UserRefSerializer(read_only=True)
    organisation = OrganisationRefSerializer(read_only=True, allow_null=True)
    proposal_count = serializers.IntegerField(read_only=True, help_text="Proposals received so far.")

    class Meta:
        model = Job
        fields = [
            "id",
            "title",
            "category",
            "skills",
            "budget_type",
            "currency",
            "budget_minor",
            "hourly_min_minor",
            "hourly_max_minor",
            "duration",
            "experience_level",
            "location_type",
            "city",
            "radius_km",
            "visibility",
            "pool",
            "hires_wanted",
            "status",
            "client",
            "organisation",
            "proposal_count",
            "created_at",
            "opened_at",
            "expires_at",
            "closed_at",
        ]
        read_only_fields = fields


class JobDetailSerializer(JobSerializer):
    description = serializers.CharField(read_only=True, help_text="Markdown source.")
    description_html = serializers.CharField(read_only=True, help_text="Rendered and sanitised.")
    attachments = AttachmentSerializer(many=True, read_only=True)
    client_scorecard = serializers.SerializerMethodField(
        help_text="The hiring record of who posted the job: the organisation's when it hires for one, "
        "else the client's own. Null until first computed."
    )

    class Meta(JobSerializer.Meta):
        fields = [
            *JobSerializer.Meta.fields,
            "description",
            "description_html",
            "attachments",
            "client_scorecard",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(ClientScorecardSerializer(allow_null=True))
    def get_client_scorecard(self, job: Job) -> dict | None:
        hirer = job.organisation if job.organisation_id else job.client
        try:
            return ClientScorecardSerializer(hirer.client_scorecard).data
        except ObjectDoesNotExist:
            return None


class JobInputSerializer(serializers.Serializer):
    """A job's fields (``services.jobs.JOB_FIELDS``). On PATCH, only the fields sent change."""

    title = serializers.CharField(
        validators=[validate_single_line_text], max_length=200, help_text="5 to 120 characters."
    )
    description = serializers.CharField(max_length=20_000, help_text="Markdown, 20 to 20,000 characters.")
    category = serializers.ChoiceField(choices=Category.choices)
    skills = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=ID_MAX),
        max_length=50,
        required=False,
        help_text="Skill ids (at most 15).",
    )
    budget_type = serializers.ChoiceField(choices=BudgetType.choices)
    currency = serializers.CharField(max_length=3, help_text="ISO 4217; one the platform supports.")
    budget_minor = serializers.IntegerField(
        required=False, allow_null=True, help_text="Required for fixed price. " + MINOR
    )
    hourly_min_minor = serializers.IntegerField(
        required=False, allow_null=True, help_text="Required for hourly. " + MINOR
    )
    hourly_max_minor = serializers.IntegerField(
        required=False, allow_null=True, help_text="Required for hourly; not below the minimum. " + MINOR
    )
    duration = serializers.ChoiceField(choices=Duration.choices)
    experience_level = serializers.ChoiceField(choices=ExperienceLevel.choices)
    location_type = serializers.ChoiceField(choices=LocationType.choices, required=False)
    city = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=ID_MAX,
        help_text="On site: the city's GeoNames id, from `GET /api/cities/?q=`.",
    )
    radius_km = serializers.IntegerField(
        required=False, allow_null=True, help_text="On site; 25 if not given."
    )
    visibility = serializers.ChoiceField(
        choices=Job.Visibility.choices,
        required=False,
        help_text="`public` (default); `invite_only`: the freelancers you invite; `pool`: your "
        "organisation's members and the active members of one of its talent pools (organisation jobs only).",
    )
    pool = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=ID_MAX,
        help_text="For `pool` visibility: the id of one of the organisation's pools whose active members "
        "see the job (and workers holding an override for it); the organisation's default pool if not given.",
    )
    hires_wanted = serializers.IntegerField(required=False, help_text="1 (default) to 50.")

    def validate_city(self, geonameid: int | None) -> int | None:
        """The service takes the city's row id; the API speaks GeoNames ids, like the accounts API."""
        if geonameid is None:
            return None
        city = City.objects.filter(geonameid=geonameid).values_list("pk", flat=True).first()
        if city is None:
            raise serializers.ValidationError("No city with this GeoNames id.", code="unknown_city")
        return city


class JobCreateSerializer(JobInputSerializer):
    organisation = serializers.SlugField(
        required=False,
        allow_null=True,
        help_text="Post for this organisation (its slug); needs the `manage_jobs` permission there.",
    )
    publish = serializers.BooleanField(
        default=False, help_text="Open it at once (else it is saved as a draft, seen only by your side)."
    )


class TemplateNameSerializer(serializers.Serializer):
    name = serializers.CharField(
        validators=[validate_single_line_text],
        max_length=200,
        allow_blank=True,
        help_text="Up to 120 characters.",
    )


class JobTemplateSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    owner = UserRefSerializer(read_only=True)
    organisation = OrganisationRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = JobTemplate
        fields = ["id", "name", "owner", "organisation", "created_at"]
        read_only_fields = fields


class JobTemplateDetailSerializer(JobTemplateSerializer):
    job_fields = serializers.SerializerMethodField(
        help_text="The saved fields, ready to send to `POST /api/jobs/` (city as its GeoNames id)."
    )

    class Meta(JobTemplateSerializer.Meta):
        fields = [*JobTemplateSerializer.Meta.fields, "job_fields"]
        read_only_fields = fields

    @extend_schema_field(JobInputSerializer)
    def get_job_fields(self, template: JobTemplate) -> dict:
        saved = dict(template.fields)
        if saved.get("city"):
            saved["city"] = City.objects.filter(pk=saved["city"]).values_list("geonameid", flat=True).first()
        return saved


# --- Invitations and proposals ------------------------------------------------------------------------


class JobInvitationSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    job = JobRefSerializer(read_only=True)
    organisation = OrganisationRefSerializer(source="job.organisation", read_only=True, allow_null=True)
    freelancer = FreelancerRefSerializer(read_only=True)
    invited_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = JobInvitation
        fields = [
            "id",
            "job",
            "organisation",
            "freelancer",
            "invited_by",
            "message",
            "status",
            "decline_reason",
            "created_at",
            "responded_at",
        ]
        read_only_fields = fields


class JobInviteSerializer(serializers.Serializer):
    freelancer_handle = serializers.SlugField(max_length=60, help_text="The handle of a profile you can see.")
    message = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")
