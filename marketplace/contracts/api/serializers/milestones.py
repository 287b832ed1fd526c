"""Milestones with the work handed in for them, and the inputs of their actions."""

from rest_framework import serializers

from marketplace.jobs.api.serializers.refs import AttachmentSerializer, UserRefSerializer

from ...models import Milestone, MilestoneSubmission
from .contracts import MilestoneSerializer


class SubmissionSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    submitted_by = UserRefSerializer(read_only=True)
    files = AttachmentSerializer(
        source="attachments",
        many=True,
        read_only=True,
        help_text="Each `url` downloads the file, for the contract's parties (and the organisation's API "
        "key).",
    )
    revision_message = serializers.CharField(
        read_only=True, help_text="What the client asked to change in this submission; empty if nothing."
    )
    revision_requested_by = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = MilestoneSubmission
        fields = [
            "id",
            "message",
            "files",
            "submitted_by",
            "created_at",
            "revision_message",
            "revision_requested_at",
            "revision_requested_by",
        ]
        read_only_fields = fields


class MilestoneDetailSerializer(MilestoneSerializer):
    """A milestone with its contract, currency and every submission (oldest first). Needs the
    milestone's ``contract`` loaded and ``fee_parts`` in the context."""

    contract = serializers.IntegerField(source="contract_id", read_only=True)
    currency = serializers.CharField(source="contract.currency", read_only=True)
    submissions = SubmissionSerializer(many=True, read_only=True)

    class Meta(MilestoneSerializer.Meta):
        model = Milestone
        fields = ["id", "contract", "currency", *MilestoneSerializer.Meta.fields[1:], "submissions"]
        read_only_fields = fields


class SubmitSerializer(serializers.Serializer):
    message = serializers.CharField(
        max_length=10_000,  # the service's own limit (5,000) answers with its code, `message_required`
        allow_blank=True,
        help_text="What is handed in: 1 to 5,000 characters.",
    )
    files = serializers.ListField(
        child=serializers.FileField(allow_empty_file=True),  # the service refuses it: `empty_file`
        required=False,
        default=list,
        help_text="Up to 5 files (repeat the `files` part), each checked as job attachments are: PDF, "
        "images, text, Office Open XML; at most 10 MB each.",
    )


class RevisionSerializer(serializers.Serializer):
    message = serializers.CharField(
        max_length=10_000, allow_blank=True, help_text="What should change: 5 to 5,000 characters."
    )
