"""The contracts API's base view: the jobs API's (authentication, read-only API keys, error shape)
plus the contract lookup. An organisation's API key reads its own contracts; anything else is 404."""

from marketplace.jobs.api.base import JobsApiView

from .. import selectors
from ..models import Contract

CONTRACT_404 = "`contract_not_found` (not a party's, or no such id)"


class ContractsApiView(JobsApiView):
    def contract(self, pk: int) -> Contract:
        if organisation := self.key_organisation:
            return selectors.contract_of_organisation(pk=pk, organisation=organisation)
        return selectors.contract_for_viewer(pk=pk, viewer=self.request.user)
