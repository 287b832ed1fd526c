"""The support staff's side: the queue of disputes (ordered by deadline, with filters), a case with
its internal notes, assigning it, noting, and deciding (release all, refund all, or split: the money
moves at once through the escrow primitives, and both parties are told what each receives)."""

from django.db.models import Prefetch, prefetch_related_objects
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from marketplace.accounts.models import User
from marketplace.core.exceptions import NotFound
from marketplace.core.money import Money
from marketplace.core.rest.schema import errors

from ... import selectors, services
from ...models import Dispute, StaffNote
from ..base import DISPUTE_404, SUPPORT_NOTE, SupportApiView, row_queryset, with_details
from ..serializers import support as h

SUPPORT_403 = "`not_support`"
DECIDE_409 = (
    "`dispute_not_escalated` (the other side may still respond), `dispute_not_active` (ended), "
    "`chargeback_case` (the card's bank decides those), `held_changed`"
)


class CaseView(SupportApiView):
    def answer(self, pk: int, *, status_code: int = status.HTTP_200_OK) -> Response:
        dispute = (
            row_queryset(Dispute.objects.filter(pk=pk)).select_related("assigned_to", "resolved_by").get()
        )
        with_details([dispute])
        notes = StaffNote.objects.select_related("author").order_by("created_at", "pk")
        prefetch_related_objects([dispute], Prefetch("staff_notes", queryset=notes))
        return Response(h.CaseSerializer(dispute).data, status=status_code)


class QueueView(SupportApiView):
    @extend_schema(
        tags=["support"],
        summary="The disputes queue",
        description="Every dispute, the nearest deadline first (the decision target `decide_by` once "
        "with support, else the response deadline `respond_by`), paginated; filter by `status`, "
        "`assigned` (`me`, `none` or a user id) and `kind`." + SUPPORT_NOTE,
        parameters=[
            OpenApiParameter("status", enum=Dispute.Status.values, required=False),
            OpenApiParameter("assigned", str, required=False, description="`me`, `none` or a user id."),
            OpenApiParameter("kind", enum=Dispute.Kind.values, required=False),
        ],
        responses={200: h.QueueRowSerializer(many=True), **errors(400, 403, s403=SUPPORT_403)},
    )
    def get(self, request):
        filters = h.QueueFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        chosen = filters.validated_data
        assigned = chosen.get("assigned")
        assignee = {"me": request.user.pk, "none": None, None: None}.get(assigned, assigned)
        queue = selectors.support_queue(
            status=chosen.get("status"),
            assigned_to=int(assignee) if assignee else None,
            kind=chosen.get("kind"),
        )
        if assigned == "none":
            queue = queue.filter(assigned_to__isnull=True)
        return self.paginated(row_queryset(queue).select_related("assigned_to"), h.QueueRowSerializer)


class CaseDetailView(CaseView):
    @extend_schema(
        tags=["support"],
        summary="A dispute case",
        description="The dispute as its parties read it, with who has it, the parties, the hold (its "
        "ledger: `/api/contracts/{contract}/ledger/`), who decided, and the internal notes." + SUPPORT_NOTE,
        responses={200: h.CaseSerializer, **errors(403, s403=SUPPORT_403, s404=DISPUTE_404)},
    )
    def get(self, request, pk: int):
        self.case(pk)
        return self.answer(pk)


class CaseAssignView(CaseView):
    @extend_schema(
        tags=["support"],
        summary="Assign a case",
        description="To a support user (yourself to take it); again to hand it over. 400 "
        "`assignee_not_support` for someone who is not support staff; 404 `user_not_found`." + SUPPORT_NOTE,
        request=h.AssignSerializer,
        responses={200: h.CaseSerializer, **errors(400, 403, 404, s403=SUPPORT_403, s404=DISPUTE_404)},
    )
    def post(self, request, pk: int):
        dispute = self.case(pk)
        assignee_id = self.parsed(h.AssignSerializer)["assignee"]
        assignee = User.objects.filter(pk=assignee_id).first()
        if assignee is None:
            raise NotFound("No such user.", code="user_not_found")
        services.dispute_assign(acting_user=request.user, dispute=dispute, assignee=assignee)
        return self.answer(pk)


class CaseNoteView(CaseView):
    @extend_schema(
        tags=["support"],
        summary="Add an internal note",
        description="Seen by support staff only, never by the parties." + SUPPORT_NOTE,
        request=h.NoteSerializer,
        responses={201: h.StaffNoteSerializer, **errors(400, 403, 404, s403=SUPPORT_403, s404=DISPUTE_404)},
    )
    def post(self, request, pk: int):
        dispute = self.case(pk)
        body = self.parsed(h.NoteSerializer)["body"]
        note = services.staff_note_add(acting_user=request.user, dispute=dispute, body=body)
        return Response(h.StaffNoteSerializer(note).data, status=status.HTTP_201_CREATED)


class CaseDecideView(CaseView):
    @extend_schema(
        tags=["support"],
        summary="Decide a case",
        description="Release all to the freelancer, refund all to the client, or split by amount "
        "(`release_minor` + `refund_minor` = the held amount), with the reason both parties read. The "
        "money moves at once; the decision is audited with its decider. 400 `outcome_invalid`, "
        "`reason_required` (5 to 5,000 characters), `split_does_not_add_up`; 409 "
        + DECIDE_409
        + "."
        + SUPPORT_NOTE,
        request=h.DecideSerializer,
        responses={
            200: h.CaseSerializer,
            **errors(400, 403, 404, s403=SUPPORT_403, s404=DISPUTE_404, s409=DECIDE_409),
        },
    )
    def post(self, request, pk: int):
        dispute = self.case(pk)
        data = self.parsed(h.DecideSerializer)

        def money(minor: int | None) -> Money | None:
            return None if minor is None else Money(minor, dispute.currency)

        services.dispute_decide(
            acting_user=request.user,
            dispute=dispute,
            outcome=data["outcome"],
            release=money(data["release_minor"]),
            refund=money(data["refund_minor"]),
            reason=data["reason"],
        )
        return self.answer(pk)
