"""Domain events of reviews, for the apps above (notifications, later the search index).

Sent once the service's transaction commits (``send_on_commit``), so a receiver sees the rows it is
told of. Double-blind: there is deliberately no "review submitted" event — the other side must not
learn that a review waits for it; ``reviews_revealed`` is the first anyone but its author hears of it.
"""

from functools import partial

from django.db import transaction
from django.dispatch import Signal

# contract=, reviews=list[Review]: published now (both submitted, or the window closed).
reviews_revealed = Signal()
# review=: the reviewee posted their public reply.
review_replied = Signal()
# review=, actor=: staff removed a published review.
review_removed = Signal()
# report=: a party reported a published review to staff.
review_reported = Signal()
# contract=, side="client"|"freelancer", day=int, closes_at=datetime: that side has not reviewed yet.
review_reminder = Signal()


def send_on_commit(signal: Signal, sender, **kwargs) -> None:
    transaction.on_commit(partial(signal.send, sender=sender, **kwargs))
