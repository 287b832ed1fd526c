"""Report pages, the block button on profiles, and the staff's moderation queue."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.core.models import AuditEntry
from messaging.models import Block, Report
from messaging.services.moderation import report_create
from tests.factories import make_client, make_freelancer, make_job, make_user
from tests.messaging.conversation_rows import client_freelancer_chat, message_in

pytestmark = pytest.mark.django_db

QUEUE = reverse("frontend:staff_moderation")


@pytest.fixture
def chat():
    return client_freelancer_chat("mail me: finn at gmail dot com", ["email"])


def test_job_and_profile_pages_link_to_their_report_forms(client, chat):
    _buyer, freelancer, job, _message = chat
    client.force_login(make_freelancer())
    page = client.get(reverse("frontend:job_detail", args=[job.pk])).content.decode()
    assert reverse("frontend:report_job", args=[job.pk]) in page
    handle = freelancer.freelancer_profile.handle
    page = client.get(reverse("frontend:freelancer", args=[handle])).content.decode()
    assert reverse("frontend:report_profile", args=[handle]) in page
    assert reverse("frontend:profile_block", args=[handle]) in page
    # The owner sees neither on their own page.
    client.force_login(freelancer)
    page = client.get(reverse("frontend:freelancer", args=[handle])).content.decode()
    assert reverse("frontend:report_profile", args=[handle]) not in page


def test_report_a_job_through_its_form(client, chat):
    _buyer, freelancer, job, _message = chat
    client.force_login(freelancer)
    url = reverse("frontend:report_job", args=[job.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "scam", "details": "Wants a deposit by bank transfer"})
    assert response.status_code == 302
    assert response.url == reverse("frontend:job_detail", args=[job.pk])
    report = Report.objects.get()
    assert (report.job, report.reporter, report.reason) == (job, freelancer, "scam")
    again = client.post(url, {"reason": "spam"})
    assert again.status_code == 409
    assert "already reported" in again.content.decode()
    assert Report.objects.count() == 1


def test_report_form_refuses_a_missing_reason_and_hidden_targets(client, chat):
    _buyer, _freelancer, job, message = chat
    client.force_login(make_freelancer())
    assert client.post(reverse("frontend:report_job", args=[job.pk]), {"details": "x"}).status_code == 400
    # A message of a conversation one is not in does not exist for them.
    assert client.get(reverse("frontend:report_message", args=[message.pk])).status_code == 404
    assert (
        client.post(reverse("frontend:report_message", args=[message.pk]), {"reason": "spam"}).status_code
        == 404
    )
    draft = make_job(client=make_client(), publish=False)
    assert client.get(reverse("frontend:report_job", args=[draft.pk])).status_code == 404
    assert not Report.objects.exists()


def test_report_a_message_returns_to_the_conversation(client, chat):
    buyer, _freelancer, _job, message = chat
    client.force_login(buyer)
    url = reverse("frontend:report_message", args=[message.pk]) + "?next=/messages/1/"
    page = client.get(url).content.decode()
    assert "finn at gmail dot com" in page
    response = client.post(url, {"reason": "off_platform"})
    assert response.url == "/messages/1/"
    assert Report.objects.get().message == message
    evil = reverse("frontend:report_message", args=[message.pk]) + "?next=https://evil.example/"
    Report.objects.all().delete()
    assert client.post(evil, {"reason": "spam"}).url == "/"


def test_anonymous_visitors_log_in_to_report(client, chat):
    _buyer, _freelancer, job, _message = chat
    response = client.get(reverse("frontend:report_job", args=[job.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_block_and_unblock_from_the_profile(client, chat):
    buyer, freelancer, _job, _message = chat
    client.force_login(buyer)
    handle = freelancer.freelancer_profile.handle
    assert client.post(reverse("frontend:profile_block", args=[handle])).status_code == 302
    assert Block.objects.filter(blocker=buyer, blocked=freelancer).exists()
    page = client.get(reverse("frontend:freelancer", args=[handle])).content.decode()
    assert reverse("frontend:profile_unblock", args=[handle]) in page
    client.post(reverse("frontend:profile_unblock", args=[handle]))
    assert not Block.objects.exists()
    assert client.get(reverse("frontend:profile_block", args=[handle])).status_code == 405


def test_queue_is_staff_only(client, chat):
    buyer, _freelancer, _job, message = chat
    report = report_create(acting_user=buyer, message_id=message.pk, reason="spam")
    client.force_login(buyer)
    assert client.get(QUEUE).status_code == 404
    assert (
        client.post(reverse("frontend:staff_report_action", args=[report.pk]), {"note": "x"}).status_code
        == 404
    )
    assert (
        client.post(reverse("frontend:staff_message_hide", args=[message.pk]), {"note": "x"}).status_code
        == 404
    )
    message.refresh_from_db()
    assert message.hidden_at is None


def test_staff_work_the_queue(client, chat):
    _buyer, freelancer, job, message = chat
    report = report_create(acting_user=freelancer, job_id=job.pk, reason="scam")
    staff = make_user(staff=True)
    client.force_login(staff)
    page = client.get(QUEUE).content.decode()
    assert "Booking page" in page
    assert "finn at gmail dot com" in page
    # No reason: refused, nothing changes.
    missing = client.post(reverse("frontend:staff_report_action", args=[report.pk]), {"note": ""})
    assert missing.status_code == 400
    assert Report.objects.get().status == "open"
    done = client.post(reverse("frontend:staff_report_action", args=[report.pk]), {"note": "Deposit scam"})
    assert done.status_code == 302
    job.refresh_from_db()
    assert job.status == "closed"
    client.post(reverse("frontend:staff_message_clear", args=[message.pk]), {"note": "A false alarm"})
    page = client.get(QUEUE).content.decode()
    assert "No open reports" in page
    assert "No flagged messages" in page
    assert {"report.action", "job.staff_close", "message.flag_clear"} <= set(
        AuditEntry.objects.values_list("action", flat=True)
    )
    again = client.post(reverse("frontend:staff_report_dismiss", args=[report.pk]), {"note": "late"})
    assert again.status_code == 409


def _queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(QUEUE).status_code == 200
    return len(captured)


def _fill(count: int, sender, conversation, reporters):
    for index in range(count):
        flagged = message_in(conversation, sender, f"call me on 555 000 {index:04d}", ["phone"])
        report_create(acting_user=reporters[index % len(reporters)], message_id=flagged.pk, reason="spam")


def test_queue_reads_the_same_number_of_queries_for_1_and_50_rows(client, chat):
    buyer, freelancer, _job, message = chat
    client.force_login(make_user(staff=True))
    _fill(1, freelancer, message.conversation, [buyer])
    one = _queue_queries(client)
    _fill(49, freelancer, message.conversation, [buyer])
    assert _queue_queries(client) == one
