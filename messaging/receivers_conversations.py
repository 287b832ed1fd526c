"""Conversations open with their subjects, and follow who may read them.

Jobs, contracts and accounts never import messaging: their services send these signals after
commit, and the receivers here (connected in ``MessagingConfig.ready``) open the proposal's
conversation when it is submitted, the contract's when it starts, the dispute's when it opens
(``marketplace.disputes.events``, on commit: that signal may come inside the service's transaction),
and re-derive a member's rows in their organisation's conversations when they join, leave or change
role. A dispute's rows are re-derived at each of its steps too (support staff made since join it),
and a user saved with ``is_support`` turned on or off joins or leaves every dispute's conversation
(``support_staff_sync``; a bulk ``update()`` of the flag sends no signal: the next step or post of
each dispute catches up). A failure is logged,
never turned into an error for a change that already happened (a page opens the conversation
later anyway: the services are get-or-create).
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from marketplace.accounts.models import User
from marketplace.contracts import events as contract_events
from marketplace.contracts.models import Contract
from marketplace.disputes import events as dispute_events
from marketplace.disputes.models import Dispute
from marketplace.jobs import events as job_events
from marketplace.jobs.models import Proposal
from marketplace.organisations import events as organisation_events

from .receivers import _never_raises
from .services.conversations import (
    conversation_for_contract,
    conversation_for_dispute,
    conversation_for_proposal,
    participants_sync_member,
    support_staff_sync,
)


@receiver(job_events.proposal_submitted, dispatch_uid="messaging.conversation_for_proposal")
@_never_raises
def proposal_submitted(sender, proposal_id: int, **kwargs) -> None:
    conversation_for_proposal(Proposal.objects.get(pk=proposal_id))


@receiver(contract_events.contract_started, dispatch_uid="messaging.conversation_for_contract")
@_never_raises
def contract_started(sender, contract_id: int, **kwargs) -> None:
    conversation_for_contract(Contract.objects.get(pk=contract_id))


@receiver(organisation_events.membership_changed, dispatch_uid="messaging.conversation_members")
@_never_raises
def membership_changed(sender, organisation_id: int, user_id: int, **kwargs) -> None:
    participants_sync_member(organisation_id=organisation_id, user_id=user_id)


@_never_raises
def _dispute_conversation(dispute_id: int) -> None:
    conversation_for_dispute(Dispute.objects.get(pk=dispute_id))


@receiver(dispute_events.dispute_opened, dispatch_uid="messaging.conversation_for_dispute")
def dispute_opened(sender, dispute: Dispute, **kwargs) -> None:
    transaction.on_commit(partial(_dispute_conversation, dispute.pk))


@receiver(dispute_events.dispute_step, dispatch_uid="messaging.conversation_of_dispute_step")
def dispute_step(sender, dispute: Dispute, **kwargs) -> None:
    """Get-or-create again: re-derives the rows (a member's role or the support staff changed)."""
    transaction.on_commit(partial(_dispute_conversation, dispute.pk))


@receiver(post_save, sender=User, dispatch_uid="messaging.support_staff_rows")
def user_saved(sender, instance: User, created: bool, update_fields=None, **kwargs) -> None:
    if update_fields is not None and not {"is_support", "is_active"} & set(update_fields):
        return  # a login's last_login, say
    if created and not instance.is_support:
        return
    transaction.on_commit(partial(_never_raises(support_staff_sync), instance.pk))
