"""References to people and things, attachments, and small inputs shared by the endpoints."""

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from rest_framework import serializers

from marketplace.accounts.models import Skill, User
from marketplace.core.models import StoredFile
from marketplace.core.text import validate_single_line_text
from marketplace.organisations.models import Organisation

from ...models import Job

MINOR = "Integer minor units (cents) of `currency`."
AMOUNT = "Fixed price: the total; hourly: the rate. " + MINOR
ID_MAX = 2**31 - 1


class UserRefSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)

    class Meta:
        model = User
        fields = ["id", "full_name"]
        read_only_fields = fields


class FreelancerRefSerializer(UserRefSerializer):
    handle = serializers.SerializerMethodField(
        help_text="Their profile's handle (`/api/profiles/{handle}/`)."
    )

    class Meta(UserRefSerializer.Meta):
        fields = [*UserRefSerializer.Meta.fields, "handle"]
        read_only_fields = fields

    def get_handle(self, user: User) -> str | None:
        try:
            return user.freelancer_profile.handle
        except ObjectDoesNotExist:
            return None


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["slug", "name"]
        read_only_fields = fields


class JobRefSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)

    class Meta:
        model = Job
        fields = ["id", "title", "status"]
        read_only_fields = fields


class JobSkillSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="Jobs refer to skills by this id.")

    class Meta:
        model = Skill
        fields = ["id", "slug", "name"]
        read_only_fields = fields


class AttachmentSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)
    size = serializers.IntegerField(read_only=True, help_text="Bytes.")
    url = serializers.SerializerMethodField()

    class Meta:
        model = StoredFile
        fields = ["id", "name", "content_type", "size", "url", "created_at"]
        read_only_fields = fields

    def get_url(self, attachment: StoredFile) -> str:
        """The download endpoint (which checks who asks), not the stored file's path."""
        return reverse("jobs_api:attachment-file", args=[attachment.pk])


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True,  # the service refuses it with its own code, `empty_file`
        help_text="PDF, JPEG, PNG, WebP, plain text (.txt, .md, .csv), Word, Excel or PowerPoint "
        "(.docx, .xlsx, .pptx); at most 10 MB and 5 files per job or proposal. The type is read from the "
        "content, not the name.",
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True, required=False, default="")


class MilestoneTermSerializer(serializers.Serializer):
    title = serializers.CharField(
        validators=[validate_single_line_text],
        max_length=200,
        allow_blank=True,
        help_text="1 to 120 characters.",
    )
    amount_minor = serializers.IntegerField(min_value=1, help_text=MINOR)
