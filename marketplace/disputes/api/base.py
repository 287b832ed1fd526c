"""The disputes API's base views: the contracts API's (session or read-only organisation API key,
pagination, the error shape) plus the dispute lookups.

A party's side and support staff read a dispute (``selectors.dispute_for``); an organisation's API
key reads the disputes of its organisation's contracts, as it reads those contracts; anyone else
gets 404 ``dispute_not_found``. Every write needs a logged-in session (keys are read-only, 403
``api_key_read_only``), and who may act is the services' rule, checked before the body is read.
The support endpoints are for support staff only (403 ``not_support``) and refuse keys (403
``api_key_not_allowed``)."""

from django.db.models import Prefetch, QuerySet, prefetch_related_objects

from marketplace.contracts.api.base import ContractsApiView
from marketplace.core.exceptions import NotFound

from .. import selectors
from ..models import Dispute, DisputedEntry, DisputeEvidence, SettlementOffer
from ..permissions import require_support

DISPUTE_404 = "`dispute_not_found` (not your side's or support's, or no such id)"
OFFER_404 = "`offer_not_found` (not of a dispute you take part in, or no such id)"
PARTY_NOTE = (
    "\n\nRead by the dispute's two sides (the freelancer; the client and the organisation's members "
    "whose role approves payments) and support staff; 404 `dispute_not_found` for everyone else. An "
    "organisation API key (`X-Api-Key`) reads the disputes of its organisation's contracts."
)
WRITE_NOTE = (
    "\n\nNeeds a logged-in session; API keys are read-only (403 `api_key_read_only`). The dispute is "
    "looked up first (404 if you may not see it), then who may act (403 `role_forbids` for an "
    "organisation member whose role does not act on payments, `wrong_side` for the side that does not "
    "take this step, `account_suspended`), then the body (400): 409 `illegal_transition` for a step "
    "the dispute's state does not allow."
)
SUPPORT_NOTE = (
    "\n\nSupport staff only (`is_support`): 403 `not_support` for anyone else; API keys are refused "
    "(403 `api_key_not_allowed`)."
)


def row_queryset(disputes: QuerySet[Dispute]) -> QuerySet[Dispute]:
    """What a list row shows, in a fixed number of queries."""
    return disputes.select_related(
        "contract__client", "contract__freelancer", "milestone", "timesheet", "opened_by"
    )


def with_details(disputes: list[Dispute]) -> None:
    """Load what the detail shows onto the disputes: evidence (with people and files), offers."""
    evidence = DisputeEvidence.objects.select_related("submitted_by").prefetch_related("attachments")
    offers = SettlementOffer.objects.select_related("proposed_by", "answered_by")
    prefetch_related_objects(
        disputes,
        Prefetch("evidence", queryset=evidence.order_by("created_at", "pk")),
        Prefetch("offers", queryset=offers.order_by("-created_at", "-pk")),
        Prefetch("entries", queryset=DisputedEntry.objects.select_related("entry")),
    )


def _not_found() -> NotFound:
    return NotFound("No such dispute.", code="dispute_not_found")


class DisputesApiView(ContractsApiView):
    def disputes(self) -> QuerySet[Dispute]:
        """The caller's disputes: a party's (``selectors.disputes_of``), or a key's organisation's."""
        if organisation := self.key_organisation:
            return Dispute.objects.filter(contract__organisation=organisation)
        return selectors.disputes_of(self.request.user)

    def dispute(self, pk: int) -> Dispute:
        if organisation := self.key_organisation:
            found = row_queryset(Dispute.objects.filter(pk=pk, contract__organisation=organisation)).first()
            if found is None:
                raise _not_found()
            return found
        return selectors.dispute_for(self.request.user, pk)

    def offer(self, pk: int) -> SettlementOffer:
        """An offer of a dispute the caller reads (404 ``offer_not_found`` otherwise)."""
        offer = SettlementOffer.objects.filter(pk=pk).first()
        try:
            if offer is None:
                raise _not_found()
            offer.dispute = self.dispute(offer.dispute_id)
        except NotFound:
            raise NotFound("No such settlement offer.", code="offer_not_found") from None
        return offer


class SupportApiView(ContractsApiView):
    """Support staff only, before anything is looked up."""

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        require_support(request.user)

    def case(self, pk: int) -> Dispute:
        found = Dispute.objects.filter(pk=pk).select_related("assigned_to", "resolved_by").first()
        if found is None:
            raise _not_found()
        return found
