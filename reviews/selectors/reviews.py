"""Reads of reviews, already filtered to what the viewer may see (``..permissions``): a side's own
review even while hidden, the other side's only once published, and published ones for everyone.
Nothing here says whether the other side has submitted."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import DateTimeField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from marketplace.contracts.models import Contract, Milestone
from marketplace.core.exceptions import NotFound
from marketplace.jobs.permissions import roles_granting_any
from marketplace.organisations.models import Membership, Organisation

from ..models import Review, ReviewWindow
from ..permissions import (
    CLIENT,
    CLIENT_ACTS_WITH,
    DIRECTION_OF_AUTHOR,
    FREELANCER,
    other_side,
    review_side,
    review_visible_to,
    side_refusal,
)

# Milestone states in which money reached the freelancer: what makes a contract reviewable.
PAID = (Milestone.Status.RELEASED, Milestone.Status.SPLIT)


@dataclass(frozen=True)
class Eligibility:
    can_review: bool
    # None when ``can_review``; else the code the service would refuse with (409s, or the side's
    # refusal: "not_found", or 403 "role_forbids" / "not_a_member" / "account_suspended").
    code: str | None
    message: str
    direction: str | None
    closes_at: datetime | None
    # The viewer's side's review, even while hidden.
    mine: Review | None


@dataclass(frozen=True)
class ContractReviews:
    mine: Review | None
    theirs: Review | None  # only once published
    eligibility: Eligibility


@dataclass(frozen=True)
class Waiting:
    contract: Contract
    direction: str
    closes_at: datetime


def window_closes_at(contract: Contract) -> datetime:
    """When the contract's review window closes: its window's, or (not opened yet) the one it will get."""
    window = ReviewWindow.objects.filter(contract=contract).values_list("closes_at", flat=True).first()
    return window or contract.ended_at + timedelta(days=settings.REVIEW_WINDOW_DAYS)


def has_paid_money(contract: Contract) -> bool:
    return Milestone.objects.filter(contract=contract, status__in=PAID).exists()


def review_eligibility(user, contract: Contract, *, now: datetime | None = None) -> Eligibility:
    """Whether ``user`` may review ``contract`` now, and if not the code that says why."""
    side = review_side(user, contract)
    return _outsider(user, contract) if side is None else side_eligibility(side, contract, now=now)


def _outsider(user, contract: Contract) -> Eligibility:
    refusal = side_refusal(user, contract)
    return Eligibility(False, refusal.code, refusal.message, None, None, None)


def side_eligibility(side: str, contract: Contract, *, now: datetime | None = None) -> Eligibility:
    """Whether ``side`` may review ``contract`` now; every refusal is a 409 code. The review service
    asks this under the contract's lock, so the page's answer and the service's agree."""
    direction = DIRECTION_OF_AUTHOR[side]

    def refused(code: str, message: str, closes_at=None, mine=None) -> Eligibility:
        return Eligibility(False, code, message, direction, closes_at, mine)

    if contract.status not in Contract.TERMINAL or contract.ended_at is None:
        return refused("contract_not_ended", "Reviews open once the contract has ended.")
    closes_at = window_closes_at(contract)
    mine = Review.objects.filter(contract=contract, direction=direction).first()
    if mine is not None:
        return refused("already_reviewed", "Your side has reviewed this contract already.", closes_at, mine)
    if not has_paid_money(contract):
        return refused(
            "no_released_money", "Only a contract on which money was paid out can be reviewed.", closes_at
        )
    if (now or timezone.now()) >= closes_at:
        return refused("review_window_closed", "The time to review this contract is over.", closes_at)
    return Eligibility(True, None, "You can review this contract.", direction, closes_at, None)


def contract_reviews_for(user, contract: Contract) -> ContractReviews:
    """The viewer's side's review (even while hidden) and the other side's (only once published)."""
    side = review_side(user, contract)
    if side is None:
        return ContractReviews(mine=None, theirs=None, eligibility=_outsider(user, contract))
    eligibility = side_eligibility(side, contract)
    theirs = (
        Review.objects.published()
        .filter(contract=contract, direction=DIRECTION_OF_AUTHOR[other_side(side)])
        .select_related("author")
        .first()
    )
    return ContractReviews(mine=eligibility.mine, theirs=theirs, eligibility=eligibility)


def _closes_at():
    """A contract's window close, in SQL: its window's, or the one it will get when opened."""
    return Coalesce(
        F("review_window__closes_at"),
        ExpressionWrapper(
            F("ended_at") + timedelta(days=settings.REVIEW_WINDOW_DAYS), output_field=DateTimeField()
        ),
    )


def reviews_waiting_for(user, *, now: datetime | None = None) -> list[Waiting]:
    """Ended contracts, in their window and with money paid, that the user's side has not reviewed:
    soonest to close first. Two queries (as the freelancer, on the client side), whatever the count."""
    if not getattr(user, "is_authenticated", False) or user.is_suspended:
        return []
    now = now or timezone.now()
    hiring = Membership.objects.filter(user=user, role__in=roles_granting_any([CLIENT_ACTS_WITH])).values(
        "organisation"
    )
    sides = {
        FREELANCER: Q(freelancer=user),
        CLIENT: Q(client=user, organisation__isnull=True) | Q(organisation__in=hiring),
    }
    waiting: list[Waiting] = []
    for side, mine in sides.items():
        direction = DIRECTION_OF_AUTHOR[side]
        contracts = (
            Contract.objects.filter(mine, status__in=Contract.TERMINAL, ended_at__isnull=False)
            .annotate(closes_at=_closes_at())
            .filter(closes_at__gt=now)
            .filter(Exists(Milestone.objects.filter(contract=OuterRef("pk"), status__in=PAID)))
            .exclude(Exists(Review.objects.filter(contract=OuterRef("pk"), direction=direction)))
            .select_related("job", "client", "freelancer", "organisation")
        )
        waiting.extend(Waiting(contract, direction, contract.closes_at) for contract in contracts)
    return sorted(waiting, key=lambda item: (item.closes_at, item.contract.pk))


def review_for_viewer(*, pk: int, viewer) -> Review:
    """The review ``pk`` as ``viewer`` may see it (``permissions.review_visible_to``), or 404
    ``not_found`` — a hidden review someone else asks for does not exist for them."""
    review = (
        Review.objects.select_related("contract", "author", "reviewee", "organisation").filter(pk=pk).first()
    )
    if review is None or not review_visible_to(viewer, review):
        raise NotFound("No such review.", code="not_found")
    return review


def published_reviews_of_freelancer(user) -> QuerySet[Review]:
    """The client sides' published reviews of this freelancer, newest first."""
    return (
        Review.objects.published()
        .filter(direction=Review.Direction.OF_FREELANCER, reviewee=user)
        .select_related("contract", "author")
        .order_by("-revealed_at", "-id")
    )


def published_reviews_of_client(*, user=None, organisation: Organisation | None = None) -> QuerySet[Review]:
    """Freelancers' published reviews of a client: of the organisation when given, else of the
    person's own hiring (contracts without an organisation); newest first."""
    if (user is None) == (organisation is None):
        raise ValueError("Give a user or an organisation.")
    owner = Q(organisation=organisation) if organisation is not None else Q(reviewee=user, organisation=None)
    return (
        Review.objects.published()
        .filter(owner, direction=Review.Direction.OF_CLIENT)
        .select_related("contract", "author")
        .order_by("-revealed_at", "-id")
    )
