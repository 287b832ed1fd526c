"""Blocks, reports and the staff's moderation: the services, their refusals and their audit rows."""

import pytest

from marketplace.core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied
from marketplace.core.models import AuditEntry
from marketplace.jobs.models import Job
from messaging.models import Block, FlagReview, Report
from messaging.selectors import moderation as selectors
from messaging.services import moderation as services
from tests.factories import make_client, make_freelancer, make_job, make_user
from tests.messaging.conversation_rows import client_freelancer_chat, message_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def chat():
    return client_freelancer_chat("pay me at paypal.me/finn", ["payment_handle", "link"])


@pytest.fixture
def staff():
    return make_user(staff=True, full_name="Sam Staff")


# ---------------------------------------------------------------- blocks


def test_block_and_unblock():
    me, other = make_freelancer(), make_client()
    block, created = services.block_create(acting_user=me, user_id=other.pk)
    assert created
    assert selectors.blocked_between(other.pk, [me.pk])  # either direction
    again, created = services.block_create(acting_user=me, user_id=other.pk)
    assert (again.pk, created) == (block.pk, False)
    services.block_remove(acting_user=me, user_id=other.pk)
    assert not Block.objects.exists()
    assert not selectors.blocked_between(me.pk, [other.pk])


def test_cannot_block_yourself_or_nobody():
    me = make_freelancer()
    with pytest.raises(InvalidInput) as refused:
        services.block_create(acting_user=me, user_id=me.pk)
    assert refused.value.code == "cannot_block_self"
    with pytest.raises(NotFound):
        services.block_create(acting_user=me, user_id=me.pk + 1000)
    with pytest.raises(NotFound) as missing:
        services.block_remove(acting_user=me, user_id=me.pk + 1000)
    assert missing.value.code == "block_not_found"
    assert not Block.objects.exists()


# ---------------------------------------------------------------- reports


def test_report_each_kind_of_target(chat):
    client, freelancer, job, message = chat
    by_message = services.report_create(acting_user=client, message_id=message.pk, reason="off_platform")
    by_profile = services.report_create(
        acting_user=client, profile_handle=freelancer.freelancer_profile.handle, reason="spam", details="Ads"
    )
    by_job = services.report_create(acting_user=freelancer, job_id=job.pk, reason="scam")
    assert [r.target_kind for r in (by_message, by_profile, by_job)] == ["message", "profile", "job"]
    assert Report.objects.filter(status="open").count() == 3


def test_one_open_report_per_reporter_and_target(chat):
    client, _freelancer, _job, message = chat
    services.report_create(acting_user=client, message_id=message.pk, reason="spam")
    with pytest.raises(Conflict) as refused:
        services.report_create(acting_user=client, message_id=message.pk, reason="abuse")
    assert refused.value.code == "already_reported"
    assert Report.objects.count() == 1


def test_reporting_what_you_cannot_see_is_404(chat):
    _client, _freelancer, _job, message = chat
    outsider = make_freelancer()
    with pytest.raises(NotFound) as refused:
        services.report_create(acting_user=outsider, message_id=message.pk, reason="spam")
    assert refused.value.code == "message_not_found"
    draft = make_job(client=make_client(), publish=False)
    with pytest.raises(NotFound) as refused:
        services.report_create(acting_user=outsider, job_id=draft.pk, reason="spam")
    assert refused.value.code == "job_not_found"
    with pytest.raises(NotFound) as refused:
        services.report_create(acting_user=outsider, profile_handle="nobody-here", reason="spam")
    assert refused.value.code == "profile_not_found"
    assert not Report.objects.exists()


def test_report_refusals(chat):
    client, freelancer, job, message = chat
    with pytest.raises(InvalidInput) as refused:
        services.report_create(acting_user=freelancer, message_id=message.pk, reason="spam")
    assert refused.value.code == "cannot_report_own"
    with pytest.raises(InvalidInput) as refused:
        services.report_create(acting_user=client, message_id=message.pk, reason="because")
    assert refused.value.code == "invalid_reason"
    with pytest.raises(InvalidInput) as refused:
        services.report_create(acting_user=client, message_id=message.pk, job_id=job.pk, reason="spam")
    assert refused.value.code == "one_target"
    with pytest.raises(InvalidInput) as refused:
        services.report_create(acting_user=client, message_id=message.pk, reason="spam", details="x" * 2001)
    assert refused.value.code == "too_long"
    assert not Report.objects.exists()


# ---------------------------------------------------------------- staff moderation


def test_only_staff_moderate(chat):
    client, _freelancer, _job, message = chat
    report = services.report_create(acting_user=client, message_id=message.pk, reason="spam")
    for call in (
        lambda: services.report_dismiss(acting_user=client, report_id=report.pk, note="no"),
        lambda: services.report_action(acting_user=client, report_id=report.pk, note="no"),
        lambda: services.message_hide(acting_user=client, message_id=message.pk, reason="no"),
        lambda: services.message_flag_clear(acting_user=client, message_id=message.pk, note="no"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    message.refresh_from_db()
    assert message.hidden_at is None
    assert Report.objects.get().status == "open"
    assert not AuditEntry.objects.filter(action__startswith="report.").exists()


def test_action_on_a_message_hides_it_resolves_every_report_of_it_and_is_audited(chat, staff):
    client, _freelancer, _job, message = chat
    first = services.report_create(acting_user=client, message_id=message.pk, reason="off_platform")
    other_member = make_client()
    message.conversation.participants.create(user=other_member, side="client")
    second = services.report_create(acting_user=other_member, message_id=message.pk, reason="spam")
    services.report_action(acting_user=staff, report_id=first.pk, note="Shares a payment link")
    message.refresh_from_db()
    assert message.hidden_at is not None
    assert (message.hidden_by, message.hidden_reason) == (staff, "Shares a payment link")
    for report in (first, second):
        report.refresh_from_db()
        assert (report.status, report.action, report.resolved_by) == ("actioned", "hide_message", staff)
        assert report.resolution_note == "Shares a payment link"
    assert FlagReview.objects.get(message=message).outcome == "hidden"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"report.action", "message.hide"} <= actions
    assert AuditEntry.objects.get(action="report.action").data["reason"] == "Shares a payment link"
    with pytest.raises(Conflict) as refused:
        services.report_dismiss(acting_user=staff, report_id=first.pk, note="late")
    assert refused.value.code == "report_resolved"


def test_action_on_a_job_closes_it_as_staff(chat, staff):
    _client, freelancer, job, _message = chat
    report = services.report_create(acting_user=freelancer, job_id=job.pk, reason="scam")
    services.report_action(acting_user=staff, report_id=report.pk, note="Asks for a deposit")
    job.refresh_from_db()
    assert job.status == Job.Status.CLOSED
    assert AuditEntry.objects.get(action="job.staff_close").data["reason"] == "Asks for a deposit"


def test_action_on_a_profile_suspends_the_account(chat, staff):
    client, freelancer, _job, _message = chat
    report = services.report_create(
        acting_user=client, profile_handle=freelancer.freelancer_profile.handle, reason="scam"
    )
    services.report_action(acting_user=staff, report_id=report.pk, note="Fake identity")
    freelancer.refresh_from_db()
    assert freelancer.is_suspended
    assert freelancer.suspension_reason == "Fake identity"
    assert AuditEntry.objects.filter(action="user.suspend").exists()
    # A suspended account's profile is gone for others: a new report of it is a 404.
    with pytest.raises(NotFound):
        services.report_create(
            acting_user=make_client(), profile_handle=freelancer.freelancer_profile.handle, reason="spam"
        )


def test_dismiss_needs_a_reason_and_is_audited(chat, staff):
    client, _freelancer, _job, message = chat
    report = services.report_create(acting_user=client, message_id=message.pk, reason="spam")
    with pytest.raises(InvalidInput) as refused:
        services.report_dismiss(acting_user=staff, report_id=report.pk, note="  ")
    assert refused.value.code == "reason_required"
    services.report_dismiss(acting_user=staff, report_id=report.pk, note="Ordinary project talk")
    report.refresh_from_db()
    assert (report.status, report.action, report.resolution_note) == (
        "dismissed",
        "",
        "Ordinary project talk",
    )
    message.refresh_from_db()
    assert message.hidden_at is None
    assert AuditEntry.objects.get(action="report.dismiss").data["reason"] == "Ordinary project talk"


def test_flagged_message_leaves_the_queue_when_hidden_or_cleared(chat, staff):
    client, _freelancer, _job, message = chat
    other = message_in(message.conversation, client, "call me on 555 123 4567", flags=["phone"])
    message_in(message.conversation, client, "thanks!")  # not flagged
    assert list(selectors.flagged_messages_open()) == [message, other]  # oldest first
    services.message_hide(acting_user=staff, message_id=message.pk, reason="Payment link")
    services.message_flag_clear(acting_user=staff, message_id=other.pk, note="Our own support line")
    assert list(selectors.flagged_messages_open()) == []
    assert FlagReview.objects.get(message=other).outcome == "cleared"
    assert {"message.hide", "message.flag_clear"} <= set(AuditEntry.objects.values_list("action", flat=True))
    with pytest.raises(Conflict):
        services.message_hide(acting_user=staff, message_id=message.pk, reason="again")
    with pytest.raises(Conflict):
        services.message_flag_clear(acting_user=staff, message_id=other.pk, note="again")
