"""Find work (/api/jobs/) for anonymous visitors comes from the public-list cache: a repeat reads no
SQL, every change a visitor could see shows on the very next request, and nobody else ever reads or
writes the anonymous entries (marketplace.core.public_lists)."""

import secrets
from datetime import timedelta

import pytest
from django.contrib.auth.signals import user_logged_in
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from marketplace.accounts.models import Skill
from marketplace.jobs.models import Job
from marketplace.jobs.services import job_close, job_publish, job_update, proposal_shortlist
from marketplace.jobs.services.expiry import expire_due
from marketplace.jobs.services.jobs import job_fields
from tests.factories import add_to_pool, make_freelancer, make_job, make_organisation, make_proposal
from tests.support.api import as_user, assert_error, make_api_key, with_key

pytestmark = pytest.mark.django_db
URL = "/api/jobs/"


def _titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [job["title"] for job in response.json()["results"]]


def _cached(django_assert_num_queries, url=URL, api=None, **extra):
    """The answer to a request that must come from the cache: no SQL at all."""
    with django_assert_num_queries(0):
        response = (api or APIClient()).get(url, **extra)
    assert response.status_code == 200, response.content
    return response


@pytest.mark.parametrize("rows", [1, 50])
def test_an_anonymous_repeat_is_answered_from_the_cache(django_assert_num_queries, rows):
    for n in range(rows):
        make_job(title=f"Job {n}")
    first = APIClient().get(URL, {"page_size": 100})
    assert len(_titles(first)) == rows
    again = _cached(django_assert_num_queries, f"{URL}?page_size=100")
    assert again.json() == first.json()
    assert again["Content-Type"] == first["Content-Type"]
    assert not first.cookies
    assert not again.cookies


def test_each_query_string_is_its_own_entry_whatever_the_order_of_its_parameters(django_assert_num_queries):
    make_job(title="Web shop build", category="web")
    make_job(title="Design a logo", category="design")
    assert _titles(APIClient().get(f"{URL}?page_size=1")) == ["Design a logo"]
    assert _titles(APIClient().get(f"{URL}?page_size=2")) == ["Design a logo", "Web shop build"]
    assert _titles(APIClient().get(f"{URL}?category=web&page_size=5")) == ["Web shop build"]
    assert _titles(APIClient().get(f"{URL}?page_size=1&page=2")) == ["Web shop build"]
    assert _titles(_cached(django_assert_num_queries, f"{URL}?page_size=5&category=web")) == [
        "Web shop build"
    ]
    assert _titles(_cached(django_assert_num_queries, f"{URL}?page=2&page_size=1")) == ["Web shop build"]
    # A repeated parameter keeps its order (the last one counts), so these two differ.
    assert _titles(APIClient().get(f"{URL}?page_size=1&page_size=2")) == ["Design a logo", "Web shop build"]
    assert _titles(APIClient().get(f"{URL}?page_size=2&page_size=1")) == ["Design a logo"]


def test_the_negotiated_format_is_part_of_the_entry():
    make_job(title="Booking page")
    assert APIClient().get(URL)["Content-Type"] == "application/json"
    browsable = APIClient().get(URL, HTTP_ACCEPT="text/html")
    assert browsable["Content-Type"].startswith("text/html")
    assert "Booking page" in browsable.content.decode()
    assert APIClient().get(URL)["Content-Type"] == "application/json"


# --- Every change a visitor could see shows on the next request -----------------------------------


def _publish_new(job):
    make_job(title="Brand new")


def _publish_draft(job):
    draft = make_job(title="Was a draft", publish=False)
    job_publish(acting_user=draft.client, job=draft)


def _edit(job):
    job_update(acting_user=job.client, job=job, fields={**job_fields(job), "title": "Edited title"})


def _retag(job):
    skill = Skill.objects.order_by("pk").first()
    job_update(acting_user=job.client, job=job, fields={**job_fields(job), "skills": [skill.pk]})


def _make_invite_only(job):
    job_update(acting_user=job.client, job=job, fields={**job_fields(job), "visibility": "invite_only"})


def _close(job):
    job_close(acting_user=job.client, job=job)


def _expire(job):
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert expire_due()["expired_jobs"] == 1


def _propose(job):
    make_proposal(job)


def _rename_client(job):
    job.client.full_name = "Renamed Client"
    job.client.save()


CHANGES = {
    "a new job is published": (_publish_new, lambda rows: "Brand new" in _titles_of(rows)),
    "a draft is published": (_publish_draft, lambda rows: "Was a draft" in _titles_of(rows)),
    "a job is edited": (_edit, lambda rows: _titles_of(rows) == ["Edited title"]),
    "a job's skills change": (_retag, lambda rows: len(rows[0]["skills"]) == 1),
    "a job becomes invite-only": (_make_invite_only, lambda rows: rows == []),
    "a job is closed": (_close, lambda rows: rows == []),
    "a job expires in the sweep": (_expire, lambda rows: rows == []),
    "a proposal arrives": (_propose, lambda rows: rows[0]["proposal_count"] == 1),
    "the client is renamed": (
        _rename_client,
        lambda rows: rows[0]["client"]["full_name"] == "Renamed Client",
    ),
}


def _titles_of(rows) -> list[str]:
    return [row["title"] for row in rows]


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_shows_on_the_very_next_anonymous_request(
    django_assert_num_queries, django_capture_on_commit_callbacks, change
):
    make_, shows = CHANGES[change]
    job = make_job(title="Booking page", skills=[])
    before = APIClient().get(URL).json()["results"]
    assert _titles_of(before) == ["Booking page"]
    assert before[0]["proposal_count"] == 0
    assert _cached(django_assert_num_queries).json()["results"] == before
    assert not shows(before)
    with django_capture_on_commit_callbacks(execute=True):
        make_(job)
    after = APIClient().get(URL).json()["results"]
    assert shows(after), after


def test_what_no_list_shows_leaves_the_entry_in_place(
    django_assert_num_queries, django_capture_on_commit_callbacks
):
    """Negative controls: a login (it saves last_login) and a proposal moved on the shortlist."""
    job = make_job(title="Booking page")
    proposal = make_proposal(job)
    APIClient().get(URL)
    with django_capture_on_commit_callbacks(execute=True):
        user_logged_in.send(sender=type(job.client), request=RequestFactory().get("/"), user=job.client)
        proposal_shortlist(acting_user=job.client, proposal=proposal)
    assert _titles(_cached(django_assert_num_queries)) == ["Booking page"]


# --- Only anonymous requests read or write the cache ------------------------------------------------


def test_a_pool_members_list_is_never_cached_for_anonymous_visitors_nor_served_to_them(
    django_assert_num_queries,
):
    organisation = make_organisation()
    member = make_freelancer()
    add_to_pool(organisation, member)
    make_job(title="Public")
    make_job(title="Pool only", organisation=organisation, visibility="pool")
    as_member = as_user(member)
    assert _titles(as_member.get(URL)) == ["Pool only", "Public"]
    assert _titles(APIClient().get(URL)) == ["Public"]  # the member's answer was not stored
    _cached(django_assert_num_queries)  # the anonymous one was
    # ... and the member still gets their own list, read from the database.
    assert _titles(as_member.get(URL)) == ["Pool only", "Public"]


def test_a_logged_in_request_reads_the_database_even_when_an_anonymous_entry_exists():
    make_job(title="Public")
    APIClient().get(URL)
    api = as_user(make_freelancer())
    api.get(URL)  # the session's first queries
    response = api.get(URL)
    assert _titles(response) == ["Public"]
    with CaptureQueriesContext(connection) as captured:
        api.get(URL)
    assert len(captured) > 0


def test_api_key_requests_read_the_public_jobs_never_served_the_cached_list():
    organisation = make_organisation()
    make_job(title="Public")
    key = make_api_key(organisation)
    APIClient().get(URL)
    with CaptureQueriesContext(connection) as captured:
        response = with_key(APIClient(), key).get(URL)
    assert _titles(response) == ["Public"]
    assert any('FROM "jobs_job"' in query["sql"] for query in captured.captured_queries)  # not a cache hit
    assert_error(with_key(APIClient(), "not-a-key").get(URL), 403, "api_key_invalid")


def test_a_request_carrying_a_session_cookie_or_credentials_bypasses_the_cache():
    make_job(title="Public")
    APIClient().get(URL)
    for extra in ({"HTTP_COOKIE": "sessionid=whatever"}, {"HTTP_AUTHORIZATION": "Bearer x"}):
        with CaptureQueriesContext(connection) as captured:
            response = APIClient().get(URL, **extra)
        assert _titles(response) == ["Public"]
        assert len(captured) > 0, extra


def test_throttling_counts_cached_answers(monkeypatch):
    make_job(title="Public")
    monkeypatch.setattr(
        SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min", "user": "3/min", "api_key": "3/min"}
    )
    address = f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.{secrets.randbelow(256)}"
    statuses = [APIClient().get(URL, REMOTE_ADDR=address).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]  # the 2nd and 3rd were cache hits
