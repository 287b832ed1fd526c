"""The reviews API's base view and its lookups, on the accounts API's (session authentication,
pagination, the error shape).

Reviews are people's, not an organisation's integration data: API keys are refused everywhere here
(403 ``api_key_not_allowed``). A contract or a review someone may not see answers 404 ``not_found``,
as if there were none (a hidden review is its author's side's alone). Who may act is checked before
the request body is read, so 400 reaches only a caller who may act; the state's refusals (409) come
from the services after it.
"""

from marketplace.contracts.models import Contract
from marketplace.core.exceptions import NotFound
from marketplace.core.rest.views import ApiView

from .. import selectors
from ..models import Review, ReviewReport
from ..permissions import require_moderator

CONTRACT_404 = "`not_found` (not a party's, or no such contract)"
REVIEW_404 = "`not_found` (no such review, or a hidden one that is not your side's)"
SIDE_403 = (
    "`role_forbids` / `not_a_member` (on the client side without a role that manages jobs), "
    "`account_suspended`"
)
SESSION_NOTE = "\n\nNeeds a logged-in session; API keys are refused (403 `api_key_not_allowed`)."
SIDES_NOTE = (
    "\n\nThe sides: the contract's freelancer, and the client side — the client, or for an "
    "organisation's contract its members whose role manages jobs. The client side reviews the "
    "freelancer (`of_freelancer`), the freelancer the client (`of_client`). Reviews are double-blind: "
    "a review stays hidden, read by its author's side alone, until both sides have reviewed or the "
    "window (`REVIEW_WINDOW_DAYS`, 14, from the contract's end) closes; nothing here says whether "
    "the other side has written theirs." + SESSION_NOTE
)
STAFF_NOTE = (
    "\n\nPlatform staff only (`is_staff`): 403 `not_staff` for anyone else; API keys are refused "
    "(403 `api_key_not_allowed`)."
)


class ReviewsApiView(ApiView):
    def contract(self, pk: int) -> Contract:
        """The contract, for a side to check next; none at all is 404 like one not yours."""
        contract = Contract.objects.select_related("organisation").filter(pk=pk).first()
        if contract is None:
            raise NotFound("No such contract.", code="not_found")
        return contract

    def review(self, pk: int) -> Review:
        return selectors.review_for_viewer(pk=pk, viewer=self.request.user)


class StaffApiView(ReviewsApiView):
    """Staff only, before anything is looked up."""

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        require_moderator(request.user)

    def report(self, pk: int) -> ReviewReport:
        report = ReviewReport.objects.select_related("review").filter(pk=pk).first()
        if report is None:
            raise NotFound("No such report.", code="not_found")
        return report
