"""Serializers of the pool managers' API (``api/members.py``): member rows, one member's file, the
review queue, and the bodies of the reviewers' actions. Rows are ``selectors.members.MemberRow``.

What a reader sees depends on the context: ``show_contacts`` (email addresses: ``manage_pool`` and the
organisation's API keys) and ``show_evidence`` (what a result rests on: credential ids and amounts,
and the credentials themselves: ``manage_pool`` only, never an API key)."""

from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Credential, PoolMembership, PoolOverride
from ..selectors.members import QUEUE_SECTIONS, requirement_label
from .worker_serializers import CREDENTIAL_FIELDS


class MemberWorkerSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="Null for an invitation nobody answered yet.")
    full_name = serializers.CharField()
    handle = serializers.CharField(allow_null=True)
    email = serializers.CharField(
        allow_null=True, help_text="Only for the roles that manage the pool (and API keys); null otherwise."
    )

    def to_representation(self, membership: PoolMembership) -> dict:
        user = membership.freelancer
        profile = getattr(user, "freelancer_profile", None) if user else None
        contacts = self.context.get("show_contacts")
        return {
            "id": user.pk if user else None,
            "full_name": user.get_full_name() if user else "Invited freelancer",
            "handle": profile.handle if profile else None,
            "email": (user.email if user else membership.email) if contacts else None,
        }


class MemberTierSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class MemberRuleResultSerializer(serializers.Serializer):
    requirement = serializers.IntegerField(source="requirement_id")
    kind = serializers.CharField(source="requirement.kind")
    label = serializers.SerializerMethodField()
    status = serializers.CharField(help_text="`pass`, `fail`, `pending` (awaiting review) or `expired`.")
    reason = serializers.CharField(help_text='Why it passes or not, in words ("why not eligible").')
    lapses_on = serializers.DateField(allow_null=True, help_text="The first day a pass stops counting.")
    evidence = serializers.SerializerMethodField(
        help_text="What the result rests on (credential id, amounts, distance…): only for `manage_pool`."
    )

    def get_label(self, result) -> str:
        return requirement_label(result.requirement)

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_evidence(self, result) -> dict | None:
        return result.evidence if self.context.get("show_evidence") else None


class MemberRowSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="membership.pk")
    status = serializers.ChoiceField(source="membership.status", choices=PoolMembership.Status.choices)
    worker = MemberWorkerSerializer(source="membership")
    tier = MemberTierSerializer(source="membership.tier", allow_null=True)
    flagged = serializers.SerializerMethodField()
    flag_reason = serializers.CharField(source="membership.flag_reason")
    failing_count = serializers.SerializerMethodField()
    first_failing_reason = serializers.CharField()
    next_lapse = serializers.DateField(allow_null=True)
    override_expires_at = serializers.SerializerMethodField(
        help_text="The end of the member's granted pool override; null without one."
    )
    rules = serializers.SerializerMethodField(help_text="Each rule's status, by requirement id.")

    def get_flagged(self, row) -> bool:
        return row.membership.flagged_at is not None

    def get_failing_count(self, row) -> int:
        return len(row.failing)

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_override_expires_at(self, row):
        return row.override.expires_at if row.override else None

    @extend_schema_field(serializers.DictField(child=serializers.CharField()))
    def get_rules(self, row) -> dict:
        return {str(r.requirement_id): r.status for r in row.results}


class MemberHistorySerializer(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor = serializers.SerializerMethodField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()

    def get_actor(self, change) -> str | None:
        return change.actor.get_full_name() if change.actor else None


class MemberOverrideSerializer(serializers.ModelSerializer):
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = PoolOverride
        fields = [
            "id",
            "job",
            "status",
            "request_reason",
            "requested_at",
            "decision_reason",
            "decided_by",
            "decided_at",
            "expires_at",
            "waived",
        ]
        read_only_fields = fields

    def get_decided_by(self, override) -> str | None:
        return override.decided_by.get_full_name() if override.decided_by else None


class MemberSignatureSerializer(serializers.Serializer):
    requirement = serializers.IntegerField(source="requirement_id")
    title = serializers.CharField()
    version = serializers.IntegerField()
    signed_name = serializers.CharField()
    signed_at = serializers.DateTimeField()
    ip = serializers.CharField(allow_null=True)


class MemberReminderSerializer(serializers.Serializer):
    subject = serializers.CharField()
    days_before = serializers.IntegerField()
    sent_at = serializers.DateTimeField()


class ReviewedCredentialSerializer(serializers.ModelSerializer):
    file = serializers.SerializerMethodField(help_text="Download: GET /api/attachments/{file}/file/.")
    file_name = serializers.CharField(source="file.original_name")

    class Meta:
        model = Credential
        fields = [*CREDENTIAL_FIELDS, "file", "file_name"]
        read_only_fields = fields

    def get_file(self, credential) -> int:
        return credential.file_id


class MemberFileSerializer(serializers.Serializer):
    member = MemberRowSerializer(source="row")
    results = MemberRuleResultSerializer(source="row.results", many=True)
    history = MemberHistorySerializer(many=True, help_text="Newest first.")
    overrides = MemberOverrideSerializer(many=True)
    signatures = MemberSignatureSerializer(many=True)
    reminders = MemberReminderSerializer(many=True)
    credentials = ReviewedCredentialSerializer(
        many=True,
        allow_null=True,
        help_text="The worker's uploads for this organisation: `manage_pool` only.",
    )


class ReviewQueueItemSerializer(serializers.Serializer):
    section = serializers.ChoiceField(choices=list(QUEUE_SECTIONS))
    id = serializers.IntegerField(help_text="The membership's, the override's or the credential's id.")
    membership = serializers.IntegerField(allow_null=True)
    pool = serializers.DictField(allow_null=True)
    worker = serializers.DictField()
    since = serializers.DateTimeField()
    summary = serializers.CharField()


class ReviewQueuePageSerializer(serializers.Serializer):
    counts = serializers.DictField(child=serializers.IntegerField(), help_text="Items in each section.")
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ReviewQueueItemSerializer(many=True)


# --- Bodies ------------------------------------------------------------------------------------------


class ReviewReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class MemberAddSerializer(ReviewReasonSerializer):
    freelancer_handle = serializers.CharField(max_length=60)


class MemberTierChoiceSerializer(serializers.Serializer):
    tier = serializers.IntegerField(allow_null=True, help_text="One of the pool's tiers; null for none.")


class MemberOverrideGrantSerializer(ReviewReasonSerializer):
    days = serializers.IntegerField(min_value=1, max_value=settings.POOL_OVERRIDE_MAX_DAYS)


class MemberFilterSerializer(serializers.Serializer):
    """The list's query parameters."""

    status = serializers.MultipleChoiceField(
        choices=PoolMembership.Status.choices, required=False, help_text="Any of; repeat it. Default: live."
    )
    tier = serializers.IntegerField(required=False)
    failing_rule = serializers.IntegerField(required=False, help_text="A requirement id.")
    expiring_within = serializers.IntegerField(required=False, min_value=0, max_value=365, help_text="Days.")
    q = serializers.CharField(required=False, allow_blank=True, max_length=100)
