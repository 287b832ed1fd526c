"""Posting, editing, deleting and reading messages: what is stored, what each reader counts as
unread, and what is pushed to whom — after commit only. Every refusal stores nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from marketplace.core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied, RateLimited
from marketplace.organisations.models import Role
from messaging.models import Conversation, Message, Participant
from messaging.payloads import HIDDEN_HTML, message_data
from messaging.selectors.attachments import message_files_visible_to
from messaging.selectors.conversations import conversations_of, messages_page, unread_total
from messaging.services.messages import (
    conversation_mark_read,
    message_delete,
    message_edit,
    message_post,
)
from tests.messaging.conversation_cast import build_cast
from tests.messaging.message_events import SentEvents, record_sent_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_events(monkeypatch) -> SentEvents:
    return record_sent_events(monkeypatch)


@pytest.fixture
def chat():
    """A contract's conversation: the freelancer, and the client side (owner, hiring manager who
    posted the job, finance)."""
    cast = build_cast()
    conversation = cast.contract_conversation()
    return cast, conversation


def post(user, conversation: Conversation, body: str = "Hello", **kwargs) -> Message:
    return message_post(acting_user=user, conversation_id=conversation.pk, body=body, **kwargs)


def row(user, conversation: Conversation) -> Participant:
    return Participant.objects.get(user=user, conversation=conversation)


def test_a_post_is_rendered_counted_and_moves_the_conversation(chat):
    cast, conversation = chat
    manager, finance = cast.roles[Role.HIRING_MANAGER], cast.roles[Role.FINANCE]
    message = post(cast.freelancer, conversation, "Here is **the plan**.\n\n- one\n- two")
    assert (
        message.body_html
        == "<p>Here is <strong>the plan</strong>.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
    )
    conversation.refresh_from_db()
    assert conversation.last_message == message
    assert conversation.last_activity_at == message.created_at
    assert row(manager, conversation).unread == 1
    assert row(finance, conversation).unread == 1
    mine = row(cast.freelancer, conversation)
    assert (mine.unread, mine.last_read_message_id) == (0, message.pk)
    post(manager, conversation, "Thanks!")
    assert row(cast.freelancer, conversation).unread == 1
    assert row(finance, conversation).unread == 2
    assert row(manager, conversation).unread == 0  # posting reads what came before
    assert unread_total(finance) == 2


def test_script_in_text_is_inert(chat):
    cast, conversation = chat
    message = post(
        cast.freelancer,
        conversation,
        '<script>alert(1)</script> <img src=x onerror="alert(2)"> [click](javascript:alert(3))',
    )
    html = message.body_html
    assert "<script" not in html
    assert "<img" not in html
    assert "<a" not in html  # the javascript: link stays text, never a link
    assert "&lt;script&gt;" in html  # shown as the text it was, not run


def test_an_oversized_or_empty_message_is_refused_and_nothing_is_stored(chat):
    cast, conversation = chat
    with pytest.raises(InvalidInput) as too_long:
        post(cast.freelancer, conversation, "x" * 5001)
    assert too_long.value.code == "message_too_long"
    with pytest.raises(InvalidInput) as empty:
        post(cast.freelancer, conversation, "   \n ")
    assert empty.value.code == "empty_message"
    assert not Message.objects.exists()
    assert row(cast.roles[Role.FINANCE], conversation).unread == 0
    assert post(cast.freelancer, conversation, "x" * 5000).body == "x" * 5000  # the limit itself is fine


def test_posting_into_someone_elses_conversation_is_404_and_stores_nothing(chat):
    cast, conversation = chat
    for intruder in (cast.outsider, cast.roles[Role.VIEWER], cast.roles[Role.ADMIN]):
        with pytest.raises(NotFound) as refused:
            post(intruder, conversation, "Let me in")
        assert refused.value.code == "conversation_not_found"
    with pytest.raises(NotFound):
        message_post(acting_user=cast.freelancer, conversation_id=conversation.pk + 999, body="Nowhere")
    assert not Message.objects.exists()
    assert post(cast.roles[Role.FINANCE], conversation, "Funding today")  # positive control


def test_the_rate_limit_answers_429_and_stores_nothing(chat, settings):
    cast, conversation = chat
    settings.MESSAGES_PER_MINUTE = 3
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for n in range(3):
            post(cast.freelancer, conversation, f"Message {n}")
        with pytest.raises(RateLimited) as limited:
            post(cast.freelancer, conversation, "One too many")
    assert limited.value.code == "message_rate_limited"
    assert limited.value.status == 429
    assert "3 messages in the last minute" in limited.value.message
    assert Message.objects.count() == 3
    assert row(cast.roles[Role.FINANCE], conversation).unread == 3
    # Someone else is not limited by the freelancer's messages; the freelancer again after a minute.
    with time_machine.travel(start, tick=False):
        post(cast.roles[Role.FINANCE], conversation, "Slow down")
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        post(cast.freelancer, conversation, "Sorry")
    assert Message.objects.count() == 5


def test_edit_and_delete_are_the_senders_within_the_window(chat, settings):
    cast, conversation = chat
    manager = cast.roles[Role.HIRING_MANAGER]
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        message = post(cast.freelancer, conversation, "Draft one")
    with time_machine.travel(start + timedelta(seconds=899), tick=False):
        with pytest.raises(PermissionDenied) as not_theirs:
            message_edit(acting_user=manager, message_id=message.pk, body="Mine now")
        assert not_theirs.value.code == "not_the_sender"
        with pytest.raises(NotFound):  # not even a participant: as if it did not exist
            message_edit(acting_user=cast.outsider, message_id=message.pk, body="Mine now")
        edited = message_edit(acting_user=cast.freelancer, message_id=message.pk, body="Draft *two*")
    assert edited.body_html == "<p>Draft <em>two</em></p>\n"
    assert edited.edited_at == start + timedelta(seconds=899)
    with time_machine.travel(start + timedelta(seconds=901), tick=False):
        for change in (
            lambda: message_edit(acting_user=cast.freelancer, message_id=message.pk, body="Too late"),
            lambda: message_delete(acting_user=cast.freelancer, message_id=message.pk),
        ):
            with pytest.raises(Conflict) as closed:
                change()
            assert closed.value.code == "edit_window_closed"
    message.refresh_from_db()
    assert (message.body, message.deleted_at) == ("Draft *two*", None)


def test_a_deleted_message_keeps_its_row_without_text_or_files(chat):
    cast, conversation = chat
    finance = cast.roles[Role.FINANCE]
    message = post(
        cast.freelancer, conversation, "Oops, wrong chat", files=[("notes.txt", b"secret notes\n")]
    )
    (file,) = message.attachments.all()
    assert row(finance, conversation).unread == 1
    deleted = message_delete(acting_user=cast.freelancer, message_id=message.pk)
    deleted.refresh_from_db()
    assert deleted.deleted_at is not None
    assert (deleted.body, deleted.body_html) == ("", "")
    assert not deleted.attachments.exists()
    with pytest.raises(ObjectDoesNotExist):
        file.refresh_from_db()
    assert row(finance, conversation).unread == 0  # it no longer counts
    (shown,) = messages_page(finance, conversation)
    assert shown.pk == message.pk
    with pytest.raises(Conflict) as again:
        message_edit(acting_user=cast.freelancer, message_id=message.pk, body="Back")
    assert again.value.code == "message_deleted"


def test_read_receipts_never_move_back_and_recount_unread(chat):
    cast, conversation = chat
    manager, finance = cast.roles[Role.HIRING_MANAGER], cast.roles[Role.FINANCE]
    first, second, third = (post(cast.freelancer, conversation, f"Part {n}") for n in (1, 2, 3))
    mine = post(finance, conversation, "Noted")
    assert row(manager, conversation).unread == 4

    reader = conversation_mark_read(
        acting_user=manager, conversation_id=conversation.pk, up_to_message_id=second.pk
    )
    assert (reader.last_read_message_id, reader.unread) == (second.pk, 2)
    reader = conversation_mark_read(
        acting_user=manager, conversation_id=conversation.pk, up_to_message_id=first.pk
    )
    assert (reader.last_read_message_id, reader.unread) == (second.pk, 2)  # never backwards
    reader = conversation_mark_read(acting_user=manager, conversation_id=conversation.pk)
    assert (reader.last_read_message_id, reader.unread) == (mine.pk, 0)
    assert unread_total(manager) == 0

    # Finance's own message does not count for finance; what came after it does.
    reader = conversation_mark_read(
        acting_user=finance, conversation_id=conversation.pk, up_to_message_id=third.pk
    )
    assert reader.unread == 0
    with pytest.raises(NotFound) as elsewhere:
        conversation_mark_read(acting_user=finance, conversation_id=conversation.pk, up_to_message_id=10**9)
    assert elsewhere.value.code == "message_not_found"
    with pytest.raises(NotFound) as outsider:
        conversation_mark_read(acting_user=cast.outsider, conversation_id=conversation.pk)
    assert outsider.value.code == "conversation_not_found"


def test_history_pages_by_id_and_search_skips_deleted_and_hidden(chat):
    cast, conversation = chat
    manager = cast.roles[Role.HIRING_MANAGER]
    messages = [post(cast.freelancer if n % 2 else manager, conversation, f"Update {n}") for n in range(7)]
    newest_first = [m.pk for m in reversed(messages)]
    page = messages_page(manager, conversation, limit=3)
    assert [m.pk for m in page] == newest_first[:3]
    page = messages_page(manager, conversation, before_id=page[-1].pk, limit=3)
    assert [m.pk for m in page] == newest_first[3:6]
    page = messages_page(manager, conversation, before_id=page[-1].pk, limit=3)
    assert [m.pk for m in page] == newest_first[6:]

    needle = post(cast.freelancer, conversation, "The invoice is attached")
    gone = post(cast.freelancer, conversation, "Invoice v1 (wrong)")
    message_delete(acting_user=cast.freelancer, message_id=gone.pk)
    hidden = post(cast.freelancer, conversation, "invoice, pay me elsewhere")
    Message.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now(), hidden_reason="Off-platform")
    assert [m.pk for m in messages_page(manager, conversation, query="INVOICE")] == [needle.pk]
    assert messages_page(manager, conversation, query="nothing like this") == []
    assert hidden.pk in [m.pk for m in messages_page(manager, conversation)]  # shown, as hidden


def test_the_inbox_lists_latest_first_and_unread_first_on_request(chat):
    cast, conversation = chat
    manager = cast.roles[Role.HIRING_MANAGER]
    proposal_conversation = cast.proposal_conversation()
    post(manager, conversation, "Contract news")
    post(manager, proposal_conversation, "Proposal news")
    assert [c.pk for c in conversations_of(cast.freelancer)] == [proposal_conversation.pk, conversation.pk]
    conversation_mark_read(acting_user=cast.freelancer, conversation_id=proposal_conversation.pk)
    unread_first = list(conversations_of(cast.freelancer, unread_first=True))
    assert [c.pk for c in unread_first] == [conversation.pk, proposal_conversation.pk]
    assert [c.viewer_unread for c in unread_first] == [1, 0]
    assert unread_first[1].last_message.body == "Proposal news"


def test_events_go_to_each_participant_after_commit_with_their_counts(
    chat, sent_events, django_capture_on_commit_callbacks
):
    cast, conversation = chat
    manager, finance, outsider = cast.roles[Role.HIRING_MANAGER], cast.roles[Role.FINANCE], cast.outsider
    post(manager, conversation, "Earlier")  # committed with the test: never pushed
    with django_capture_on_commit_callbacks() as callbacks:
        message = post(cast.freelancer, conversation, "Hi all")
    assert not sent_events.by_user  # nothing before the commit
    for callback in callbacks:
        callback()
    (to_finance,) = sent_events.of(finance)
    assert to_finance["type"] == "message.new"
    assert to_finance["conversation"] == conversation.pk
    assert to_finance["message"]["id"] == message.pk
    assert to_finance["message"]["sender"] == {"id": cast.freelancer.pk, "name": "Ana Costa"}
    assert to_finance["message"]["body_html"] == "<p>Hi all</p>\n"
    assert (to_finance["unread"], to_finance["unread_total"]) == (2, 2)
    (to_sender,) = sent_events.of(cast.freelancer)
    assert (to_sender["unread"], to_sender["unread_total"]) == (0, 0)
    assert (sent_events.of(manager)[0]["unread"]) == 1
    assert not sent_events.of(outsider)

    sent_events.clear()
    with django_capture_on_commit_callbacks(execute=True):
        conversation_mark_read(acting_user=finance, conversation_id=conversation.pk)
    (own,) = sent_events.of(finance)
    assert own == {
        "type": "conversation.read",
        "conversation": conversation.pk,
        "user": finance.pk,
        "last_read_message_id": message.pk,
        "unread_total": 0,
    }
    (theirs,) = sent_events.of(cast.freelancer)
    assert "unread_total" not in theirs
    assert theirs["user"] == finance.pk

    sent_events.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message_edit(acting_user=cast.freelancer, message_id=message.pk, body="Hi everyone")
        message_delete(acting_user=cast.freelancer, message_id=message.pk)
    assert [e["type"] for e in sent_events.of(finance)] == ["message.edited", "message.deleted"]
    assert sent_events.of(finance)[0]["message"]["body_html"] == "<p>Hi everyone</p>\n"
    assert sent_events.of(manager)[1] == {
        "type": "message.deleted",
        "conversation": conversation.pk,
        "message_id": message.pk,
        "unread": 0,
        "unread_total": 0,
    }
    assert not sent_events.of(outsider)


def test_a_refused_post_pushes_nothing(chat, sent_events, django_capture_on_commit_callbacks):
    cast, conversation = chat
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(InvalidInput):
        post(cast.freelancer, conversation, "x" * 6000)
    assert not sent_events.by_user


def test_a_hidden_message_shows_as_hidden_by_staff_without_text_or_files(chat):
    cast, conversation = chat
    message = post(
        cast.freelancer, conversation, "Pay me on the side", files=[("note.txt", b"account 123\n")]
    )
    (file,) = message.attachments.all()
    Message.objects.filter(pk=message.pk).update(
        hidden_at=timezone.now(), hidden_reason="Off-platform payment"
    )
    (shown,) = messages_page(cast.roles[Role.FINANCE], conversation)
    data = message_data(shown, viewer_id=cast.roles[Role.FINANCE].pk)
    assert (data["hidden"], data["deleted"], data["body_html"], data["attachments"]) == (
        True,
        False,
        HIDDEN_HTML,
        [],
    )
    assert "Pay me" not in str(data)
    assert not message_files_visible_to(cast.freelancer).filter(pk=file.pk).exists()
