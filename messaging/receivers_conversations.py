"""Conversations open with their subjects, and follow who may read them.

Jobs, contracts and accounts never import messaging: their services send these signals after
commit, and the receivers here (connected in ``MessagingConfig.ready``) open the proposal's
conversation when it is submitted, the contract's when it starts, and re-derive a member's rows in
their organisation's conversations when they join, leave or change role. A failure is logged,
never turned into an error for a change that already happened (a page opens the conversation
later anyway: the services are get-or-create).
"""

from django.dispatch import receiver

from marketplace.accounts import events as account_events
from marketplace.contracts import events as contract_events
from marketplace.contracts.models import Contract
from marketplace.jobs import events as job_events
from marketplace.jobs.models import Proposal

from .receivers import _never_raises
from .services.conversations import (
    conversation_for_contract,
    conversation_for_proposal,
    participants_sync_member,
)


@receiver(job_events.proposal_submitted, dispatch_uid="messaging.conversation_for_proposal")
@_never_raises
def proposal_submitted(sender, proposal_id: int, **kwargs) -> None:
    conversation_for_proposal(Proposal.objects.get(pk=proposal_id))


@receiver(contract_events.contract_started, dispatch_uid="messaging.conversation_for_contract")
@_never_raises
def contract_started(sender, contract_id: int, **kwargs) -> None:
    conversation_for_contract(Contract.objects.get(pk=contract_id))


@receiver(account_events.membership_changed, dispatch_uid="messaging.conversation_members")
@_never_raises
def membership_changed(sender, organisation_id: int, user_id: int, **kwargs) -> None:
    participants_sync_member(organisation_id=organisation_id, user_id=user_id)
