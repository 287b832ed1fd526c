"""Shapes of the worker's pool endpoints (api/worker.py): pools to browse, a membership's checklist,
credentials and the requests that upload, sign and ask for an override."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from marketplace.core.models import StatusChange

from ..models import Credential, PoolMembership, RequirementResult, TalentPool
from ..selectors.pools_worker import ChecklistItem

_ORGANISATION = {"type": "object", "properties": {"slug": {"type": "string"}, "name": {"type": "string"}}}
_MY_MEMBERSHIP = {
    "type": "object",
    "nullable": True,
    "properties": {"id": {"type": "integer"}, "status": {"type": "string"}},
}


class PoolSerializer(serializers.ModelSerializer):
    organisation = serializers.SerializerMethodField()
    requirement_count = serializers.IntegerField(read_only=True)
    my_membership = serializers.SerializerMethodField(
        help_text="Your live membership of this pool (invited, awaiting requirements… suspended), or null."
    )

    class Meta:
        model = TalentPool
        fields = [
            "id",
            "name",
            "description",
            "organisation",
            "visibility",
            "join_policy",
            "requirement_count",
            "my_membership",
        ]
        read_only_fields = fields

    @extend_schema_field(_ORGANISATION)
    def get_organisation(self, pool: TalentPool) -> dict:
        return {"slug": pool.organisation.slug, "name": pool.organisation.name}

    @extend_schema_field(_MY_MEMBERSHIP)
    def get_my_membership(self, pool: TalentPool) -> dict | None:
        if pool.my_membership_id is None:
            return None
        return {"id": pool.my_membership_id, "status": pool.my_status}


class RequirementLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="requirement.pk")
    kind = serializers.CharField(source="requirement.kind")
    label = serializers.CharField(help_text="The kind in words, e.g. “Insurance certificate”.")
    summary = serializers.CharField(help_text="What the rule asks, in plain words.")
    action = serializers.ChoiceField(
        choices=["upload", "sign", "profile", "record", "pool"],
        help_text="What you do to meet it: upload a document, sign in the page, update your profile, "
        "build your track record, or join another pool.",
    )
    next_step = serializers.CharField()
    config = serializers.JSONField(
        source="requirement.config", help_text="The rule's settings (an agreement's text among them)."
    )


class PoolDetailSerializer(PoolSerializer):
    requirements = serializers.SerializerMethodField()

    class Meta(PoolSerializer.Meta):
        fields = [*PoolSerializer.Meta.fields, "requirements"]
        read_only_fields = fields

    @extend_schema_field(RequirementLineSerializer(many=True))
    def get_requirements(self, pool: TalentPool) -> list:
        return RequirementLineSerializer(self.context["lines"], many=True).data


class ApplySerializer(serializers.Serializer):
    message = serializers.CharField(
        max_length=2000, allow_blank=True, required=False, default="", help_text="For the organisation."
    )


class StoredFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.SerializerMethodField(help_text="The download (you and the organisation's reviewers).")

    def get_url(self, file) -> str:
        return reverse("jobs_api:attachment-file", args=[file.pk])


# What both sides read of a credential (the worker's own, the reviewer's), besides its file.
CREDENTIAL_FIELDS = [
    "id",
    "kind",
    "name",
    "form",
    "coverage",
    "per_occurrence_minor",
    "aggregate_minor",
    "score",
    "issued_on",
    "expires_on",
    "status",
    "uploaded_at",
    "reviewed_at",
    "review_reason",
]


class CredentialSerializer(serializers.ModelSerializer):
    file = StoredFileSerializer(read_only=True)

    class Meta:
        model = Credential
        fields = [*CREDENTIAL_FIELDS, "file"]
        read_only_fields = fields


class CredentialUploadSerializer(serializers.Serializer):
    """Parsed only; which fields a requirement needs, and their rules, are the service's (400
    `credential_invalid` with a code per field)."""

    requirement = serializers.IntegerField(help_text="The requirement (of this pool) it is for.")
    file = serializers.FileField(
        required=False,
        allow_empty_file=True,
        help_text="PDF, JPEG or PNG, at most 10 MB; the type is read from the content, not the name.",
    )
    form = serializers.CharField(
        required=False, help_text="Tax forms: `w9` or `w8ben`, one the rule accepts."
    )
    per_occurrence_minor = serializers.CharField(
        required=False, help_text="Insurance: cover per occurrence, cents."
    )
    aggregate_minor = serializers.CharField(required=False, help_text="Insurance: aggregate cover, cents.")
    expires_on = serializers.CharField(
        required=False,
        help_text="YYYY-MM-DD, the first day it no longer counts: insurance (required), certifications "
        "and documents (if they expire).",
    )
    issued_on = serializers.CharField(
        required=False, help_text="Background checks and drug tests: the day completed, not in the future."
    )
    score = serializers.CharField(required=False, help_text="Skills tests: 0 to 100.")


class SignSerializer(serializers.Serializer):
    signed_name = serializers.CharField(
        max_length=1000, allow_blank=True, help_text="Your full name as on your account (case aside)."
    )


class OverrideRequestSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, allow_blank=True)
    job = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="One of the pool's jobs; empty for the pool."
    )


class OverrideSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    job = serializers.IntegerField(source="job_id", allow_null=True)
    status = serializers.CharField()
    request_reason = serializers.CharField()
    requested_at = serializers.DateTimeField()
    decision_reason = serializers.CharField()
    decided_at = serializers.DateTimeField(allow_null=True)
    expires_at = serializers.DateTimeField(allow_null=True)


class ResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = RequirementResult
        fields = ["status", "reason", "lapses_on", "evaluated_at"]
        read_only_fields = fields


class ChecklistItemSerializer(serializers.Serializer):
    requirement = RequirementLineSerializer(source="line")
    status = serializers.ChoiceField(
        choices=["pass", "fail", "pending", "expired", "unknown"],
        help_text="`unknown`: not evaluated yet (an invitation not accepted).",
    )
    result = ResultSerializer(allow_null=True)
    signed_at = serializers.SerializerMethodField(help_text="Agreements: when you signed this version.")
    credentials = serializers.SerializerMethodField(help_text="Your credentials of this kind, newest first.")

    def get_signed_at(self, item: ChecklistItem) -> str | None:
        return item.signed.signed_at.isoformat() if item.signed else None

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_credentials(self, item: ChecklistItem) -> list[int]:
        return [c.pk for c in item.credentials]


class HistorySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.get_full_name", default=None, allow_null=True)

    class Meta:
        model = StatusChange
        fields = ["from_status", "to_status", "reason", "actor", "created_at"]
        read_only_fields = fields


class MembershipDetailSerializer(serializers.ModelSerializer):
    pool = serializers.SerializerMethodField()
    tier = serializers.CharField(source="tier.name", default=None, allow_null=True)
    checklist = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField(help_text="Status changes with their reasons, newest first.")
    overrides = serializers.SerializerMethodField()

    class Meta:
        model = PoolMembership
        fields = [
            "id",
            "status",
            "pool",
            "joined_via",
            "tier",
            "message",
            "invited_at",
            "responded_at",
            "flagged_at",
            "flag_reason",
            "checklist",
            "history",
            "overrides",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                "id": {"type": "integer"},
                "name": {"type": "string"},
                "description": {"type": "string"},
                "organisation": _ORGANISATION,
            },
        }
    )
    def get_pool(self, membership: PoolMembership) -> dict:
        pool = membership.pool
        organisation = {"slug": pool.organisation.slug, "name": pool.organisation.name}
        return {
            "id": pool.pk,
            "name": pool.name,
            "description": pool.description,
            "organisation": organisation,
        }

    @extend_schema_field(ChecklistItemSerializer(many=True))
    def get_checklist(self, membership: PoolMembership) -> list:
        return ChecklistItemSerializer(self.context["checklist"], many=True).data

    @extend_schema_field(HistorySerializer(many=True))
    def get_history(self, membership: PoolMembership) -> list:
        return HistorySerializer(self.context["history"], many=True).data

    @extend_schema_field(OverrideSerializer(many=True))
    def get_overrides(self, membership: PoolMembership) -> list:
        return OverrideSerializer(membership.overrides.all(), many=True).data
