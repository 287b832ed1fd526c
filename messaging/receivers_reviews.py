"""Notifications for reviews: reminders to review, reviews published, a reply, a removal.

Reviews never import messaging: its services send ``reviews.events`` once their transaction
commits, and these receivers (connected in ``MessagingConfig.ready``) turn them into notifications.

Double-blind: there is no event for a review being submitted, so nothing here can tell the other
side that one was; a review is named only once it is published (``Review.objects.published()`` is
read again here, so a hidden review passed by mistake tells no one anything), and a removed review
can only be one that was published. Words are chosen so that a reminder says nothing of the other
side either.

A side is the freelancer, or the contract's client and the organisation's members whose role may
manage jobs (``client_side_ids``: who may write or answer the client side's review). Whoever acted
is never told of their own action. Who hears what (``email_policy`` decides the email):

- reminder (the days of ``REVIEW_REMINDER_DAYS``): the side that has not reviewed, with the days
  left and a link to the review form (``review_reminder``, at once);
- revealed (both reviews in, or the window closed): both sides, but the one whose review revealed
  them (``reviews_revealed``, digest);
- replied: the review's author (``review_replied``, digest);
- removed by moderation: the author and the reviewee, with the reason (``review_removed``, digest);
  moderation speaks for the platform, so no staff member is named.
"""

import math
from datetime import datetime

from django.dispatch import receiver
from django.utils import timezone
from django.utils.dateformat import format as date_format

from marketplace.contracts.models import Contract
from marketplace.jobs.permissions import client_side_ids
from reviews import events as review_events
from reviews.models import Review
from reviews.permissions import (
    AUTHOR_OF_DIRECTION,
    CLIENT,
    CLIENT_ACTS_WITH,
    FREELANCER,
    other_side,
    reviewee_side,
)

from .models import Notification
from .receivers import _client_name, _freelancer_name, _never_raises, _url
from .services import notification_create

Kind = Notification.Kind


def _contract(contract_id: int) -> Contract:
    return Contract.objects.select_related("client", "organisation", "freelancer").get(pk=contract_id)


def _sides(contract: Contract) -> dict[str, set[int]]:
    client = client_side_ids(
        client_id=contract.client_id, organisation_id=contract.organisation_id, codename=CLIENT_ACTS_WITH
    )
    return {CLIENT: client, FREELANCER: {contract.freelancer_id}}


def _name(contract: Contract, side: str) -> str:
    return _client_name(contract) if side == CLIENT else _freelancer_name(contract.freelancer)


def _days_left(closes_at: datetime) -> int:
    """Whole days until the window closes, a part day counted as one (never below one: the
    reminder is only sent while the window is open)."""
    return max(1, math.ceil((closes_at - timezone.now()).total_seconds() / 86400))


def _day(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i T")


def _published(review_ids) -> list[Review]:
    return list(Review.objects.published().filter(pk__in=review_ids).order_by("pk"))


@receiver(review_events.review_reminder, dispatch_uid="messaging.review_reminder")
@_never_raises
def review_reminder(sender, contract: Contract, side: str, day: int, closes_at: datetime, **kwargs) -> None:
    contract = _contract(contract.pk)
    other = _name(contract, other_side(side))
    days = _days_left(closes_at)
    notification_create(
        recipient_ids=_sides(contract)[side],
        kind=Kind.REVIEW_REMINDER,
        title=f"Review {other} for “{contract.title}”: {days} day{'s' if days != 1 else ''} left",
        body=f"You can review until {_day(closes_at)}. Reviews stay hidden until both sides have written "
        "theirs or the time is up.",
        url=_url("contract_review", contract.pk),
        email_context={"contract": contract, "other": other, "days_left": days, "closes_at": closes_at},
    )


def _revealer_id(published: list[Review]) -> int | None:
    """Who revealed them: both reviews published at once means the second one's submission did
    (its author); one alone means the window closed (the task: nobody)."""
    if len(published) < 2:
        return None
    return max(published, key=lambda review: (review.submitted_at, review.pk)).author_id


def _revealed_body(contract: Contract, side: str, published: list[Review]) -> str:
    about = next((review for review in published if reviewee_side(review.direction) == side), None)
    if about is None:
        return "Your review is public now; the time to review is up."
    by = _name(contract, AUTHOR_OF_DIRECTION[about.direction])
    return f"Read what {by} wrote about you on the contract page; you may reply once, publicly."


@receiver(review_events.reviews_revealed, dispatch_uid="messaging.reviews_revealed")
@_never_raises
def reviews_revealed(sender, contract: Contract, reviews: list[Review], **kwargs) -> None:
    published = _published([review.pk for review in reviews])
    if not published:
        return
    contract = _contract(contract.pk)
    actor_id = _revealer_id(published)
    title = (
        f"Reviews for “{contract.title}” are published"
        if len(published) > 1
        else f"The review for “{contract.title}” is published"
    )
    for side, people in _sides(contract).items():
        notification_create(
            recipient_ids=people - {actor_id},
            kind=Kind.REVIEWS_REVEALED,
            title=title,
            body=_revealed_body(contract, side, published),
            url=_url("contract_detail", contract.pk),
            actor_id=actor_id,
        )


@receiver(review_events.review_replied, dispatch_uid="messaging.review_replied")
@_never_raises
def review_replied(sender, review: Review, **kwargs) -> None:
    review = Review.objects.published().filter(pk=review.pk).first()
    if review is None:
        return
    contract = _contract(review.contract_id)
    replier = _name(contract, reviewee_side(review.direction))
    notification_create(
        recipient_ids=[review.author_id],
        kind=Kind.REVIEW_REPLIED,
        title=f"{replier} replied to your review for “{contract.title}”",
        body=review.reply,
        url=_url("contract_detail", contract.pk),
    )


@receiver(review_events.review_removed, dispatch_uid="messaging.review_removed")
@_never_raises
def review_removed(sender, review: Review, actor=None, **kwargs) -> None:
    """Only a published review can be removed (``review_remove`` refuses others), so its reviewee
    learns nothing new of a review they could not read."""
    review = Review.objects.get(pk=review.pk)
    contract = _contract(review.contract_id)
    actor_id = getattr(actor, "pk", None)
    whose = {review.author_id: "Your review", review.reviewee_id: "A review of you"}
    for recipient_id, subject in whose.items():
        notification_create(
            recipient_ids={recipient_id} - {actor_id},
            kind=Kind.REVIEW_REMOVED,
            title=f"{subject} for “{contract.title}” was removed by moderation",
            body=f"The reason: {review.removal_reason}",
            url=_url("contract_detail", contract.pk),
        )
