"""Reports and blocks over the API: a logged-in session acting for itself (API keys act for an
organisation, which neither reports nor blocks)."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response

from marketplace.core.rest.schema import SESSION_ONLY_NOTE, errors
from marketplace.core.rest.views import ApiView

from ..models import Block, Report
from ..selectors import moderation as selectors
from ..services import moderation as services

REPORT_TAGS = ["reports"]
BLOCK_TAGS = ["blocks"]


class ReportCreateSerializer(serializers.Serializer):
    message = serializers.IntegerField(
        required=False, help_text="A message id, in a conversation you are in."
    )
    profile = serializers.CharField(required=False, max_length=60, help_text="A freelancer profile's handle.")
    job = serializers.IntegerField(required=False, help_text="A job id.")
    reason = serializers.ChoiceField(choices=Report.Reason.choices)
    details = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ReportTargetSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["message", "profile", "job"])
    id = serializers.CharField(help_text="The message or job id, or the profile's handle.")


class ReportSerializer(serializers.ModelSerializer):
    target = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = ["id", "target", "reason", "details", "status", "created_at"]
        read_only_fields = fields

    @extend_schema_field(ReportTargetSerializer)
    def get_target(self, report: Report) -> dict:
        kind = report.target_kind
        ident = report.profile.handle if kind == "profile" else getattr(report, f"{kind}_id")
        return {"kind": kind, "id": str(ident)}


class BlockCreateSerializer(serializers.Serializer):
    user = serializers.IntegerField(help_text="The id of the user to block.")


class BlockedUserSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class BlockSerializer(serializers.ModelSerializer):
    user = serializers.SerializerMethodField()

    class Meta:
        model = Block
        fields = ["user", "created_at"]
        read_only_fields = fields

    @extend_schema_field(BlockedUserSerializer)
    def get_user(self, block: Block) -> dict:
        return {"id": block.blocked_id, "name": block.blocked.full_name}


class ReportListView(ApiView):
    @extend_schema(
        tags=REPORT_TAGS,
        summary="Report a message, a profile or a job to staff",
        description="Name exactly one of `message`, `profile` (a handle) or `job`. Something you cannot "
        "see answers 404 as if it did not exist; your own things cannot be reported (400 "
        "`cannot_report_own`); one open report per target and reporter (409 `already_reported`). "
        "Staff see it in their moderation queue; the reported person is not told who reported it."
        + SESSION_ONLY_NOTE,
        request=ReportCreateSerializer,
        responses={
            201: ReportSerializer,
            **errors(
                400,
                403,
                s404="`message_not_found`, `profile_not_found`, `job_not_found`",
                s409="`already_reported`",
            ),
        },
    )
    def post(self, request):
        data = self.parsed(ReportCreateSerializer)
        report = services.report_create(
            acting_user=request.user,
            reason=data["reason"],
            details=data["details"],
            message_id=data.get("message"),
            profile_handle=data.get("profile"),
            job_id=data.get("job"),
        )
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class BlockListView(ApiView):
    @extend_schema(
        tags=BLOCK_TAGS,
        summary="The people you have blocked",
        description="Most recent first, paginated." + SESSION_ONLY_NOTE,
        responses={200: BlockSerializer(many=True), **errors(403)},
    )
    def get(self, request):
        return self.paginated(selectors.blocks_of(request.user), BlockSerializer)

    @extend_schema(
        tags=BLOCK_TAGS,
        summary="Block a user",
        description="A blocked user cannot post to you in a proposal or direct conversation, nor open "
        "a direct one with you (403 `blocked`); a contract's conversation stays open so the work can go "
        "on. Blocking someone already blocked answers 200 with the existing block." + SESSION_ONLY_NOTE,
        request=BlockCreateSerializer,
        responses={
            201: BlockSerializer,
            200: BlockSerializer,
            **errors(400, 403, s404="`user_not_found`"),
        },
    )
    def post(self, request):
        data = self.parsed(BlockCreateSerializer)
        block, created = services.block_create(acting_user=request.user, user_id=data["user"])
        return Response(
            BlockSerializer(block).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class BlockDetailView(ApiView):
    @extend_schema(
        tags=BLOCK_TAGS,
        summary="Unblock a user",
        description="Answers 404 `block_not_found` when you have not blocked them." + SESSION_ONLY_NOTE,
        request=None,
        responses={204: None, **errors(403, s404="`block_not_found`")},
    )
    def delete(self, request, user_id: int):
        services.block_remove(acting_user=request.user, user_id=user_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
