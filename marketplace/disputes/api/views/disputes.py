"""A party's disputes: opening one on a milestone's held money, and each step after it — the other
side's response, evidence, asking support to decide, withdrawing, and proposing a settlement (its
answers are in ``offers.py``)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from marketplace.contracts.models import Milestone
from marketplace.core.exceptions import NotFound, PermissionDenied
from marketplace.core.money import Money
from marketplace.core.rest.schema import errors
from marketplace.hourly.selectors import timesheet_for_viewer
from marketplace.jobs.api.base import upload_errors

from ... import services
from ...permissions import other_side, require_side
from ..base import DISPUTE_404, PARTY_NOTE, WRITE_NOTE, DisputesApiView, row_queryset, with_details
from ..serializers import disputes as h

UPLOAD = "\n\nJSON, or `multipart/form-data` with evidence `files`."
STEP_409 = "`dispute_not_active` (it has ended)"


class DisputeActionView(DisputesApiView):
    def answer(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        """The dispute as it is now, in its detail shape."""
        dispute = self.dispute(pk)
        with_details([dispute])
        return Response(h.DisputeDetailSerializer(dispute).data, status=status_code)


class DisputeListView(DisputeActionView):
    api_key_readable = True

    @extend_schema(
        tags=["disputes"],
        summary="Your disputes",
        description="The disputes of your contracts (as the freelancer, or on the client side with a role "
        "that approves payments), newest first, paginated. With an API key: the organisation's." + PARTY_NOTE,
        responses={200: h.DisputeSerializer(many=True), **errors(403)},
    )
    def get(self, request):
        return self.paginated(row_queryset(self.disputes()), h.DisputeSerializer)

    @extend_schema(
        tags=["disputes"],
        summary="Open a dispute",
        description="Either side disputes a milestone's held money (funded, submitted or sent back for "
        "changes), or the freelancer the refund after a cancellation within its window, or either side an "
        "hourly week in review (`timesheet`, before its `review_by`) on the `entries` in question, each with "
        "the amount of it in question (the dispute's amount is their sum; the week becomes `disputed`): "
        "400 `entries_required`, `entry_not_in_week`, `entry_duplicate`, `minutes_invalid`, "
        "`amount_not_positive`, `amount_exceeds_entry`; 404 `timesheet_not_found`; 409 "
        "`timesheet_not_disputable`, `review_ended`. For a milestone: the reason, what "
        "went wrong, the amount you say is yours and evidence files. The money is frozen at once (no "
        "release, approval or refund) and the other side has `DISPUTE_RESPONSE_DAYS` (3) to respond "
        "(`respond_by`); then, or when both sides ask, support decides. 400 `reason_invalid`, "
        "`description_required` (10 to 5,000 characters), `amount_exceeds_held`; 404 `milestone_not_found` "
        "for a milestone you do not see; 409 `milestone_not_disputable`, `dispute_open_already`, "
        "`dispute_window_closed`, `contract_not_active`, `too_many_attachments`." + UPLOAD + WRITE_NOTE,
        request={"application/json": h.OpenSerializer, "multipart/form-data": h.OpenSerializer},
        responses={
            201: h.DisputeDetailSerializer,
            **upload_errors(
                s404="`milestone_not_found`, `timesheet_not_found`",
                s409="`milestone_not_disputable`, `dispute_open_already`, `dispute_window_closed`, "
                "`contract_not_active`, `too_many_attachments`, `timesheet_not_disputable`, `review_ended`",
            ),
        },
    )
    def post(self, request):
        data = self.parsed(h.OpenSerializer)
        if "timesheet" in data:
            timesheet = timesheet_for_viewer(pk=data["timesheet"], viewer=request.user)
            currency = timesheet.contract.currency
            dispute = services.dispute_open_week(
                acting_user=request.user,
                timesheet=timesheet,
                reason=data["reason"],
                description=data["description"],
                entries=[
                    {
                        "entry": row["entry"],
                        "amount": Money(row["amount_minor"], currency),
                        "minutes": row["minutes"],
                    }
                    for row in data["entries"]
                ],
                files=data["files"],
            )
            return self.answer(dispute.pk, status_code=status.HTTP_201_CREATED)
        milestone = Milestone.objects.select_related("contract").filter(pk=data["milestone"]).first()
        if milestone is None:
            raise NotFound("No such milestone.", code="milestone_not_found")
        dispute = services.dispute_open(
            acting_user=request.user,
            milestone=milestone,
            reason=data["reason"],
            description=data["description"],
            amount=Money(data["amount_minor"], milestone.contract.currency),
            files=data["files"],
        )
        return self.answer(dispute.pk, status_code=status.HTTP_201_CREATED)


class DisputeDetailView(DisputeActionView):
    api_key_readable = True

    @extend_schema(
        tags=["disputes"],
        summary="A dispute",
        description="Its state, deadlines and money, what each side said (description, response, evidence "
        "with files), the settlement offers and how it ended." + PARTY_NOTE,
        responses={200: h.DisputeDetailSerializer, **errors(403, s404=DISPUTE_404)},
    )
    def get(self, request, pk: int):
        return self.answer(pk)


class DisputeRespondView(DisputeActionView):
    @extend_schema(
        tags=["disputes"],
        summary="Respond to a dispute",
        description="The other side than the opener answers, with evidence files, before `respond_by`. "
        "400 `response_required`; 409 `already_responded`, " + STEP_409 + "." + UPLOAD + WRITE_NOTE,
        request={"application/json": h.RespondSerializer, "multipart/form-data": h.RespondSerializer},
        responses={
            200: h.DisputeDetailSerializer,
            **upload_errors(s404=DISPUTE_404, s409="`already_responded`, " + STEP_409),
        },
    )
    def post(self, request, pk: int):
        dispute = self.dispute(pk)
        require_side(request.user, dispute, other_side(dispute.opened_by_side))
        data = self.parsed(h.RespondSerializer)
        services.dispute_respond(
            acting_user=request.user, dispute=dispute, response=data["response"], files=data["files"]
        )
        return self.answer(pk)


class DisputeEvidenceView(DisputeActionView):
    @extend_schema(
        tags=["disputes"],
        summary="Add evidence",
        description="Either side adds a statement and files while the dispute is open or with support. "
        "400 `evidence_required` (neither statement nor files); 409 " + STEP_409 + "." + UPLOAD + WRITE_NOTE,
        request={
            "application/json": h.EvidenceInputSerializer,
            "multipart/form-data": h.EvidenceInputSerializer,
        },
        responses={201: h.EvidenceSerializer, **upload_errors(s404=DISPUTE_404, s409=STEP_409)},
    )
    def post(self, request, pk: int):
        dispute = self.dispute(pk)
        require_side(request.user, dispute)
        data = self.parsed(h.EvidenceInputSerializer)
        evidence = services.evidence_add(
            acting_user=request.user, dispute=dispute, statement=data["statement"], files=data["files"]
        )
        return Response(h.EvidenceSerializer(evidence).data, status=status.HTTP_201_CREATED)


class DisputeAskSupportView(DisputeActionView):
    @extend_schema(
        tags=["disputes"],
        summary="Ask support to decide",
        description="Either side asks support to step in before the response deadline; when both have "
        "asked, the dispute goes to support at once. No body. 409 `already_asked`, `already_escalated`, "
        + STEP_409
        + "."
        + WRITE_NOTE,
        request=None,
        responses={
            200: h.DisputeDetailSerializer,
            **errors(403, 404, s404=DISPUTE_404, s409="`already_asked`, `already_escalated`, " + STEP_409),
        },
    )
    def post(self, request, pk: int):
        services.dispute_ask_support(acting_user=request.user, dispute=self.dispute(pk))
        return self.answer(pk)


class DisputeWithdrawView(DisputeActionView):
    @extend_schema(
        tags=["disputes"],
        summary="Withdraw a dispute",
        description="The opener drops the dispute, saying why; the money follows the milestone's usual "
        "course again. 400 `reason_required`; 403 `not_the_opener` for the other side; 409 "
        + STEP_409
        + "."
        + WRITE_NOTE,
        request=h.WithdrawSerializer,
        responses={
            200: h.DisputeDetailSerializer,
            **errors(400, 403, 404, s404=DISPUTE_404, s409=STEP_409),
        },
    )
    def post(self, request, pk: int):
        dispute = self.dispute(pk)
        if require_side(request.user, dispute) != dispute.opened_by_side:
            raise PermissionDenied(
                "Only the side that opened a dispute can withdraw it.", code="not_the_opener"
            )
        reason = self.parsed(h.WithdrawSerializer)["reason"]
        services.dispute_withdraw(acting_user=request.user, dispute=dispute, reason=reason)
        return self.answer(pk)


class DisputeOfferView(DisputeActionView):
    @extend_schema(
        tags=["disputes"],
        summary="Propose a settlement",
        description="Either side proposes how to split the held money (`release_minor` to the freelancer "
        "+ `refund_minor` to the client = the milestone's amount); the other side accepts or declines it "
        "(`/api/dispute-offers/{id}/…`). A new offer lapses the one waiting. 400 "
        "`offer_does_not_add_up`, `message_too_long`; 409 " + STEP_409 + "." + WRITE_NOTE,
        request=h.SettlementOfferInputSerializer,
        responses={
            201: h.SettlementOfferSerializer,
            **errors(400, 403, 404, s404=DISPUTE_404, s409=STEP_409),
        },
    )
    def post(self, request, pk: int):
        dispute = self.dispute(pk)
        require_side(request.user, dispute)
        data = self.parsed(h.SettlementOfferInputSerializer)
        offer = services.offer_propose(
            acting_user=request.user,
            dispute=dispute,
            release=Money(data["release_minor"], dispute.currency),
            refund=Money(data["refund_minor"], dispute.currency),
            message=data["message"],
        )
        return Response(h.SettlementOfferSerializer(offer).data, status=status.HTTP_201_CREATED)
