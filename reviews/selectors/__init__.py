"""Reads of the reviews app, filtered to what the viewer may see."""

from ..permissions import is_moderator, review_side
from .moderation import review_reports_queue
from .reputation import client_scorecard_for, client_scorecard_for_job, freelancer_reputation_of
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
    "client_scorecard_for",
    "client_scorecard_for_job",
    "contract_reviews_for",
    "freelancer_reputation_of",
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
