"""What the review services share: input checked into one 400 (``invalid_input`` with every field's
problem), and the reveal."""

from django.utils import timezone

from marketplace.contracts.models import Contract
from marketplace.core.exceptions import InvalidInput

from .. import events
from ..models import Review, ReviewWindow


class Checked:
    """Collects each field's problem; ``raise_if_any`` raises them together."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}

    def text(self, value, field: str, *, least: int, most: int) -> str:
        value = (value or "").strip() if isinstance(value, str | None) else None
        if value is None or not least <= len(value) <= most:
            self.fields[field] = [
                f"{least:,} to {most:,} characters." if least else f"At most {most:,} characters."
            ]
            return ""
        return value

    def stars(self, value, field: str) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            self.fields[field] = ["A whole number of stars from 1 to 5."]
            return None
        return value

    def error(self, field: str, message: str) -> None:
        self.fields[field] = [message]

    def raise_if_any(self, message: str) -> None:
        if self.fields:
            raise InvalidInput(message, code="invalid_input", fields=self.fields)


def reveal(contract: Contract, window: ReviewWindow, now=None) -> list[Review]:
    """Publish the contract's hidden reviews and mark its window revealed, in the caller's
    transaction (the contract row locked); ``reviews_revealed`` after commit, if any were hidden."""
    now = now or timezone.now()
    hidden = list(Review.objects.filter(contract=contract, revealed_at__isnull=True).order_by("pk"))
    Review.objects.filter(pk__in=[review.pk for review in hidden]).update(revealed_at=now)
    for review in hidden:
        review.revealed_at = now
    window.revealed_at = now
    window.save(update_fields=["revealed_at"])
    if hidden:
        events.send_on_commit(events.reviews_revealed, Review, contract=contract, reviews=hidden)
    return hidden
