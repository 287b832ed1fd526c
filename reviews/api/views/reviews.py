"""A party's reviews: what waits for a review, a contract's reviews and writing one, replying to a
review of you and reporting one; and the published reviews of a freelancer, on their profile."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.response import Response

from marketplace.accounts import selectors as accounts
from marketplace.core.rest.schema import errors

from ... import selectors, services
from ...permissions import require_side
from .. import serializers as h
from ..base import CONTRACT_404, REVIEW_404, SESSION_NOTE, SIDE_403, SIDES_NOTE, ReviewsApiView

SUBMIT_409 = (
    "`contract_not_ended`, `no_released_money` (no milestone's money was paid out), "
    "`review_window_closed`, `already_reviewed` (your side has)"
)


SUBMIT_EXAMPLES = [
    OpenApiExample(
        "Of the freelancer",
        summary="The client side's review of the freelancer",
        value={
            "overall": 5,
            "sub_scores": {"quality": 5, "communication": 4, "expertise": 5, "deadlines": 4},
            "would_hire_again": True,
            "text": "Clear, fast and careful work; the booking page does all we asked.",
            "private_note": "We would hire them again for the next project.",
        },
        request_only=True,
    ),
    OpenApiExample(
        "Of the client",
        summary="The freelancer's review of the client",
        value={
            "overall": 4,
            "sub_scores": {"clarity": 4, "communication": 5, "payment_promptness": 4},
            "text": "A good brief, quick answers, and the payment came on time.",
        },
        request_only=True,
    ),
]


class WaitingView(ReviewsApiView):
    @extend_schema(
        tags=["reviews"],
        summary="Reviews waiting for you",
        description="Ended contracts on which money was paid out, still in their review window, that "
        "your side has not reviewed: the soonest to close first, paginated." + SIDES_NOTE,
        responses={200: h.ReviewWaitingSerializer(many=True), **errors(403)},
    )
    def get(self, request):
        return self.paginated(selectors.reviews_waiting_for(request.user), h.ReviewWaitingSerializer)


class ContractReviewsView(ReviewsApiView):
    @extend_schema(
        tags=["reviews"],
        summary="A contract's reviews",
        description="Your side's review (even while hidden, with your private note), the other side's "
        "once published (null until then, whether or not it was written), and whether your side may "
        "review now — if not, `code` says why." + SIDES_NOTE,
        responses={200: h.ContractReviewsSerializer, **errors(403, s403=SIDE_403, s404=CONTRACT_404)},
    )
    def get(self, request, pk: int):
        contract = self.contract(pk)
        require_side(request.user, contract)
        reviews = selectors.contract_reviews_for(request.user, contract)
        return Response(h.ContractReviewsSerializer(reviews).data)

    @extend_schema(
        tags=["reviews"],
        summary="Review a contract",
        description="Your side's one review of the other, once the contract has ended with money paid "
        "out, within its window: overall stars, the direction's sub-scores, public text and a private "
        "note to the platform. It stays hidden until the other side has reviewed too (then both are "
        "published at once) or the window closes. 400 `invalid_input` names each field at fault; 409 "
        + SUBMIT_409
        + ". Answers the review as you read it."
        + SIDES_NOTE,
        request=h.ReviewInputSerializer,
        examples=SUBMIT_EXAMPLES,
        responses={
            201: h.OwnReviewSerializer,
            **errors(
                400, 403, 404, s400="`invalid_input`", s403=SIDE_403, s404=CONTRACT_404, s409=SUBMIT_409
            ),
        },
    )
    def post(self, request, pk: int):
        contract = self.contract(pk)
        require_side(request.user, contract)
        data = self.parsed(h.ReviewInputSerializer)
        review = services.review_submit(acting_user=request.user, contract=contract, **data)
        return Response(h.OwnReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class ReplyView(ReviewsApiView):
    @extend_schema(
        tags=["reviews"],
        summary="Reply to a review of you",
        description="The reviewee's side answers a published review once, in public (1 to 2,000 "
        "characters: 400 `invalid_input`). 403 `not_the_reviewee` for anyone else; 409 `already_replied`, "
        "`review_not_published` (removed by moderation)." + SESSION_NOTE,
        request=h.ReplyInputSerializer,
        examples=[
            OpenApiExample("A reply", value={"text": "Thank you, it was a pleasure."}, request_only=True)
        ],
        responses={
            200: h.ReviewSerializer,
            **errors(
                400,
                403,
                404,
                s400="`invalid_input`",
                s403="`not_the_reviewee`, " + SIDE_403,
                s404=REVIEW_404,
                s409="`already_replied`, `review_not_published`",
            ),
        },
    )
    def post(self, request, pk: int):
        review = self.review(pk)
        # The service checks who replies before the text: an empty body from anyone else is 403.
        text = self.parsed(h.ReplyInputSerializer)["text"]
        review = services.review_reply(acting_user=request.user, review=review, text=text)
        return Response(h.ReviewSerializer(review).data)


class ReportView(ReviewsApiView):
    @extend_schema(
        tags=["reviews"],
        summary="Report a review",
        description="Either side of the review's contract asks staff to look at a published review, "
        "with a reason (400 `invalid` for another) and details (at most 2,000 characters: 400 "
        "`invalid_input`). One open report per person and review: 409 `already_reported`; 409 "
        "`review_not_published` for a removed one." + SESSION_NOTE,
        request=h.ReportInputSerializer,
        examples=[
            OpenApiExample(
                "A report",
                value={"reason": "private", "details": "It gives my personal phone number."},
                request_only=True,
            )
        ],
        responses={
            201: h.ReviewReportSerializer,
            **errors(
                400,
                403,
                404,
                s400="`invalid`, `invalid_input`",
                s403=SIDE_403,
                s404=REVIEW_404 + "; `not_found` also for who is on neither side",
                s409="`already_reported`, `review_not_published`",
            ),
        },
    )
    def post(self, request, pk: int):
        review = self.review(pk)
        require_side(request.user, review.contract)
        data = self.parsed(h.ReportInputSerializer)
        report = services.review_report(acting_user=request.user, review=review, **data)
        return Response(h.ReviewReportSerializer(report).data, status=status.HTTP_201_CREATED)


class FreelancerReviewsView(ReviewsApiView):
    allow_anonymous = True

    @extend_schema(
        tags=["reviews"],
        summary="A freelancer's reviews",
        description="The published reviews of the freelancer by their clients, with their replies, "
        "newest first, paginated. Hidden and removed reviews are not here. The profile's visibility "
        "applies: a profile you may not see answers 404 `profile_not_found`, like one that does not "
        "exist. Anonymous access is allowed; API keys are refused (403 `api_key_not_allowed`).",
        responses={200: h.ReviewSerializer(many=True), **errors(403, s404="`profile_not_found`")},
    )
    def get(self, request, handle: str):
        profile = accounts.profile_for_viewer(handle=handle, viewer=request.user)
        reviews = selectors.published_reviews_of_freelancer(profile.user).select_related("organisation")
        return self.paginated(reviews, h.ReviewSerializer)
