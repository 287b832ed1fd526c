"""Answers to a settlement offer: the other side accepts (the money moves at once: released to the
freelancer and refunded to the client as proposed, and the dispute is settled) or declines it; the
side that proposed it may withdraw it while it waits."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from marketplace.core.rest.schema import errors

from ... import services
from ..base import OFFER_404, WRITE_NOTE, DisputesApiView
from ..serializers.disputes import DisputeDetailSerializer, SettlementOfferSerializer
from .disputes import DisputeActionView

OFFER_409 = "`offer_not_open` (answered, withdrawn or lapsed), `dispute_not_active` (the dispute ended)"
OFFER_ERRORS = errors(403, 404, s403="`wrong_side`, `role_forbids`", s404=OFFER_404, s409=OFFER_409)


class OfferAcceptView(DisputeActionView):
    @extend_schema(
        tags=["disputes"],
        summary="Accept a settlement",
        description="The other side than the proposer accepts: the held money is split as proposed at "
        "once and the dispute is settled. No body." + WRITE_NOTE,
        request=None,
        responses={200: DisputeDetailSerializer, **OFFER_ERRORS},
    )
    def post(self, request, pk: int):
        offer = self.offer(pk)
        dispute = services.offer_accept(acting_user=request.user, offer=offer)
        return self.answer(dispute.pk)


class _OfferAnswerView(DisputesApiView):
    def answer_offer(self, pk: int, service) -> Response:
        offer = service(acting_user=self.request.user, offer=self.offer(pk))
        return Response(SettlementOfferSerializer(offer).data)


class OfferDeclineView(_OfferAnswerView):
    @extend_schema(
        tags=["disputes"],
        summary="Decline a settlement",
        description="The other side than the proposer declines; the dispute goes on. No body." + WRITE_NOTE,
        request=None,
        responses={200: SettlementOfferSerializer, **OFFER_ERRORS},
    )
    def post(self, request, pk: int):
        return self.answer_offer(pk, services.offer_decline)


class OfferWithdrawView(_OfferAnswerView):
    @extend_schema(
        tags=["disputes"],
        summary="Withdraw a settlement offer",
        description="The side that proposed it takes it back while it waits for an answer. No body."
        + WRITE_NOTE,
        request=None,
        responses={200: SettlementOfferSerializer, **OFFER_ERRORS},
    )
    def post(self, request, pk: int):
        return self.answer_offer(pk, services.offer_withdraw)
