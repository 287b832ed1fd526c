"""Who reads which conversation: the participant rows, derived from the subject's parties and the
organisation roles that act on it, kept in step when members join, leave or change role; everyone
else gets the same 404 as for an id that does not exist."""

import pytest

from marketplace.core.exceptions import NotFound, PermissionDenied
from marketplace.jobs.models import Job
from marketplace.organisations.models import Role
from marketplace.organisations.services.organisations import member_remove, member_role_change
from messaging.models import Conversation, Participant
from messaging.selectors.conversations import (
    conversation_for_viewer,
    conversation_of_subject,
    conversations_of,
    messages_page,
)
from messaging.services.conversations import conversation_direct
from messaging.services.messages import message_post
from tests.factories import (
    add_member,
    make_client,
    make_contract,
    make_freelancer,
    make_job,
    make_proposal,
    make_user,
)
from tests.messaging.conversation_cast import build_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return build_cast()


def readers(conversation: Conversation) -> set[int]:
    return set(
        Participant.objects.filter(conversation=conversation, removed_at__isnull=True).values_list(
            "user_id", flat=True
        )
    )


def sees(user, conversation: Conversation) -> bool:
    listed = conversations_of(user).filter(pk=conversation.pk).exists()
    if not listed:
        with pytest.raises(NotFound) as refused:
            conversation_for_viewer(user, conversation.pk)
        assert refused.value.code == "conversation_not_found"
        with pytest.raises(NotFound):
            messages_page(user, conversation)
        return False
    assert conversation_for_viewer(user, conversation.pk) == conversation
    messages_page(user, conversation)  # the history asks again, and lets them in
    return True


def test_a_proposals_conversation_is_the_freelancer_and_the_roles_that_act_on_proposals(cast):
    conversation = cast.proposal_conversation()
    roles = cast.roles
    assert conversation.kind == Conversation.Kind.PROPOSAL
    assert conversation.title == "Pick-and-place arm"
    assert readers(conversation) == {
        cast.freelancer.pk,
        roles[Role.OWNER].pk,
        roles[Role.HIRING_MANAGER].pk,
    }
    for role in (Role.OWNER, Role.HIRING_MANAGER):
        assert sees(roles[role], conversation)
    assert sees(cast.freelancer, conversation)
    # Members whose role does not act on proposals, an outsider and a visitor: 404, as for nothing.
    for user in (roles[Role.ADMIN], roles[Role.FINANCE], roles[Role.VIEWER], cast.outsider):
        assert not sees(user, conversation)
    assert conversation_of_subject(cast.freelancer, proposal=cast.proposal) == conversation
    assert conversation_of_subject(roles[Role.VIEWER], proposal=cast.proposal) is None
    with pytest.raises(NotFound):
        conversation_for_viewer(roles[Role.OWNER], conversation.pk + 1000)


def test_a_contracts_conversation_adds_finance_who_funds_and_approves(cast):
    conversation = cast.contract_conversation()
    roles = cast.roles
    assert conversation.kind == Conversation.Kind.CONTRACT
    assert readers(conversation) == {
        cast.freelancer.pk,
        roles[Role.OWNER].pk,
        roles[Role.HIRING_MANAGER].pk,
        roles[Role.FINANCE].pk,
    }
    assert sees(roles[Role.FINANCE], conversation)
    assert not sees(roles[Role.VIEWER], conversation)
    assert not sees(roles[Role.ADMIN], conversation)
    sides = dict(Participant.objects.filter(conversation=conversation).values_list("user_id", "side"))
    assert sides[cast.freelancer.pk] == Participant.Side.FREELANCER
    assert sides[roles[Role.FINANCE].pk] == Participant.Side.CLIENT


def test_opening_twice_gives_the_same_conversation(cast):
    first = cast.proposal_conversation()
    assert cast.proposal_conversation() == first
    assert Conversation.objects.filter(proposal=cast.proposal).count() == 1
    assert Participant.objects.filter(conversation=first).count() == 3
    Job.objects.filter(pk=cast.job.pk).update(title="Pick-and-place arm, second run")
    assert cast.proposal_conversation().title == "Pick-and-place arm, second run"  # kept in step


def test_a_removed_member_loses_it_and_one_given_the_role_gains_it(cast, django_capture_on_commit_callbacks):
    conversation = cast.contract_conversation()
    owner, finance, viewer = (cast.roles[role] for role in (Role.OWNER, Role.FINANCE, Role.VIEWER))
    organisation = cast.job.organisation
    assert sees(finance, conversation)
    with django_capture_on_commit_callbacks(execute=True):
        member_remove(
            acting_user=owner,
            organisation=organisation,
            membership_id=organisation.memberships.get(user=finance).pk,
        )
    assert not sees(finance, conversation)
    assert Participant.objects.get(conversation=conversation, user=finance).removed_at is not None

    def change_role(role: str) -> None:
        membership = organisation.memberships.get(user=viewer)
        member_role_change(
            acting_user=owner, organisation=organisation, membership_id=membership.pk, role=role
        )

    assert not sees(viewer, conversation)
    with django_capture_on_commit_callbacks(execute=True):
        change_role(Role.HIRING_MANAGER)
    assert sees(viewer, conversation)
    assert sees(viewer, cast.proposal_conversation())
    with django_capture_on_commit_callbacks(execute=True):
        change_role(Role.VIEWER)
    assert not sees(viewer, conversation)
    # The job's poster (the hiring manager) stays whatever happens to others.
    assert sees(cast.roles[Role.HIRING_MANAGER], conversation)


def test_a_removed_member_cannot_post_even_before_the_receiver_ran(cast):
    """Posting re-derives the rows first: a change nobody announced yet still takes effect."""
    conversation = cast.contract_conversation()
    owner, finance = cast.roles[Role.OWNER], cast.roles[Role.FINANCE]
    organisation = cast.job.organisation
    member_remove(  # no commit callbacks run: the receiver never hears of it
        acting_user=owner,
        organisation=organisation,
        membership_id=organisation.memberships.get(user=finance).pk,
    )
    with pytest.raises(NotFound) as refused:
        message_post(acting_user=finance, conversation_id=conversation.pk, body="Still here?")
    assert refused.value.code == "conversation_not_found"
    assert not conversation.messages.exists()


def test_a_new_member_with_an_acting_role_joins_the_organisations_conversations(
    cast, django_capture_on_commit_callbacks
):
    conversation = cast.proposal_conversation()
    with django_capture_on_commit_callbacks(execute=True):
        newcomer = add_member(cast.job.organisation, Role.HIRING_MANAGER, make_user())
        bystander = add_member(cast.job.organisation, Role.FINANCE, make_user())
    assert sees(newcomer, conversation)
    assert not sees(bystander, conversation)


def test_a_private_clients_job_is_the_client_and_the_freelancer():
    client, freelancer, other = make_client(full_name="Cleo"), make_freelancer(), make_freelancer()
    proposal = make_proposal(make_job(client=client, title="Logo for a bakery"), freelancer=freelancer)
    make_proposal(proposal.job, freelancer=other)
    from messaging.services.conversations import conversation_for_proposal

    conversation = conversation_for_proposal(proposal)
    assert readers(conversation) == {client.pk, freelancer.pk}
    assert not sees(other, conversation)


def test_direct_messages_only_between_people_who_share_work(cast):
    freelancer, manager = cast.freelancer, cast.roles[Role.HIRING_MANAGER]
    # The subjects' conversations were never opened: asking opens them first.
    assert not Conversation.objects.exists()
    direct = conversation_direct(acting_user=manager, other_user_id=freelancer.pk)
    assert direct.kind == Conversation.Kind.DIRECT
    assert readers(direct) == {freelancer.pk, manager.pk}
    assert conversation_direct(acting_user=freelancer, other_user_id=manager.pk) == direct
    assert direct.title == "Acme hiring_manager and Ana Costa"
    assert sees(freelancer, direct)
    assert not sees(cast.roles[Role.OWNER], direct)

    for acting, other in (
        (cast.outsider, manager),  # no shared proposal or contract
        (cast.roles[Role.VIEWER], freelancer),  # a member whose role does not act on them
        (cast.roles[Role.OWNER], manager),  # the same side
    ):
        with pytest.raises(PermissionDenied) as refused:
            conversation_direct(acting_user=acting, other_user_id=other.pk)
        assert refused.value.code == "no_shared_work"
    with pytest.raises(NotFound):
        conversation_direct(acting_user=manager, other_user_id=manager.pk)
    assert Conversation.objects.filter(kind=Conversation.Kind.DIRECT).count() == 1


def test_a_contract_alone_is_shared_work_too():
    client, freelancer = make_client(full_name="Cleo"), make_freelancer(full_name="Finn")
    make_contract(client=client, freelancer=freelancer)
    direct = conversation_direct(acting_user=freelancer, other_user_id=client.pk)
    assert readers(direct) == {client.pk, freelancer.pk}
