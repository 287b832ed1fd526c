"""Writing a review, double-blind: hidden until the other side's review exists too (then both are
published in the same transaction) or the window closes (``windows.review_windows_due``).

Both sides submitting at once both end revealed: each submission locks the contract row first, so
the second reads the first's review under the lock and publishes both."""

from django.db import transaction

from marketplace.contracts.models import Contract
from marketplace.core.exceptions import Conflict

from ..models import Review
from ..permissions import CLIENT, DIRECTION_OF_AUTHOR, other_side, require_side
from ..selectors import side_eligibility
from .common import Checked, reveal
from .windows import review_window_open

Direction = Review.Direction


def _checked(
    direction: str, *, overall, text, sub_scores, would_hire_again, private_note
) -> dict[str, object]:
    """The review's fields, or 400 ``invalid_input`` naming every field at fault."""
    check = Checked()
    fields: dict[str, object] = {
        "overall": check.stars(overall, "overall"),
        "text": check.text(text, "text", least=10, most=5000),
        "private_note": check.text(private_note, "private_note", least=0, most=2000),
    }
    sub_scores = sub_scores if isinstance(sub_scores, dict) else {}
    asked = Review.SUB_SCORES[direction]
    for name in asked:
        fields[name] = check.stars(sub_scores.get(name), name)
    for name in sorted(set(sub_scores) - set(asked)):
        check.error(str(name), "Not asked of this review.")
    if direction == Direction.OF_FREELANCER:
        if not isinstance(would_hire_again, bool):
            check.error("would_hire_again", "Say whether you would hire them again.")
        fields["would_hire_again"] = would_hire_again
    elif would_hire_again is not None:
        check.error("would_hire_again", "Only the client's review asks this.")
    check.raise_if_any("Check the review's stars and text.")
    return fields


@transaction.atomic
def review_submit(
    *,
    acting_user,
    contract: Contract,
    overall: int,
    text: str,
    sub_scores: dict[str, int],
    would_hire_again: bool | None = None,
    private_note: str = "",
) -> Review:
    """The acting side's review of the other side (404/403 for who has no side, 400 for the input,
    409 for the contract's state), hidden unless the other side's exists already."""
    side = require_side(acting_user, contract)
    direction = DIRECTION_OF_AUTHOR[side]
    fields = _checked(
        direction,
        overall=overall,
        text=text,
        sub_scores=sub_scores,
        would_hire_again=would_hire_again,
        private_note=private_note,
    )
    locked = Contract.objects.select_for_update().get(pk=contract.pk)
    eligibility = side_eligibility(side, locked)
    if not eligibility.can_review:
        raise Conflict(eligibility.message, code=eligibility.code)
    window = review_window_open(locked)
    review = Review.objects.create(
        contract=locked,
        direction=direction,
        author=acting_user,
        reviewee_id=locked.freelancer_id if side == CLIENT else locked.client_id,
        organisation_id=locked.organisation_id,
        **fields,
    )
    theirs = DIRECTION_OF_AUTHOR[other_side(side)]
    if Review.objects.filter(contract=locked, direction=theirs).exists():
        revealed = reveal(locked, window)
        review.revealed_at = next(one.revealed_at for one in revealed if one.pk == review.pk)
    return review
