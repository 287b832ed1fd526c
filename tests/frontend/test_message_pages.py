"""The messages pages: the inbox, a conversation, the conversation panel on the contract and job
pages, and its writes without JavaScript (send, edit, delete) — who sees what, refusals kept at the
form with nothing stored, and queries that do not grow with the rows."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from messaging.models import Message, Participant
from messaging.services.conversations import conversation_for_contract, conversation_for_proposal
from messaging.services.messages import conversation_mark_read, message_delete, message_post
from tests.factories import make_client, make_contract, make_freelancer, make_job, make_proposal
from tests.support.images import image_bytes

pytestmark = pytest.mark.django_db

INBOX = reverse("frontend:inbox")


def page(conversation) -> str:
    return reverse("frontend:conversation", args=[conversation.pk])


def send_url(conversation) -> str:
    return reverse("frontend:message_send", args=[conversation.pk])


@pytest.fixture(autouse=True)
def roomy_rate_limit(settings):
    """Tests that fill pages of history send more than a minute's allowance."""
    settings.MESSAGES_PER_MINUTE = 1000


@pytest.fixture
def chat():
    """A contract between Harriet (client) and Ana (freelancer), and its conversation."""
    client_user = make_client(full_name="Harriet Cole")
    freelancer = make_freelancer(full_name="Ana Costa")
    contract = make_contract(
        client=client_user, freelancer=freelancer, title="Booking page for a yoga studio"
    )
    conversation = conversation_for_contract(contract)
    return {
        "client": client_user,
        "freelancer": freelancer,
        "contract": contract,
        "conversation": conversation,
    }


def say(user, conversation, body: str, files=()) -> Message:
    return message_post(acting_user=user, conversation_id=conversation.pk, body=body, files=files)


def count_queries(client, url: str) -> int:
    client.get(url)  # warm: sessions, content types
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# ---- the inbox ------------------------------------------------------------------------------------


def test_the_inbox_needs_a_login_and_an_empty_one_says_how_conversations_start(client):
    assert client.get(INBOX).url.startswith(reverse("account_login"))
    client.force_login(make_freelancer())
    html = client.get(INBOX).content.decode()
    assert "No conversations yet" in html
    assert "A conversation starts with each proposal you send and each contract you get" in html


def test_the_inbox_lists_conversations_by_last_activity_with_unread_counts(client, chat):
    other_job = make_job(client=chat["client"], title="Logo for a bakery")
    proposal = make_proposal(other_job, freelancer=chat["freelancer"])
    older = conversation_for_proposal(proposal)
    say(chat["client"], older, "Could you start in March?")
    say(chat["client"], chat["conversation"], "Welcome aboard! The brief is attached.")
    say(chat["client"], chat["conversation"], "Call me when you have read it.")
    say(chat["freelancer"], older, "Yes, March works.")  # now the newest activity, nothing unread

    client.force_login(chat["freelancer"])
    html = client.get(INBOX).content.decode()
    rows = re.findall(r'<li class="conv( conv--unread)?">(.*?)</li>', html, re.S)
    assert len(rows) == 2
    assert "Logo for a bakery" in rows[0][1]
    assert not rows[0][0]
    assert "Booking page for a yoga studio" in rows[1][1]
    assert rows[1][0]
    assert "Harriet Cole" in rows[1][1]
    assert "Call me when you have read it." in rows[1][1]
    assert '<span class="conv__unread">2<span class="visually-hidden"> unread</span>' in rows[1][1]

    unread_first = client.get(INBOX + "?show=unread").content.decode()
    titles = re.findall(r'<span class="conv__title">(.*?)</span>', unread_first)
    assert titles[0] == "Booking page for a yoga studio"


def test_the_inbox_costs_the_same_queries_for_one_or_fifty_conversations(client):
    client_user = make_client()
    job = make_job(client=client_user)

    def conversations(n: int) -> None:
        for _ in range(n):
            proposal = make_proposal(job)
            say(proposal.freelancer, conversation_for_proposal(proposal), "Hello!")

    conversations(1)
    client.force_login(client_user)
    one = count_queries(client, INBOX)
    conversations(49)
    assert count_queries(client, INBOX) == one


# ---- a conversation -------------------------------------------------------------------------------


def test_a_participant_reads_the_conversation_and_it_is_marked_read(client, chat):
    conversation = chat["conversation"]
    say(chat["client"], conversation, "**Welcome** aboard!")
    client.force_login(chat["freelancer"])
    html = client.get(page(conversation)).content.decode()
    assert "<strong>Welcome</strong> aboard!" in html
    assert 'aria-current="page"' in html  # the list marks the open conversation
    assert "All conversations" in html  # the phone's way back
    me = Participant.objects.get(conversation=conversation, user=chat["freelancer"])
    assert me.unread == 0


def test_someone_outside_the_conversation_gets_404_and_stores_nothing(client, chat):
    conversation = chat["conversation"]
    mine = say(chat["client"], conversation, "Only for Ana.")
    client.force_login(make_freelancer())
    assert client.get(page(conversation)).status_code == 404
    assert client.get(page(conversation) + "?part=latest").status_code == 404
    response = client.post(send_url(conversation), {"body": "Let me in"})
    assert response.status_code == 404
    edit = client.post(reverse("frontend:message_edit", args=[mine.pk]), {"body": "changed"})
    delete = client.post(reverse("frontend:message_delete", args=[mine.pk]))
    assert (edit.status_code, delete.status_code) == (404, 404)
    mine.refresh_from_db()
    assert (mine.body, mine.deleted_at) == ("Only for Ana.", None)
    assert Message.objects.count() == 1


def test_sending_without_javascript_goes_back_to_the_page_it_came_from(client, chat):
    conversation, contract = chat["conversation"], chat["contract"]
    contract_page = reverse("frontend:contract_detail", args=[contract.pk])
    client.force_login(chat["freelancer"])
    response = client.post(
        send_url(conversation), {"body": "Started on the wireframes.", "next": contract_page}
    )
    assert response.status_code == 302
    assert response.url == f"{contract_page}#conversation-{conversation.pk}"
    assert Message.objects.get().body == "Started on the wireframes."
    html = client.get(contract_page).content.decode()
    assert f'id="conversation-{conversation.pk}"' in html
    assert "Started on the wireframes." in html
    assert "messages.js" in html


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"body": "x" * 5001}, "A message is at most 5,000 characters (it has 5001)."),
        ({"body": "   "}, "Write a message or attach a file."),
    ],
)
def test_a_refused_message_comes_back_at_the_form_with_the_text_kept(client, chat, data, error):
    conversation = chat["conversation"]
    client.force_login(chat["client"])
    response = client.post(send_url(conversation), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert error in html
    if data["body"].strip():
        assert data["body"] in html
    assert not Message.objects.exists()


def test_a_refused_file_keeps_the_text_and_stores_nothing(client, chat):
    conversation = chat["conversation"]
    client.force_login(chat["client"])
    fake = SimpleUploadedFile("photo.png", b"#!/bin/sh\necho not a picture\n", content_type="image/png")
    response = client.post(send_url(conversation), {"body": "The photo of the studio", "attachments": [fake]})
    html = response.content.decode()
    assert 400 <= response.status_code < 500
    assert "The photo of the studio</textarea>" in html
    assert "Attach the files again" in html or 'aria-invalid="true"' in html
    assert not Message.objects.exists()


def test_the_rate_limit_answers_429_at_the_form_with_the_text_kept(client, chat, settings):
    settings.MESSAGES_PER_MINUTE = 1
    conversation = chat["conversation"]
    client.force_login(chat["client"])
    assert client.post(send_url(conversation), {"body": "First"}).status_code == 302
    response = client.post(send_url(conversation), {"body": "Second, too soon"})
    html = response.content.decode()
    assert response.status_code == 429
    assert "messages in the last minute, the limit" in html
    assert "Second, too soon</textarea>" in html
    assert Message.objects.count() == 1


def test_sending_in_place_answers_with_a_cleared_form_or_the_errors(client, chat):
    conversation = chat["conversation"]
    client.force_login(chat["client"])
    ok = client.post(send_url(conversation), {"body": "Hello"}, headers={"HX-Request": "true"})
    assert ok.status_code == 201
    assert "<textarea" in ok.content.decode()
    assert "Hello</textarea>" not in ok.content.decode()
    bad = client.post(send_url(conversation), {"body": "y" * 5001}, headers={"HX-Request": "true"})
    assert bad.status_code == 400
    assert "y" * 5001 + "</textarea>" in bad.content.decode()
    assert "<html" not in bad.content.decode()
    assert Message.objects.count() == 1


def test_own_messages_can_be_edited_and_deleted_within_fifteen_minutes(client, chat):
    conversation = chat["conversation"]
    mine = say(chat["freelancer"], conversation, "Draft is ready")
    theirs = say(chat["client"], conversation, "Thanks!")
    client.force_login(chat["freelancer"])
    html = client.get(page(conversation)).content.decode()
    assert reverse("frontend:message_edit", args=[mine.pk]) in html
    assert reverse("frontend:message_edit", args=[theirs.pk]) not in html

    response = client.post(
        reverse("frontend:message_edit", args=[mine.pk]),
        {"body": "Draft is ready for review", "next": page(conversation)},
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.body == "Draft is ready for review"
    assert mine.edited_at
    html = client.get(page(conversation)).content.decode()
    assert "(edited)" in html

    client.post(reverse("frontend:message_delete", args=[mine.pk]), {"next": page(conversation)})
    mine.refresh_from_db()
    assert mine.deleted_at
    html = client.get(page(conversation)).content.decode()
    assert "Message deleted." in html
    assert "Draft is ready for review" not in html


def test_after_fifteen_minutes_the_buttons_are_gone_and_an_edit_is_refused(client, chat):
    conversation = chat["conversation"]
    mine = say(chat["freelancer"], conversation, "Sent a while ago")
    Message.objects.filter(pk=mine.pk).update(created_at=timezone.now() - timedelta(minutes=16))
    client.force_login(chat["freelancer"])
    html = client.get(page(conversation)).content.decode()
    assert reverse("frontend:message_edit", args=[mine.pk]) not in html
    response = client.post(
        reverse("frontend:message_edit", args=[mine.pk]),
        {"body": "Rewritten", "next": page(conversation)},
        follow=True,
    )
    assert response.status_code == 200
    assert 'class="alert alert--error' in response.content.decode()
    mine.refresh_from_db()
    assert mine.body == "Sent a while ago"


def test_seen_goes_under_my_last_message_the_other_side_read(client, chat):
    conversation = chat["conversation"]
    first = say(chat["freelancer"], conversation, "One")
    say(chat["freelancer"], conversation, "Two")
    conversation_mark_read(
        acting_user=chat["client"], conversation_id=conversation.pk, up_to_message_id=first.pk
    )
    client.force_login(chat["freelancer"])
    html = client.get(page(conversation)).content.decode()
    seen = re.findall(r'id="message-(\d+)".*?<p class="msg__seen" data-seen( hidden)?>', html, re.S)
    assert [(int(pk), bool(hidden)) for pk, hidden in seen] == [(first.pk, False), (first.pk + 1, True)]


def test_seen_skips_a_message_i_deleted_for_the_one_before_it(client, chat):
    conversation = chat["conversation"]
    first = say(chat["freelancer"], conversation, "One")
    second = say(chat["freelancer"], conversation, "Two")
    conversation_mark_read(
        acting_user=chat["client"], conversation_id=conversation.pk, up_to_message_id=second.pk
    )
    message_delete(acting_user=chat["freelancer"], message_id=second.pk)
    client.force_login(chat["freelancer"])
    html = client.get(page(conversation)).content.decode()
    seen = re.findall(r'id="message-(\d+)".*?<p class="msg__seen" data-seen( hidden)?>', html, re.S)
    assert [(int(pk), bool(hidden)) for pk, hidden in seen] == [(first.pk, False)]


def test_older_messages_come_in_pages_and_load_without_javascript(client, chat):
    conversation = chat["conversation"]
    sent = [say(chat["client"], conversation, f"Message number {n}") for n in range(35)]
    client.force_login(chat["freelancer"])
    html = client.get(page(conversation)).content.decode()
    assert "Message number 34" in html
    assert "Message number 5<" in html
    assert "Message number 4<" not in html
    older = re.search(r'href="([^"]*\?before=(\d+))#conversation-\d+" data-older-link', html)
    assert older
    assert int(older.group(2)) == sent[5].pk
    older_html = client.get(older.group(1).replace("&amp;", "&")).content.decode()
    assert "Message number 0<" in older_html
    assert "Message number 4<" in older_html
    assert "Message number 5<" not in older_html
    assert "Newest messages" in older_html
    part = client.get(page(conversation) + f"?part=older&before={sent[5].pk}").content.decode()
    assert "<html" not in part
    assert "Message number 0<" in part
    assert "data-older-link" not in part


def test_search_within_the_conversation_links_to_each_message(client, chat):
    conversation = chat["conversation"]
    hit = say(chat["client"], conversation, "The invoice address is on the brief")
    say(chat["client"], conversation, "Nothing to see")
    client.force_login(chat["freelancer"])
    html = client.get(page(conversation) + "?q=invoice").content.decode()
    html = html[html.index('<section class="panel"') :]  # the inbox's list previews the last message
    assert "1 message with “invoice”" in html
    assert f"?before={hit.pk + 1}#message-{hit.pk}" in html
    assert "Nothing to see" not in html


def test_the_contact_warning_is_shown_to_the_sender_only(client, chat):
    conversation = chat["conversation"]
    flagged = say(chat["freelancer"], conversation, "Write to me at ana at example dot com")
    Message.objects.filter(pk=flagged.pk).update(contact_flags=["email"])
    client.force_login(chat["freelancer"])
    assert "This looks like contact details." in client.get(page(conversation)).content.decode()
    client.force_login(chat["client"])
    assert "This looks like contact details." not in client.get(page(conversation)).content.decode()


def test_the_others_messages_carry_a_report_link_back_to_this_page(client, chat):
    conversation = chat["conversation"]
    mine = say(chat["client"], conversation, "When can you start?")
    theirs = say(chat["freelancer"], conversation, "Monday.")
    client.force_login(chat["client"])
    html = client.get(page(conversation)).content.decode()
    report = reverse("frontend:report_message", args=[theirs.pk])
    assert f'href="{report}?next=' in html
    assert reverse("frontend:report_message", args=[mine.pk]) not in html
    link = re.search(rf'href="({re.escape(report)}\?next=[^"]+)"', html).group(1)
    assert client.get(link.replace("&amp;", "&")).status_code == 200


def test_images_are_previewed_and_other_files_named_with_their_size(client, chat):
    conversation = chat["conversation"]
    picture = SimpleUploadedFile("studio.png", image_bytes("PNG"), content_type="image/png")
    notes = SimpleUploadedFile("notes.txt", b"Opening hours: 7 to 21\n", content_type="text/plain")
    client.force_login(chat["client"])
    response = client.post(send_url(conversation), {"body": "Photos", "attachments": [picture, notes]})
    assert response.status_code == 302
    html = client.get(page(conversation)).content.decode()
    assert re.search(r'<ul class="msg__images".*?<img src="/files/\d+/[^"]*" alt="studio.png"', html, re.S)
    assert re.search(
        r'<ul class="msg__files".*?>notes.txt</a> <span class="small muted">23\xa0bytes', html, re.S
    )


def test_the_conversation_costs_the_same_queries_for_one_or_a_full_page_of_messages(client, chat):
    conversation = chat["conversation"]
    say(chat["client"], conversation, "First")
    client.force_login(chat["freelancer"])
    url = page(conversation)
    one = count_queries(client, url)
    for n in range(49):
        say(chat["client"], conversation, f"More {n}")
    client.get(url)  # reading them marks them read: the next loads are alike
    assert count_queries(client, url) == one


# ---- the panel in place ---------------------------------------------------------------------------


def test_the_contract_page_shows_its_conversation_to_both_parties(client, chat):
    contract, conversation = chat["contract"], chat["conversation"]
    say(chat["client"], conversation, "Kick-off on Monday?")
    for user in (chat["client"], chat["freelancer"]):
        client.force_login(user)
        html = client.get(reverse("frontend:contract_detail", args=[contract.pk])).content.decode()
        assert f'data-conversation="{conversation.pk}"' in html
        assert "Kick-off on Monday?" in html


def test_the_contract_page_costs_the_same_queries_for_one_or_many_messages(client, chat):
    contract, conversation = chat["contract"], chat["conversation"]
    say(chat["client"], conversation, "First")
    client.force_login(chat["freelancer"])
    url = reverse("frontend:contract_detail", args=[contract.pk])
    client.get(url)
    one = count_queries(client, url)
    for n in range(49):
        say(chat["client"], conversation, f"More {n}")
    client.get(url)
    assert count_queries(client, url) == one


def test_the_freelancer_talks_about_their_proposal_on_the_job_page(client):
    client_user = make_client(full_name="Harriet Cole")
    freelancer = make_freelancer()
    job = make_job(client=client_user)
    proposal = make_proposal(job, freelancer=freelancer)
    conversation = conversation_for_proposal(proposal)
    say(client_user, conversation, "Can you show a similar site?")
    client.force_login(freelancer)
    html = client.get(reverse("frontend:job_detail", args=[job.pk])).content.decode()
    assert "Messages with the client" in html
    assert "Can you show a similar site?" in html


def test_a_conversation_in_the_inbox_links_to_its_work_for_each_side(client, chat):
    client_user, freelancer = chat["client"], chat["freelancer"]
    client.force_login(freelancer)
    contract_page = reverse("frontend:contract_detail", args=[chat["contract"].pk])
    assert (
        f'<a href="{contract_page}">Open the contract</a>'
        in client.get(page(chat["conversation"])).content.decode()
    )

    job = make_job(client=client_user)
    proposal = make_proposal(job, freelancer=freelancer)
    about_proposal = conversation_for_proposal(proposal)
    job_page = reverse("frontend:job_detail", args=[job.pk])
    html = client.get(page(about_proposal)).content.decode()
    assert f'<a href="{job_page}">Open the job and your proposal</a>' in html
    client.force_login(client_user)
    card = f"{reverse('frontend:job_proposals', args=[job.pk])}#proposal-{proposal.pk}"
    html = client.get(page(about_proposal)).content.decode()
    assert f'<a href="{card}">Open the proposal</a>' in html
    assert client.get(card.split("#")[0]).status_code == 200


def test_the_clients_proposal_card_links_to_the_conversation_with_its_unread_count(client):
    client_user = make_client()
    job = make_job(client=client_user)
    proposal = make_proposal(job, freelancer=make_freelancer())
    conversation = conversation_for_proposal(proposal)
    say(proposal.freelancer, conversation, "A question about the budget")
    client.force_login(client_user)
    html = client.get(reverse("frontend:job_proposals", args=[job.pk])).content.decode()
    assert re.search(
        rf'href="{page(conversation)}">Messages <span class="badge[^"]*">1'
        r'<span class="visually-hidden"> unread',
        html,
    )


def test_the_header_links_to_messages_with_the_unread_total(client, chat):
    say(chat["client"], chat["conversation"], "One")
    say(chat["client"], chat["conversation"], "Two")
    client.force_login(chat["freelancer"])
    html = client.get(reverse("frontend:dashboard")).content.decode()
    link = re.search(r'<a class="messages-link".*?</a>', html, re.S).group(0)
    assert f'href="{INBOX}"' in link
    assert "Messages, 2 unread" in link
    assert "messages-nav.js" in html


def test_the_header_count_costs_one_query_and_none_for_visitors(client, chat, settings):
    say(chat["client"], chat["conversation"], "One")
    with CaptureQueriesContext(connection) as visitor:
        html = client.get(reverse("frontend:landing")).content.decode()
    assert "messages-link" not in html
    assert not any("messaging_participant" in q["sql"] for q in visitor.captured_queries)

    client.force_login(chat["freelancer"])
    dashboard = reverse("frontend:dashboard")
    with_count = count_queries(client, dashboard)
    processors = settings.TEMPLATES[0]["OPTIONS"]["context_processors"]
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "context_processors": [p for p in processors if not p.endswith(".conversations")],
            },
        }
    ]
    assert with_count - count_queries(client, dashboard) == 1


def test_the_scripts_fragments_are_parts_of_the_page(client, chat):
    conversation = chat["conversation"]
    say(chat["client"], conversation, "Newest words")
    client.force_login(chat["freelancer"])
    latest = client.get(page(conversation) + "?part=latest").content.decode()
    assert "<html" not in latest
    assert "Newest words" in latest
    listed = client.get(page(conversation) + "?part=list").content.decode()
    assert listed.lstrip().startswith('<div class="inbox__list"')
    assert 'aria-current="page"' in listed
    assert "Booking page for a yoga studio" in listed


# ---- direct conversations from a profile -----------------------------------------------------------


def test_a_client_who_works_with_a_freelancer_messages_them_from_the_profile(client, chat):
    profile_url = reverse("frontend:freelancer", args=[chat["freelancer"].freelancer_profile.handle])
    direct = reverse("frontend:message_direct", args=[chat["freelancer"].freelancer_profile.handle])
    client.force_login(chat["client"])
    assert "Send a message" in client.get(profile_url).content.decode()
    answer = client.post(direct)
    conversation = Participant.objects.get(user=chat["client"], conversation__kind="direct").conversation
    assert answer.status_code == 302
    assert answer.url == page(conversation)
    assert client.post(direct).url == page(conversation)  # the same conversation again
    assert set(conversation.participants.values_list("user_id", "side")) == {
        (chat["client"].pk, "client"),
        (chat["freelancer"].pk, "freelancer"),
    }


def test_someone_without_shared_work_sees_no_button_and_is_refused_on_the_profile(client, chat):
    stranger = make_client(full_name="Sam Stranger")
    handle = chat["freelancer"].freelancer_profile.handle
    client.force_login(stranger)
    assert "Send a message" not in client.get(reverse("frontend:freelancer", args=[handle])).content.decode()
    refused = client.post(reverse("frontend:message_direct", args=[handle]))
    assert refused.status_code == 403
    assert "once you share a proposal or a contract" in refused.content.decode()
    assert not Participant.objects.filter(user=stranger).exists()
