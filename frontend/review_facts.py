"""What pages show of reviews and reputation, composed from the reviews app's selectors (which apply
the double-blind: a review someone else wrote is there only once published): the contract page's
review card, a freelancer's reputation and newest reviews for the profile, the sub-scores' labels,
and the formula page's worked figures. Each is a fixed number of queries, whatever the number of
reviews."""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from marketplace.contracts.models import Contract
from marketplace.core.money import format_money
from reviews.models import Review
from reviews.permissions import CLIENT, reviewee_side
from reviews.reputation import jss
from reviews.selectors import (
    contract_reviews_for,
    freelancer_reputation_of,
    published_reviews_of_freelancer,
    review_side,
)

# What each sub-score asks, in the reviewer's words, in the order of ``Review.SUB_SCORES``.
SUB_SCORE_LABELS = {
    "quality": "Quality of the work",
    "communication": "Communication",
    "expertise": "Expertise",
    "deadlines": "Meeting deadlines",
    "clarity": "Clear requirements",
    "payment_promptness": "Paying on time",
}
# Reviews on the profile page; the rest are on the freelancer's reviews page.
NEWEST = 5


def sub_scores(review: Review) -> list[tuple[str, int]]:
    """The review's sub-scores as (label, stars), in its direction's order."""
    return [
        (SUB_SCORE_LABELS[name], getattr(review, name))
        for name in Review.SUB_SCORES[review.direction]
        if getattr(review, name) is not None
    ]


def with_people(reviews: QuerySet[Review]) -> QuerySet[Review]:
    """Reviews with what their cards name (the author, the organisation, the contract) in one query."""
    return reviews.select_related("contract", "author", "reviewee", "organisation")


def may_reply(user, review: Review) -> bool:
    """Whether ``user`` may post the reply to this published review: its reviewee's side, while it
    has none. The service checks again."""
    return (
        review.is_published
        and review.replied_at is None
        and review_side(user, review.contract) == reviewee_side(review.direction)
    )


def other_party_name(contract: Contract, side: str) -> str:
    """Who the viewer's side reviews: the freelancer, or the client (their organisation's name)."""
    if side == CLIENT:
        return contract.freelancer.get_full_name()
    return contract.organisation.name if contract.organisation_id else contract.client.get_full_name()


def contract_card(user, contract: Contract) -> dict | None:
    """The contract page's review card for a party of an ended contract (None for others, and while
    the contract runs): the viewer's side's review (even hidden), the other side's once published,
    and whether and until when the viewer may still review."""
    if contract.status == Contract.Status.ACTIVE:
        return None
    side = review_side(user, contract)
    if side is None:
        return None
    reviews = contract_reviews_for(user, contract)
    theirs = reviews.theirs
    return {
        "side": side,
        "mine": reviews.mine,
        "theirs": theirs,
        "eligibility": reviews.eligibility,
        "other": other_party_name(contract, side),
        "can_reply": theirs is not None and may_reply(user, theirs),
    }


def profile_reputation(user) -> dict:
    """A freelancer's rating and job success score (as last computed; None before the first
    computation) and their newest published reviews, with whether there are more."""
    newest = list(with_people(published_reviews_of_freelancer(user))[: NEWEST + 1])
    return {
        "reputation": freelancer_reputation_of(user),
        "reviews": newest[:NEWEST],
        "more_reviews": len(newest) > NEWEST,
    }


# The formula page's weights table (whole US dollars) and its example's contracts:
# (value in dollars, completed, cancelled for non-delivery after funding, the client's stars).
WEIGHT_VALUES = (0, 9, 99, 999, 9_999)
EXAMPLE = (
    (1_000, True, False, 5),
    (250, True, False, None),
    (2_000, True, False, 3),
    (80, False, True, None),
)


def formula_facts() -> dict:
    """What the public formula page shows, worked out by the score's own arithmetic with this site's
    settings: what a contract weighs, and the score of a small example."""
    now = timezone.now()
    contracts = [
        jss.EndedContract(
            ended_at=now - timedelta(days=30 * (n + 1)),
            amount_minor=dollars * 100,
            currency="USD",
            completed=completed,
            cancelled_by_client=not completed,
            not_delivered=not_delivered,
            funded=True,
            released=completed,
            dispute_lost=False,
            client_rating=stars,
        )
        for n, (dollars, completed, not_delivered, stars) in enumerate(EXAMPLE)
    ]
    result = jss.job_success(contracts, now=now, rules=jss.Rules.from_settings())
    return {
        "weights": [
            (format_money(dollars * 100, "USD"), jss.weight(dollars * 100, "USD"))
            for dollars in WEIGHT_VALUES
        ],
        "example": {
            "rows": [
                (format_money(c.amount_minor, "USD"), jss.classify(c), jss.weight(c.amount_minor, "USD"))
                for c in contracts
            ],
            "result": result,
            "exact": 100 * result.good_weight / result.total_weight,
        },
    }
