"""A contract's milestones, for both parties: their money, state and deadlines and the work handed
in; the freelancer submits work, the client side asks for changes or approves (which releases the
money). Funding is in ``money.py``. Who may act is the services' rule, as on the milestone page."""

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from marketplace.core.exceptions import NotFound
from marketplace.core.rest.schema import errors
from marketplace.jobs.api.base import KEY_NOTE, WRITE_NOTE, upload_errors

from ... import services
from ...models import Contract, Milestone, MilestoneSubmission
from ...permissions import require_milestone_action
from ..base import CONTRACT_404, ContractsApiView
from ..serializers.milestones import (
    MilestoneDetailSerializer,
    RevisionSerializer,
    SubmitSerializer,
)

MILESTONE_404 = (
    "`contract_not_found` (not a party's, or no such id), `milestone_not_found` (not this contract's)"
)
PARTIES_NOTE = (
    " Seen by the contract's freelancer, its client side (any role) and staff; 404 for everyone else."
)
CONTRACT_ENDED = "`contract_not_active` (the contract has ended)"


def _with_submissions(milestones: QuerySet[Milestone]) -> QuerySet[Milestone]:
    submissions = (
        MilestoneSubmission.objects.select_related("submitted_by", "revision_requested_by")
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )
    return milestones.prefetch_related(Prefetch("submissions", queryset=submissions))


class MilestoneApiView(ContractsApiView):
    """The contract through the visibility selectors (or the API key's organisation), then its
    milestones with their submissions."""

    def milestones(self, contract: Contract) -> QuerySet[Milestone]:
        # The contract is one the caller may see; its milestones carry it (no query per row).
        return _with_submissions(contract.milestones.all())

    def milestone(self, pk: int, mid: int) -> Milestone:
        found = self.milestones(self.contract(pk)).filter(pk=mid).first()
        if found is None:
            raise NotFound("No such milestone.", code="milestone_not_found")
        return found

    def milestone_to_act_on(self, pk: int, mid: int, action: str) -> Milestone:
        """The milestone (404 unless the caller sees it), once the caller is on the side that takes
        ``action`` (403, the service's check): both before a request's body is read."""
        milestone = self.milestone(pk, mid)
        require_milestone_action(self.request.user, milestone.contract, action)
        return milestone

    def answer(self, pk: int, mid: int) -> Response:
        """The milestone as it is now."""
        milestone = self.milestone(pk, mid)
        context = self.milestone_context(milestone.contract)
        return Response(MilestoneDetailSerializer(milestone, context=context).data)


class MilestoneListView(MilestoneApiView):
    api_key_readable = True

    @extend_schema(
        tags=["milestones"],
        summary="A contract's milestones",
        description="In schedule order, paginated: each with its amount, the client's total and the "
        "freelancer's net (its part of the contract's fee split), its state and deadlines, and every "
        "submission of work (message, files, the client's answer)." + PARTIES_NOTE + KEY_NOTE,
        responses={200: MilestoneDetailSerializer(many=True), **errors(403, s404=CONTRACT_404)},
    )
    def get(self, request, pk: int):
        contract = self.contract(pk)
        context = self.milestone_context(contract)
        return self.paginated(self.milestones(contract), MilestoneDetailSerializer, **context)


class MilestoneDetailView(MilestoneApiView):
    api_key_readable = True

    @extend_schema(
        tags=["milestones"],
        summary="A milestone",
        description="Its money, state, deadlines and submissions." + PARTIES_NOTE + KEY_NOTE,
        responses={200: MilestoneDetailSerializer, **errors(403, s404=MILESTONE_404)},
    )
    def get(self, request, pk: int, mid: int):
        return self.answer(pk, mid)


class MilestoneSubmitView(MilestoneApiView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=["milestones"],
        summary="Submit work",
        description="The freelancer hands in a funded milestone (or one the client asked to change): "
        "`multipart/form-data` with `message` and up to 5 `files`. The client has "
        "`MILESTONE_AUTO_APPROVE_DAYS` (14) to approve or ask for changes, else it is approved "
        "automatically (`auto_approve_at`). A refused file refuses the whole submission. 400 "
        "`message_required`; 409 `illegal_transition` (not funded, or waiting for the client), "
        "`too_many_attachments`, " + CONTRACT_ENDED + "." + WRITE_NOTE,
        request={"multipart/form-data": SubmitSerializer},
        responses={
            200: MilestoneDetailSerializer,
            **upload_errors(
                s404=MILESTONE_404,
                s409="`illegal_transition`, `too_many_attachments`, `contract_not_active`",
            ),
        },
    )
    def post(self, request, pk: int, mid: int):
        milestone = self.milestone_to_act_on(pk, mid, "submit")
        data = self.parsed(SubmitSerializer)
        files = [(upload.name, upload.read()) for upload in data["files"]]
        services.milestone_submit(
            acting_user=request.user, milestone=milestone, message=data["message"], files=files
        )
        return self.answer(pk, mid)


class MilestoneRevisionView(MilestoneApiView):
    @extend_schema(
        tags=["milestones"],
        summary="Ask for changes",
        description="The client side (needs `manage_jobs` for an organisation's contract) answers a "
        "submission with what should change; the approval deadline stops until the next submission. 400 "
        "`message_required`; 409 `illegal_transition` (nothing submitted), "
        + CONTRACT_ENDED
        + "."
        + WRITE_NOTE,
        request=RevisionSerializer,
        responses={
            200: MilestoneDetailSerializer,
            **errors(
                400,
                403,
                404,
                s400="`message_required`",
                s403="`not_job_owner`, `not_a_member`, `role_forbids`",
                s404=MILESTONE_404,
                s409="`illegal_transition`, `contract_not_active`",
            ),
        },
    )
    def post(self, request, pk: int, mid: int):
        milestone = self.milestone_to_act_on(pk, mid, "request_revision")
        message = self.parsed(RevisionSerializer)["message"]
        services.milestone_request_revision(acting_user=request.user, milestone=milestone, message=message)
        return self.answer(pk, mid)


class MilestoneApproveView(MilestoneApiView):
    @extend_schema(
        tags=["milestones"],
        summary="Approve work",
        description="The client side (needs `approve_payments` for an organisation's contract) approves "
        "the submitted work, which releases its money to the freelancer at once: `released` once paid "
        "out, `approved` while the payout waits for the freelancer's payout account. 409 "
        "`illegal_transition` (nothing submitted), " + CONTRACT_ENDED + "." + WRITE_NOTE,
        request=None,
        responses={
            200: MilestoneDetailSerializer,
            **errors(
                403,
                404,
                s403="`not_job_owner`, `not_a_member`, `role_forbids`",
                s404=MILESTONE_404,
                s409="`illegal_transition`, `contract_not_active`",
            ),
        },
    )
    def post(self, request, pk: int, mid: int):
        services.milestone_approve(acting_user=request.user, milestone=self.milestone(pk, mid))
        return self.answer(pk, mid)
