"""Saved-search alerts: the beat task runs each saved search with alerts on as its owner, announces
the jobs opened since its high-water mark once (never twice, never a backlog), and messaging tells
the owner in the app at once and in the digest email. A job the owner may not see (a pool they are
not in, an invite-only job they were not invited to) is never announced; the same jobs are, to a
freelancer who may see them (the positive control)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail

from marketplace.jobs.services import job_close, job_invite
from messaging.email_policy import DIGEST_KINDS, GROUP_OF_KIND
from messaging.models import Notification
from search.backends import get_search_backend
from search.indexes import index_named
from search.models import SavedSearch
from search.services.indexing import index_rebuild
from search.services.saved_searches import saved_search_create, saved_search_update
from search.tasks import saved_search_alerts
from tests.factories import add_to_pool, make_freelancer, make_job, make_organisation
from tests.messaging.digest_world import START, run_task

pytestmark = pytest.mark.django_db
KIND = Notification.Kind.SAVED_SEARCH_MATCH


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def alerts(capture) -> dict[int, list[Notification]]:
    """One beat tick: index what changed (the receivers' job elsewhere), run the task after commit;
    the new notifications per recipient."""
    before = set(Notification.objects.values_list("pk", flat=True))
    index_rebuild(index="jobs")
    with capture(execute=True):
        saved_search_alerts()
    told: dict[int, list[Notification]] = {}
    for notification in Notification.objects.exclude(pk__in=before).order_by("pk"):
        told.setdefault(notification.recipient_id, []).append(notification)
    return told


def job(title: str, **fields):
    """A job whose words are its title's alone (the factory's description speaks of booking pages)."""
    return make_job(title=title, description=f"{title}: details to follow.", **fields)


def save(user, name="Booking pages", **params) -> SavedSearch:
    return saved_search_create(acting_user=user, name=name, params=params)


def test_new_matches_are_announced_once_and_only_those_opened_since(
    clock, django_capture_on_commit_callbacks
):
    ada = make_freelancer()
    job(title="Booking page, before saving")
    clock.shift(timedelta(minutes=1))
    saved = save(ada, q="booking")
    clock.shift(timedelta(minutes=30))
    first = job(title="Booking page for a gym")
    job(title="Logo for a bakery")  # does not match
    clock.shift(timedelta(minutes=30))

    told = alerts(django_capture_on_commit_callbacks)
    [notification] = told[ada.pk]
    assert notification.kind == KIND
    assert notification.title == "1 new job for your search “Booking pages”"
    assert notification.body == "“Booking page for a gym”."
    assert notification.url == "/jobs/?q=booking"
    saved.refresh_from_db()
    assert saved.last_alerted_at == START + timedelta(minutes=61)
    assert saved.announced_until == first.opened_at.replace(microsecond=0)

    assert alerts(django_capture_on_commit_callbacks) == {}  # the same hour again: nothing twice
    clock.shift(timedelta(hours=1))
    assert alerts(django_capture_on_commit_callbacks) == {}  # an hour on, nothing new

    second = job(title="Booking page for a dentist")
    clock.shift(timedelta(minutes=1))
    third = job(title="Booking page for a school")
    clock.shift(timedelta(hours=1))
    [notification] = alerts(django_capture_on_commit_callbacks)[ada.pk]
    assert notification.title == "2 new jobs for your search “Booking pages”"
    assert notification.body == f"“{third.title}”; “{second.title}”."
    assert alerts(django_capture_on_commit_callbacks) == {}


def test_a_job_indexed_late_is_still_announced_once(clock, django_capture_on_commit_callbacks):
    """The mark moves to the newest job announced; a job opened a little before it that reached the
    index only later is within the look-back (SAVED_SEARCH_ALERT_LAG_MINUTES) and announced, once."""
    ada = make_freelancer()
    save(ada, q="booking")
    clock.shift(timedelta(minutes=10))
    late = job(title="Booking page, indexed late")
    clock.shift(timedelta(minutes=10))
    job(title="Booking page, indexed at once")
    clock.shift(timedelta(minutes=10))
    index_rebuild(index="jobs")
    get_search_backend().delete(index_named("jobs"), [late.pk])
    with django_capture_on_commit_callbacks(execute=True):
        saved_search_alerts()
    [notification] = Notification.objects.filter(recipient=ada)
    assert notification.body == "“Booking page, indexed at once”."
    clock.shift(timedelta(minutes=10))
    [notification] = alerts(django_capture_on_commit_callbacks)[ada.pk]
    assert notification.body == "“Booking page, indexed late”."
    assert alerts(django_capture_on_commit_callbacks) == {}


def test_a_job_the_owner_may_not_see_is_never_announced(clock, django_capture_on_commit_callbacks):
    organisation = make_organisation()
    outsider, insider = make_freelancer(), make_freelancer()
    add_to_pool(organisation, insider)
    save(outsider, name="Everything")
    save(insider, name="Everything")
    clock.shift(timedelta(minutes=5))
    pool_job = job(title="Pool refit", organisation=organisation, visibility="pool")
    invite_only = job(title="Private audit", visibility="invite_only")
    job_invite(
        acting_user=invite_only.client,
        job=invite_only,
        freelancer_handle=insider.freelancer_profile.handle,
        message="Would you have time in March?",
    )
    job(title="Public booking page")
    clock.shift(timedelta(minutes=5))

    told = alerts(django_capture_on_commit_callbacks)
    [to_outsider] = told[outsider.pk]
    assert to_outsider.body == "“Public booking page”."
    assert "Pool refit" not in to_outsider.title + to_outsider.body
    [to_insider] = told[insider.pk]
    assert to_insider.title == "3 new jobs for your search “Everything”"
    assert set(to_insider.body.rstrip(".").split("; ")) == {
        "“Public booking page”",
        f"“{invite_only.title}”",
        f"“{pool_job.title}”",
    }


def test_alerts_off_a_closed_job_or_an_inactive_owner_announce_nothing(
    clock, django_capture_on_commit_callbacks
):
    ada, bea, cyd = make_freelancer(), make_freelancer(), make_freelancer()
    off = save(ada)
    saved_search_update(acting_user=ada, saved_search=off, alerts=False)
    save(bea)
    save(cyd)
    cyd.is_active = False
    cyd.save(update_fields=["is_active"])
    clock.shift(timedelta(minutes=5))
    closed = job(title="Booking page")
    job_close(acting_user=closed.client, job=closed)
    clock.shift(timedelta(minutes=5))
    assert alerts(django_capture_on_commit_callbacks) == {}
    job(title="Booking page again")
    clock.shift(timedelta(minutes=5))
    assert set(alerts(django_capture_on_commit_callbacks)) == {bea.pk}  # the positive control


def test_alerts_turned_back_on_announce_no_backlog(clock, django_capture_on_commit_callbacks):
    ada = make_freelancer()
    saved = save(ada)
    saved_search_update(acting_user=ada, saved_search=saved, alerts=False)
    clock.shift(timedelta(minutes=5))
    job(title="Booking page while off")
    clock.shift(timedelta(minutes=5))
    saved_search_update(acting_user=ada, saved_search=saved, alerts=True)
    clock.shift(timedelta(minutes=5))
    assert alerts(django_capture_on_commit_callbacks) == {}
    job(title="Booking page while on")
    clock.shift(timedelta(minutes=5))
    [notification] = alerts(django_capture_on_commit_callbacks)[ada.pk]
    assert notification.body == "“Booking page while on”."


def test_the_digest_email_carries_the_new_jobs(clock, django_capture_on_commit_callbacks, settings):
    assert KIND in DIGEST_KINDS
    assert GROUP_OF_KIND[KIND].key == "saved_searches"
    ada = make_freelancer()
    save(ada, q="booking")
    clock.shift(timedelta(minutes=5))
    job(title="Booking page for a gym")
    clock.shift(timedelta(minutes=5))
    alerts(django_capture_on_commit_callbacks)
    assert not [email for email in mail.outbox if email.to == [ada.email]]  # not at once
    clock.shift(timedelta(minutes=settings.DIGEST_DELAY_MINUTES + 1))
    run_task(django_capture_on_commit_callbacks)
    [digest] = [email for email in mail.outbox if email.to == [ada.email]]
    assert "Saved searches\n\n- 1 new job for your search “Booking pages”" in digest.body
