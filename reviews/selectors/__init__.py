"""Reads of the reviews app, filtered to what the viewer may see."""

from ..permissions import is_moderator, review_side
from .moderation import review_reports_queue
from .reviews import (
    ContractReviews,
    Eligibility,
    Waiting,
    contract_reviews_for,
    published_reviews_of_client,
    published_reviews_of_freelancer,
    review_eligibility,
    review_for_viewer,
    reviews_waiting_for,
    side_eligibility,
)

__all__ = [
    "ContractReviews",
    "Eligibility",
    "Waiting",
    "contract_reviews_for",
    "is_moderator",
    "published_reviews_of_client",
    "published_reviews_of_freelancer",
    "review_eligibility",
    "review_for_viewer",
    "review_reports_queue",
    "review_side",
    "reviews_waiting_for",
    "side_eligibility",
]
