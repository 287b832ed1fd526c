"""Moderation wired into posting: the off-platform contact check before a contract (the message is
delivered, flagged, and its sender warned) and blocks (403 ``blocked``, nothing stored), through
``message_post`` and the API."""

import pytest

from marketplace.core.exceptions import PermissionDenied
from marketplace.jobs.models import Proposal
from marketplace.organisations.models import Role
from messaging.models import Conversation, FlagReview, Message
from messaging.selectors.moderation import flagged_messages_open
from messaging.services.conversations import conversation_direct, conversation_for_proposal
from messaging.services.messages import message_edit, message_post
from messaging.services.moderation import block_create, message_flag_clear, message_hide
from tests.factories import make_client, make_freelancer, make_job, make_proposal, make_user
from tests.messaging.conversation_cast import build_cast
from tests.messaging.message_events import record_sent_events
from tests.support.api import as_user, assert_error

pytestmark = pytest.mark.django_db

CONTACT = "Easier by mail: ana dot costa at gmail dot com"


@pytest.fixture
def cast():
    return build_cast()


def _messages(api, conversation: Conversation) -> list[dict]:
    return api.get(f"/api/conversations/{conversation.pk}/messages/").json()["results"]


# ---------------------------------------------------------------- the contact check


def test_before_hiring_a_contact_is_flagged_delivered_and_only_its_sender_warned(cast):
    conversation = cast.proposal_conversation()
    manager = cast.roles[Role.HIRING_MANAGER]
    response = as_user(cast.freelancer).post(
        f"/api/conversations/{conversation.pk}/messages/", {"body": CONTACT}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["contact_warning"] is True
    message = Message.objects.get()
    assert message.contact_flags == ["email"]
    (theirs,) = _messages(as_user(manager), conversation)
    assert theirs["contact_warning"] is False
    assert "gmail" in theirs["body_html"]  # delivered as written
    (own,) = _messages(as_user(cast.freelancer), conversation)
    assert own["contact_warning"] is True
    assert list(flagged_messages_open()) == [message]


def test_innocent_text_is_not_flagged(cast):
    conversation = cast.proposal_conversation()
    message = message_post(
        acting_user=cast.freelancer,
        conversation_id=conversation.pk,
        body="I can start on 2026-12-06 for $1,500.",
    )
    assert message.contact_flags == []


def test_no_check_once_hired_or_in_a_contract(cast):
    contract_message = message_post(
        acting_user=cast.freelancer, conversation_id=cast.contract_conversation().pk, body=CONTACT
    )
    assert contract_message.contact_flags == []
    conversation = cast.proposal_conversation()
    Proposal.objects.filter(pk=cast.proposal.pk).update(status=Proposal.Status.HIRED)
    hired = message_post(acting_user=cast.freelancer, conversation_id=conversation.pk, body=CONTACT)
    assert hired.contact_flags == []
    assert list(flagged_messages_open()) == []


def test_direct_conversations_are_checked_until_the_two_share_a_contract(cast):
    client, freelancer = make_client(), make_freelancer()
    conversation_for_proposal(make_proposal(make_job(client=client), freelancer=freelancer))
    direct = conversation_direct(acting_user=freelancer, other_user_id=client.pk)
    message = message_post(acting_user=freelancer, conversation_id=direct.pk, body="Call me: 415 555 0132")
    assert message.contact_flags == ["phone", "payment_handle"]  # "call me" invites off the site too
    # The cast's freelancer and hiring manager share a contract: their direct conversation is not checked.
    shared = conversation_direct(
        acting_user=cast.freelancer, other_user_id=cast.roles[Role.HIRING_MANAGER].pk
    )
    assert (
        message_post(acting_user=cast.freelancer, conversation_id=shared.pk, body=CONTACT).contact_flags == []
    )


def test_an_edit_is_checked_again_and_returns_a_cleared_message_to_the_queue(cast):
    conversation = cast.proposal_conversation()
    message = message_post(
        acting_user=cast.freelancer, conversation_id=conversation.pk, body="Mail me: ana@example.org"
    )
    message_flag_clear(acting_user=make_user(staff=True), message_id=message.pk, note="Our test inbox")
    assert list(flagged_messages_open()) == []
    edited = message_edit(
        acting_user=cast.freelancer, message_id=message.pk, body="ana@example.org or call +44 20 7946 0958"
    )
    assert edited.contact_flags == ["email", "phone"]
    assert not FlagReview.objects.exists()
    assert list(flagged_messages_open()) == [message]


def test_staff_hiding_a_message_reaches_open_pages_at_once(
    cast, monkeypatch, django_capture_on_commit_callbacks
):
    conversation = cast.proposal_conversation()
    message = message_post(acting_user=cast.freelancer, conversation_id=conversation.pk, body=CONTACT)
    sent = record_sent_events(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        message_hide(acting_user=make_user(staff=True), message_id=message.pk, reason="Contact details")
    (event,) = sent.of(cast.roles[Role.HIRING_MANAGER], "message.edited")
    assert event["message"]["hidden"] is True
    assert "gmail" not in event["message"]["body_html"]


# ---------------------------------------------------------------- blocks


@pytest.mark.parametrize("blocker_is_freelancer", [True, False])
def test_a_block_either_way_refuses_posting_in_a_proposal_conversation(cast, blocker_is_freelancer):
    conversation = cast.proposal_conversation()
    manager = cast.roles[Role.HIRING_MANAGER]
    blocker, blocked = (cast.freelancer, manager) if blocker_is_freelancer else (manager, cast.freelancer)
    block_create(acting_user=blocker, user_id=blocked.pk)
    for sender in (cast.freelancer, manager):
        with pytest.raises(PermissionDenied) as refused:
            message_post(acting_user=sender, conversation_id=conversation.pk, body="Hello")
        assert refused.value.code == "blocked"
    assert not Message.objects.exists()
    # Others of the client side, whom nobody blocked, still talk with the freelancer's side? No: the
    # freelancer and the manager are on opposite sides; the owner and the freelancer are not blocked.
    owner = cast.roles[Role.OWNER]
    assert message_post(acting_user=owner, conversation_id=conversation.pk, body="Still here").pk


def test_a_contract_conversation_stays_open_despite_a_block(cast):
    block_create(acting_user=cast.freelancer, user_id=cast.roles[Role.HIRING_MANAGER].pk)
    message = message_post(
        acting_user=cast.roles[Role.HIRING_MANAGER],
        conversation_id=cast.contract_conversation().pk,
        body="Invoice?",
    )
    assert message.pk


def test_a_block_between_people_on_the_same_side_changes_nothing(cast):
    conversation = cast.proposal_conversation()
    block_create(acting_user=cast.roles[Role.OWNER], user_id=cast.roles[Role.HIRING_MANAGER].pk)
    assert message_post(
        acting_user=cast.roles[Role.HIRING_MANAGER], conversation_id=conversation.pk, body="Hi"
    ).pk


def test_blocks_over_the_api(cast):
    client, freelancer = make_client(), make_freelancer()
    conversation = conversation_for_proposal(make_proposal(make_job(client=client), freelancer=freelancer))
    direct = conversation_direct(acting_user=freelancer, other_user_id=client.pk)
    as_user(client).post("/api/blocks/", {"user": freelancer.pk}, format="json")
    api = as_user(freelancer)
    for target in (conversation, direct):
        response = api.post(f"/api/conversations/{target.pk}/messages/", {"body": "Hello?"}, format="json")
        assert_error(response, 403, "blocked")
    assert_error(api.post("/api/conversations/direct/", {"user": client.pk}, format="json"), 403, "blocked")
    assert not Message.objects.exists()
    as_user(client).delete(f"/api/blocks/{freelancer.pk}/")
    response = api.post(f"/api/conversations/{direct.pk}/messages/", {"body": "Hello?"}, format="json")
    assert response.status_code == 201


def test_a_block_refuses_opening_a_direct_conversation(cast):
    block_create(acting_user=cast.roles[Role.HIRING_MANAGER], user_id=cast.freelancer.pk)
    with pytest.raises(PermissionDenied) as refused:
        conversation_direct(acting_user=cast.freelancer, other_user_id=cast.roles[Role.HIRING_MANAGER].pk)
    assert refused.value.code == "blocked"
    assert not Conversation.objects.filter(kind="direct").exists()
