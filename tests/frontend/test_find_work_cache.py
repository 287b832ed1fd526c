"""The find-work page (/jobs/) for anonymous visitors comes from the public-list cache
(frontend.public_pages): a repeat reads no SQL, yet every answer carries its own CSP nonce (in the
body and the header) and its own CSRF token; changes show on the next request; logged-in visitors
never read or write the anonymous entries."""

import re
from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.jobs.models import Job
from marketplace.jobs.services import job_close
from search.services.indexing import index_changed, index_rebuild, index_send
from tests.factories import add_to_pool, make_freelancer, make_job, make_organisation, make_proposal

pytestmark = pytest.mark.django_db


def one_a_second():
    """Jobs opened a second apart: the index knows opening times to the second (ties go by id)."""
    return time_machine.travel(datetime(2031, 3, 4, 9, 0, tzinfo=UTC), tick=False)


@pytest.fixture
def url() -> str:
    return reverse("frontend:find_work")


def _nonces(response) -> tuple[set[str], str]:
    body = response.content.decode()
    header = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    return set(re.findall(r'nonce="([^"]+)"', body)), header


def _csrf_token(response) -> str:
    return re.search(r'"X-CSRFToken": "([^"]+)"', response.content.decode()).group(1)


def _cached(django_assert_num_queries, url, client=None, **extra):
    with django_assert_num_queries(0):
        response = (client or Client()).get(url, **extra)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("rows", [1, 50])
def test_an_anonymous_repeat_is_answered_from_the_cache(django_assert_num_queries, url, rows):
    with one_a_second() as clock:
        for n in range(rows):
            make_job(title=f"Booking page {n}")
            clock.shift(1)
    index_rebuild(index="jobs")
    first = Client().get(url)
    assert f"{rows} jobs open" in first.content.decode() or f"{rows} job open" in first.content.decode()
    again = _cached(django_assert_num_queries, url)
    assert f"Booking page {rows - 1}<" in again.content.decode()  # newest first

    def without_nonce_and_token(response) -> str:
        body = response.content.decode()
        return body.replace(_nonces(response)[1], "NONCE").replace(_csrf_token(response), "TOKEN")

    assert without_nonce_and_token(again) == without_nonce_and_token(first)
    assert again["Content-Type"] == first["Content-Type"]


def test_each_cached_answer_has_its_own_nonce_matching_its_header(django_assert_num_queries, url):
    make_job(title="Booking page")
    index_rebuild(index="jobs")
    answers = [Client().get(url)] + [_cached(django_assert_num_queries, url) for _ in range(2)]
    seen = set()
    for response in answers:
        in_body, in_header = _nonces(response)
        assert in_body == {in_header}
        assert "nonce-" not in response.content.decode().replace(f"'nonce-{in_header}'", "")
        seen.add(in_header)
    assert len(seen) == 3


def test_each_answer_carries_the_visitors_own_csrf_token_and_no_other_cookie(django_assert_num_queries, url):
    make_job(title="Booking page")
    index_rebuild(index="jobs")
    Client().get(url)
    secrets = set()
    for _ in range(2):
        visitor = Client()
        response = _cached(django_assert_num_queries, url, client=visitor)
        assert set(response.cookies) <= {"csrftoken"}  # never a session, never someone else's
        secret = visitor.cookies["csrftoken"].value
        assert _unmask_cipher_token(_csrf_token(response)) == secret
        secrets.add(secret)
    assert len(secrets) == 2
    # A visitor who already has a CSRF cookie keeps it: the token in the page is theirs.
    visitor = Client()
    visitor.get(url)
    secret = visitor.cookies["csrftoken"].value
    response = _cached(django_assert_num_queries, url, client=visitor)
    assert _unmask_cipher_token(_csrf_token(response)) == secret


def test_filters_pages_and_htmx_requests_are_their_own_entries(django_assert_num_queries, url):
    with one_a_second() as clock:
        for n in range(21):
            make_job(title=f"Remote job {n:02}")
            clock.shift(1)
        make_job(title="Logo design work", category="design")
    index_rebuild(index="jobs")
    first_page = Client().get(url).content.decode()
    second_page = Client().get(f"{url}?page=2").content.decode()
    design = Client().get(f"{url}?category=design").content.decode()
    assert "Logo design work" in first_page
    assert "Remote job 00" in second_page
    assert "Remote job 00" not in first_page
    assert "Remote job" not in design
    assert "Remote job 00" in _cached(django_assert_num_queries, f"{url}?page=2").content.decode()
    with CaptureQueriesContext(connection) as captured:
        Client().get(url, HTTP_HX_REQUEST="true")
    assert len(captured) > 0
    _cached(django_assert_num_queries, url, HTTP_HX_REQUEST="true")


@pytest.mark.parametrize("change", ["published", "closed", "proposed"])
def test_a_change_shows_on_the_very_next_anonymous_request(
    django_assert_num_queries, django_capture_on_commit_callbacks, url, change
):
    job = make_job(title="Booking page")
    index_rebuild(index="jobs")
    Client().get(url)
    assert "0 proposals" in _cached(django_assert_num_queries, url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        if change == "published":
            make_job(title="Brand new job")
        elif change == "closed":
            job_close(acting_user=job.client, job=job)
        else:
            make_proposal(job)
    if change != "proposed":  # what the index holds changed (the search receivers send it)
        index_rebuild(index="jobs")
    page = Client().get(url).content.decode()
    if change == "published":
        assert "Brand new job" in page
    elif change == "closed":
        assert "Booking page" not in page
    else:
        assert "1 proposal<" in page


def test_a_pool_members_page_is_never_cached_for_anonymous_visitors(django_assert_num_queries, client, url):
    organisation = make_organisation()
    member = make_freelancer()
    add_to_pool(organisation, member)
    make_job(title="Public booking page")
    make_job(title="Pool only work", organisation=organisation, visibility="pool")
    index_rebuild(index="jobs")
    client.force_login(member)
    assert "Pool only work" in client.get(url).content.decode()
    anonymous = Client().get(url).content.decode()
    assert "Pool only work" not in anonymous
    assert "Pool only work" not in _cached(django_assert_num_queries, url).content.decode()
    with CaptureQueriesContext(connection) as captured:
        assert "Pool only work" in client.get(url).content.decode()
    assert len(captured) > 0


def test_a_visitor_with_a_session_cookie_or_a_flash_message_bypasses_the_cache(url):
    make_job(title="Booking page")
    Client().get(url)
    for cookie in ("sessionid=whatever", "messages=whatever"):
        with CaptureQueriesContext(connection) as captured:
            response = Client().get(url, HTTP_COOKIE=cookie)
        assert response.status_code == 200
        assert len(captured) > 0, cookie


def test_a_send_to_the_jobs_index_alone_shows_on_the_next_anonymous_request(django_assert_num_queries, url):
    """Find work is answered by the index, which has a job's change only once ``search.index_send``
    ran after the commit: that send bumps the list too, so an answer cached in between (from the
    index's old copy) is not served. Here nothing else bumps it: the row changes with ``update()``."""
    job = make_job(title="Booking page")
    index_rebuild(index="jobs")
    Client().get(url)
    assert "Booking page" in _cached(django_assert_num_queries, url).content.decode()
    Job.objects.filter(pk=job.pk).update(status=Job.Status.CLOSED)
    assert "Booking page" in _cached(django_assert_num_queries, url).content.decode()  # the stale copy
    index_changed(index="jobs", ids=[job.pk])  # what a receiver records for a change
    index_send(index="jobs")  # what the task it queues runs after the commit
    assert "Booking page" not in Client().get(url).content.decode()
