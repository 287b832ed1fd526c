"""Contracts: the parties read them (terms, milestones, fees, history); the client completes them and
either party may cancel."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from marketplace.core.rest.schema import errors
from marketplace.jobs.api.base import KEY_NOTE, WRITE_NOTE

from ... import selectors, services
from ...permissions import require_contract_cancel, require_contract_client
from ..base import CONTRACT_404, ContractsApiView
from ..serializers import contracts as h


class ContractListView(ContractsApiView):
    api_key_readable = True

    @extend_schema(
        tags=["contracts"],
        summary="Your contracts",
        description="As the freelancer or on the client side (yours and your organisations'), newest first. "
        "With an API key: the organisation's contracts." + KEY_NOTE,
        responses={200: h.ContractSerializer(many=True), **errors(403)},
    )
    def get(self, request):
        if organisation := self.key_organisation:
            return self.paginated(selectors.contracts_of_organisation(organisation), h.ContractSerializer)
        return self.paginated(selectors.contracts_of(request.user), h.ContractSerializer)


class ContractDetailView(ContractsApiView):
    api_key_readable = True

    @extend_schema(
        tags=["contracts"],
        summary="A contract",
        description="The parties, the agreed terms, the milestone schedule, the fee breakdown and every "
        "state change of the proposal, offer and contract. Seen by its freelancer, the client side and "
        "staff; 404 for everyone else." + KEY_NOTE,
        responses={200: h.ContractDetailSerializer, **errors(403, s404=CONTRACT_404)},
    )
    def get(self, request, pk: int):
        return Response(self.contract_answer(pk))


class ContractCompleteView(ContractsApiView):
    @extend_schema(
        tags=["contracts"],
        summary="Complete a contract",
        description="The client side ends an active contract as done, with an optional note. Milestones "
        "never funded are cancelled by it. Refused with 409 `milestones_hold_money` while a milestone "
        "holds money (funded, submitted, changes requested): approve the work or cancel the contract "
        "instead; `fields` names each such milestone as `milestones.<id>` with its status as the code. "
        "409 `illegal_transition` once it has ended." + WRITE_NOTE,
        request=h.CompleteSerializer,
        responses={
            200: h.ContractDetailSerializer,
            **errors(
                400,
                403,
                404,
                s404=CONTRACT_404,
                s409="`milestones_hold_money` (listed in `fields`), `illegal_transition`",
            ),
        },
    )
    def post(self, request, pk: int):
        contract = self.contract(pk)
        require_contract_client(request.user, contract, "manage_jobs")
        note = self.parsed(h.CompleteSerializer)["note"]
        services.contract_complete(acting_user=request.user, contract=contract, note=note)
        return Response(self.contract_answer(pk))


class ContractCancelView(ContractsApiView):
    @extend_schema(
        tags=["contracts"],
        summary="Cancel a contract",
        description="Either party ends an active contract, choosing why (`cancel_reason`, required: 400 "
        "`invalid` naming the field when missing or not one of the reasons) and saying why in their own "
        "words (`reason`, 5 to 2,000 characters: 400 `reason_required`). The client side's "
        "`not_delivered` after a milestone was funded counts against the freelancer's job success "
        "score. 409 `illegal_transition` once it has ended." + WRITE_NOTE,
        request=h.CancelSerializer,
        responses={
            200: h.ContractDetailSerializer,
            **errors(
                400,
                403,
                404,
                s400="`reason_required`",
                s403="`not_a_party`",
                s404=CONTRACT_404,
                s409="`illegal_transition`",
            ),
        },
    )
    def post(self, request, pk: int):
        contract = self.contract(pk)
        require_contract_cancel(request.user, contract)
        body = self.parsed(h.CancelSerializer)
        services.contract_cancel(
            acting_user=request.user,
            contract=contract,
            reason=body["reason"],
            cancel_reason=body["cancel_reason"],
        )
        return Response(self.contract_answer(pk))
