"""Who reviews on a contract, and who moderates: the one home of the rule (services check it, the
selectors and pages read it).

The freelancer side is the contract's freelancer; it writes the review of the client (``OF_CLIENT``).
The client side is the client, or for an organisation's contract its members whose role grants
``manage_jobs`` (who hired and worked with the freelancer); it writes the review of the freelancer
(``OF_FREELANCER``). Other members see the contract but neither read their side's hidden review
nor write one. Moderators are staff (``is_staff``; support staff, ``is_support``, work disputes).
"""

from marketplace.contracts.models import Contract
from marketplace.contracts.permissions import contract_party_side, require_contract_client
from marketplace.core.exceptions import DomainError, NotFound, PermissionDenied
from marketplace.jobs.permissions import is_client_side

from .models import Review

CLIENT, FREELANCER = "client", "freelancer"
CLIENT_ACTS_WITH = "manage_jobs"
Direction = Review.Direction

# The direction each side writes, and the side that wrote each direction.
DIRECTION_OF_AUTHOR = {CLIENT: Direction.OF_FREELANCER, FREELANCER: Direction.OF_CLIENT}
AUTHOR_OF_DIRECTION = {direction: side for side, direction in DIRECTION_OF_AUTHOR.items()}


def other_side(side: str) -> str:
    return CLIENT if side == FREELANCER else FREELANCER


def reviewee_side(direction: str) -> str:
    return other_side(AUTHOR_OF_DIRECTION[direction])


def review_side(user, contract: Contract) -> str | None:
    """The side ``user`` reviews for on this contract ("client", "freelancer"), or None."""
    return contract_party_side(user, contract, CLIENT_ACTS_WITH)


def side_refusal(user, contract: Contract) -> DomainError:
    """Why ``user`` (no side: ``review_side`` is None) may not act: a suspended account or a client-side
    member whose role does not hire is told (403, the code ``require_contract_client`` gives); anyone
    else does not learn the contract exists (404 ``not_found``)."""
    if getattr(user, "is_authenticated", False) and user.is_suspended:
        return PermissionDenied("Your account is suspended.", code="account_suspended")
    if is_client_side(user, contract):
        try:
            require_contract_client(user, contract, CLIENT_ACTS_WITH)
        except DomainError as refusal:
            return refusal
    return NotFound("No such contract.", code="not_found")


def require_side(user, contract: Contract) -> str:
    side = review_side(user, contract)
    if side is None:
        raise side_refusal(user, contract)
    return side


def is_moderator(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_staff
        and not user.is_suspended
    )


def require_moderator(user) -> None:
    if not is_moderator(user):
        raise PermissionDenied("Only staff moderate reviews.", code="not_staff")


def review_visible_to(user, review: Review) -> bool:
    """A published review is public. One revealed and then removed stays visible to the contract's
    two sides (they were told of it; acting on it is refused as not published). A hidden one is its
    author side's alone."""
    if review.is_published:
        return True
    side = review_side(user, review.contract)
    if side is None:
        return False
    return review.revealed_at is not None or side == AUTHOR_OF_DIRECTION[review.direction]
