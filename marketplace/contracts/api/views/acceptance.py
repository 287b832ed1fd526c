"""Accepting an offer, which starts a contract (the offer's other answers are the jobs API's)."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from marketplace.jobs.api.base import WRITE_NOTE
from marketplace.jobs.api.views.offers import ANSWER_ERRORS

from ... import services
from ..base import ContractsApiView
from ..serializers import contracts as h


class OfferAcceptView(ContractsApiView):
    @extend_schema(
        tags=["offers"],
        summary="Accept an offer",
        description="The freelancer accepts: the terms and fees are copied onto a new active contract (the "
        "response), and a job that now has all the hires it wanted closes. 409 `illegal_transition` if the "
        "offer was already answered or withdrawn, `offer_expired`, `job_not_open`." + WRITE_NOTE,
        request=None,
        responses={201: h.ContractDetailSerializer, **ANSWER_ERRORS},
    )
    def post(self, request, pk: int):
        contract = services.offer_accept(acting_user=request.user, offer=self.offer(pk))
        return Response(self.contract_answer(contract.pk), status=status.HTTP_201_CREATED)
