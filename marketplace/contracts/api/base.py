"""The contracts API's base view: the jobs API's (authentication, read-only API keys, error shape)
plus the contract lookup. An organisation's API key reads its own contracts; anything else is 404."""

from marketplace.jobs.api.base import JobsApiView

from .. import selectors
from ..fees import milestone_fee_parts
from ..models import Contract
from ..permissions import contract_powers
from .serializers.contracts import ContractDetailSerializer

CONTRACT_404 = "`contract_not_found` (not a party's, or no such id)"


class ContractsApiView(JobsApiView):
    def contract(self, pk: int) -> Contract:
        if organisation := self.key_organisation:
            return selectors.contract_of_organisation(pk=pk, organisation=organisation)
        return selectors.contract_for_viewer(pk=pk, viewer=self.request.user)

    def contract_answer(self, pk: int) -> dict:
        """The contract as it is now, in its detail shape."""
        contract = self.contract(pk)
        return ContractDetailSerializer(contract, context=self.milestone_context(contract)).data

    def milestone_context(self, contract: Contract) -> dict:
        """What the milestone serializers read: each milestone's fee share, and what the caller may
        do on this contract (an API key: nothing, it is read-only)."""
        powers = frozenset() if self.key_organisation else contract_powers(self.request.user, contract)
        return {"fee_parts": milestone_fee_parts(contract), "powers": powers}
