"""Offers: the client sends one for a proposal (after a fee preview); the freelancer accepts or declines."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from marketplace.core.rest.schema import errors
from marketplace.organisations.selectors import organisation_for_member

from ... import selectors, services
from ...permissions import require_job_control, require_offer_answerer, require_offer_control
from ..base import KEY_NOTE, WRITE_NOTE, JobsApiView
from ..serializers import hiring as h
from ..serializers.refs import ReasonSerializer
from .proposals import PROPOSAL_404

OFFER_404 = "`offer_not_found` (not yours, not your side's, or no such id)"
PARTIES_NOTE = " Seen by its freelancer, the job's client side and staff; 404 for everyone else."


class ProposalOfferView(JobsApiView):
    @extend_schema(
        tags=["offers"],
        summary="Send an offer for a proposal",
        description="Leave out the amount and milestones to offer the proposal's terms. The fee rates (the "
        "organisation's, else the platform's) are fixed now and shown in `fees`; the offer expires after 7 "
        "days. Needs `make_offers` for an organisation's job. 409 `job_not_open`, `illegal_transition` "
        "(the proposal is withdrawn, declined, hired or already has an offer out)." + WRITE_NOTE,
        request=h.OfferInputSerializer,
        responses={
            201: h.OfferDetailSerializer,
            **errors(
                400,
                403,
                404,
                s400="`invalid_offer`, `invalid_milestones`, `milestones_do_not_add_up`",
                s404=PROPOSAL_404,
                s409="`job_not_open`, `illegal_transition`",
            ),
        },
    )
    def post(self, request, pk: int):
        proposal = self.proposal(pk)
        require_job_control(request.user, proposal.job, "make_offers")
        data = self.parsed(h.OfferInputSerializer)
        offer = services.offer_send(
            acting_user=request.user,
            proposal=proposal,
            title=data["title"],
            amount_minor=data.get("amount_minor"),
            milestones=data.get("milestones"),
            weekly_hour_cap=data.get("weekly_hour_cap"),
            message=data["message"],
        )
        return Response(h.OfferDetailSerializer(self.offer(offer.pk)).data, status=status.HTTP_201_CREATED)


class FeePreviewView(JobsApiView):
    @extend_schema(
        tags=["offers"],
        summary="Preview the fees of an offer",
        description="What each side would pay and receive, for the whole and for each milestone, with the "
        "organisation's rates (you must be its member: else 404 `organisation_not_found`) or the platform's. "
        "Nothing is saved." + WRITE_NOTE,
        request=h.FeePreviewInputSerializer,
        responses={
            200: h.FeesSerializer,
            **errors(400, 403, 404, s400="`invalid`, `unknown_currency`", s404="`organisation_not_found`"),
        },
    )
    def post(self, request):
        data = self.parsed(h.FeePreviewInputSerializer)
        slug = data.get("organisation")
        organisation = organisation_for_member(slug=slug, user=request.user)[0] if slug else None
        milestones = data.get("milestones", [])
        whole, parts = services.offer_fee_preview(
            organisation=organisation, amount_minor=data["amount_minor"], milestones=milestones
        )
        titles = [milestone["title"] for milestone in milestones]
        return Response(h.FeesSerializer(h.fees_data(data["currency"], whole, parts, titles)).data)


class OfferRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=["freelancer", "client"], required=False)


class OfferListView(JobsApiView):
    api_key_readable = True

    @extend_schema(
        tags=["offers"],
        summary="Your offers",
        description="Offers you received as a freelancer and those sent from your client side (yours and "
        "your organisations'), newest first; `role` keeps one kind. With an API key: the organisation's "
        "offers (`role` is ignored)." + KEY_NOTE,
        parameters=[
            OpenApiParameter(
                "role",
                str,
                enum=["freelancer", "client"],
                description="`freelancer`: offers you received; `client`: offers your side sent.",
            )
        ],
        responses={200: h.OfferSerializer(many=True), **errors(400, 403)},
    )
    def get(self, request):
        if organisation := self.key_organisation:
            return self.paginated(selectors.offers_of_organisation(organisation), h.OfferSerializer)
        serializer = OfferRoleSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        role = serializer.validated_data.get("role")
        return self.paginated(selectors.offers_of(request.user, role=role), h.OfferSerializer)


class OfferDetailView(JobsApiView):
    api_key_readable = True

    @extend_schema(
        tags=["offers"],
        summary="An offer",
        description="With its fee breakdown for the whole and each milestone." + PARTIES_NOTE + KEY_NOTE,
        responses={200: h.OfferDetailSerializer, **errors(403, s404=OFFER_404)},
    )
    def get(self, request, pk: int):
        return Response(h.OfferDetailSerializer(self.offer(pk)).data)


ANSWER_ERRORS = errors(
    400,
    403,
    404,
    s403="`not_the_freelancer`",
    s404=OFFER_404,
    s409="`illegal_transition`, `offer_expired`, `job_not_open`",
)


class OfferDeclineView(JobsApiView):
    @extend_schema(
        tags=["offers"],
        summary="Decline an offer",
        description="The freelancer declines, with an optional reason; the proposal returns to the client's "
        "shortlist." + WRITE_NOTE,
        request=ReasonSerializer,
        responses={200: h.OfferDetailSerializer, **ANSWER_ERRORS},
    )
    def post(self, request, pk: int):
        offer = self.offer(pk)
        require_offer_answerer(request.user, offer)
        reason = self.parsed(ReasonSerializer)["reason"]
        services.offer_decline(acting_user=request.user, offer=offer, reason=reason)
        return Response(h.OfferDetailSerializer(self.offer(pk)).data)


class OfferWithdrawView(JobsApiView):
    @extend_schema(
        tags=["offers"],
        summary="Withdraw an offer",
        description="The client side takes back an unanswered offer (needs `make_offers` for an "
        "organisation's job); the proposal returns to the shortlist. 409 `illegal_transition` once answered."
        + WRITE_NOTE,
        request=ReasonSerializer,
        responses={
            200: h.OfferDetailSerializer,
            **errors(400, 403, 404, s404=OFFER_404, s409="`illegal_transition`"),
        },
    )
    def post(self, request, pk: int):
        offer = self.offer(pk)
        require_offer_control(request.user, offer)
        reason = self.parsed(ReasonSerializer)["reason"]
        services.offer_withdraw(acting_user=request.user, offer=offer, reason=reason)
        return Response(h.OfferDetailSerializer(self.offer(pk)).data)
