"""Conversations open by themselves: when a proposal is submitted and when a contract starts, after
the jobs and contracts services commit (the real services, with their real events)."""

import pytest
from django.core.management import call_command

from marketplace.organisations.models import Role
from messaging.models import Conversation, Participant
from messaging.selectors.conversations import conversation_of_subject
from tests.factories import (
    add_member,
    make_contract,
    make_freelancer,
    make_job,
    make_organisation,
    make_proposal,
)

pytestmark = pytest.mark.django_db


def test_submitting_a_proposal_opens_its_conversation(django_capture_on_commit_callbacks):
    organisation = make_organisation(name="Acme Robotics")
    manager = add_member(organisation, Role.HIRING_MANAGER)
    job = make_job(client=manager, organisation=organisation, title="Pick-and-place arm")
    freelancer = make_freelancer()
    with django_capture_on_commit_callbacks(execute=True):
        proposal = make_proposal(job, freelancer=freelancer)
    conversation = Conversation.objects.get(proposal=proposal)
    assert (conversation.kind, conversation.title) == (Conversation.Kind.PROPOSAL, "Pick-and-place arm")
    owner = organisation.memberships.get(role=Role.OWNER).user
    assert set(Participant.objects.filter(conversation=conversation).values_list("user_id", flat=True)) == {
        freelancer.pk,
        manager.pk,
        owner.pk,
    }
    assert conversation_of_subject(freelancer, proposal=proposal) == conversation


def test_without_the_commit_nothing_opens(django_capture_on_commit_callbacks):
    """The positive control's negative: the receivers run after commit, not inside the service."""
    with django_capture_on_commit_callbacks(execute=False):
        make_proposal(make_job(title="Pick-and-place arm"))
    assert not Conversation.objects.exists()


def test_a_contract_starting_opens_its_conversation(django_capture_on_commit_callbacks):
    freelancer = make_freelancer()
    with django_capture_on_commit_callbacks(execute=True):
        contract = make_contract(freelancer=freelancer, title="Booking page build")
    conversation = Conversation.objects.get(contract=contract)
    assert (conversation.kind, conversation.title) == (Conversation.Kind.CONTRACT, contract.title)
    assert set(Participant.objects.filter(conversation=conversation).values_list("user_id", "side")) == {
        (freelancer.pk, Participant.Side.FREELANCER),
        (contract.client_id, Participant.Side.CLIENT),
    }
    # The proposal it came from was submitted in the same commit: its conversation is open too.
    assert Conversation.objects.filter(proposal__freelancer=freelancer).count() == 1


def test_conversations_open_fills_in_what_existed_before(capsys):
    """Proposals and contracts from before messaging (no commit ran the receivers here) get theirs."""
    contract = make_contract(title="Booking page build")
    other = make_proposal(make_job(title="Pick-and-place arm"))
    assert not Conversation.objects.exists()
    call_command("conversations_open")
    assert Conversation.objects.filter(contract=contract).exists()
    assert Conversation.objects.filter(proposal=other).exists()
    assert Conversation.objects.count() == 3  # the contract's own proposal too
    call_command("conversations_open")  # again: nothing more
    assert Conversation.objects.count() == 3
    assert "Opened 0 proposals conversation(s)." in capsys.readouterr().out
