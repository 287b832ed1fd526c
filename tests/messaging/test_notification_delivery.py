"""With real commits: a notification reaches the recipient's open page over the websocket, and a
write that rolls back tells nobody anything."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.core import mail
from django.db import transaction

from marketplace.jobs.services import job_invite
from messaging.models import Notification
from messaging.services import notifications_mark_all_read
from tests.factories import make_freelancer, make_job, make_offer, make_proposal
from tests.support.websockets import communicator, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_recipients_open_page_hears_of_a_new_notification_and_of_reading_it():
    job = make_job(title="Booking page")
    freelancer, bystander = make_freelancer(), make_freelancer()
    freelancer_cookie, bystander_cookie = session_cookie(freelancer), session_cookie(bystander)

    def invite():
        job_invite(acting_user=job.client, job=job, freelancer_handle=freelancer.freelancer_profile.handle)

    async def scenario():
        page, other_page = communicator(cookie=freelancer_cookie), communicator(cookie=bystander_cookie)
        assert (await page.connect())[0]
        assert (await other_page.connect())[0]
        await sync_to_async(invite)()
        assert await page.receive_json_from(timeout=5) == {
            "type": "notification",
            "unread": 1,
            "title": f"{job.client.full_name} invited you to propose on “Booking page”",
            "id": 1,
        }
        await sync_to_async(notifications_mark_all_read)(acting_user=freelancer)
        assert await page.receive_json_from(timeout=5) == {"type": "notifications.read", "unread": 0, "id": 2}
        assert await other_page.receive_nothing(timeout=0.5)
        await page.disconnect()
        await other_page.disconnect()

    async_to_sync(scenario)()


def test_a_write_that_rolls_back_notifies_and_emails_nobody():
    job = make_job()
    proposal = make_proposal(job)
    Notification.objects.all().delete()
    mail.outbox.clear()

    def offer_then_fail():
        with transaction.atomic():
            make_offer(proposal)
            make_proposal(job)
            raise RuntimeError("roll back")

    with pytest.raises(RuntimeError):
        offer_then_fail()

    assert not Notification.objects.exists()
    assert not mail.outbox

    make_offer(proposal)  # positive control: the same write, committed
    assert Notification.objects.filter(kind=Notification.Kind.OFFER_RECEIVED).count() == 1
    assert len(mail.outbox) == 1
