"""Find work pages over the visible jobs' ids (count and page read the jobs table alone, from an
index) and loads only the page's rows: the order, the pages and the count stay what they were, and
bad input is a 4xx with a code."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.accounts.models import Skill
from marketplace.jobs.models import Job
from tests.factories import add_to_pool, make_freelancer, make_job, make_organisation, make_proposal
from tests.support.api import as_user, assert_error
from tests.support.sql import joins_or_groups, statements

pytestmark = pytest.mark.django_db

URL = "/api/jobs/"


@pytest.fixture
def catalogue():
    """Jobs of every kind, some opened at the same moment (the id breaks the tie), with proposals."""
    organisation = make_organisation()
    pooled = make_freelancer()
    add_to_pool(organisation, pooled)
    skills = list(Skill.objects.order_by("pk").values_list("pk", flat=True)[:2])
    moment = timezone.now() - timedelta(days=1)
    for n in range(23):
        visibility = "pool" if n % 6 == 0 else "public"
        job = make_job(
            title=f"Job {n}",
            organisation=organisation if n % 3 == 0 else None,
            visibility=visibility,
            skills=skills[: n % 3],
        )
        if n % 4 == 0:
            Job.objects.filter(pk=job.pk).update(opened_at=moment)
        if n % 5 == 0 and visibility == "public":
            make_proposal(job)
    make_job(title="A draft", publish=False)
    return {"pool freelancer": pooled, "organisation": organisation}


def _expected(viewer_sees_pool: bool) -> list[int]:
    jobs = Job.objects.filter(status="open").exclude(title="A draft")
    if not viewer_sees_pool:
        jobs = jobs.filter(visibility="public")
    return list(jobs.order_by("-opened_at", "-id").values_list("pk", flat=True))


def _walk(api, url: str) -> tuple[list[dict], int]:
    rows, count = [], None
    while url:
        body = api.get(url).json()
        count = body["count"] if count is None else count
        assert body["count"] == count
        rows += body["results"]
        url = body["next"]
    return rows, count


@pytest.mark.parametrize("who", ["anonymous", "pool freelancer"])
def test_pages_list_each_visible_job_once_in_order_with_the_same_count(catalogue, who):
    viewer = catalogue.get(who)
    rows, count = _walk(as_user(viewer), f"{URL}?page_size=7")
    expected = _expected(viewer is not None)
    assert [row["id"] for row in rows] == expected
    assert count == len(expected)
    for row in rows:  # every page's rows come with their own proposal count and skills
        job = Job.objects.get(pk=row["id"])
        assert row["proposal_count"] == job.proposals.count()
        assert [skill["id"] for skill in row["skills"]] == list(
            job.skills.order_by("category", "name").values_list("pk", flat=True)
        )
    assert any(row["proposal_count"] for row in rows)


def test_the_links_keep_the_filters_and_the_last_page_has_no_next(catalogue):
    api = as_user(None)
    first = api.get(URL, {"page_size": 4, "q": "Job 1"}).json()
    assert first["count"] == 9  # Job 1, Job 10 … Job 19, but for the pool's Job 12 and Job 18
    assert "q=Job+1" in first["next"]
    assert "page=2" in first["next"]
    assert first["previous"] is None
    last = api.get(URL, {"page_size": 4, "q": "Job 1", "page": 3}).json()
    assert last["next"] is None
    assert len(last["results"]) == 1
    assert "page=2" in last["previous"]


@pytest.mark.parametrize(
    ("who", "query"),
    [
        ("anonymous", {}),
        ("anonymous", {"skills": "SKILL", "budget_min": 100, "q": "Job"}),
        ("pool freelancer", {}),
        ("pool freelancer", {"skills": "SKILL", "budget_type": "fixed", "page": 2}),
    ],
)
def test_the_count_and_the_page_read_the_jobs_table_alone(catalogue, who, query):
    """No join, GROUP BY or DISTINCT: the count is the number of matching jobs, read from an index,
    not a grouping of every visible job with its proposals."""
    if query.get("skills") == "SKILL":
        query = {**query, "skills": Skill.objects.order_by("pk").first().pk}
    api = as_user(catalogue.get(who))
    with CaptureQueriesContext(connection) as captured:
        response = api.get(URL, {"page_size": 5, **query})
    assert response.status_code == 200, response.content
    count, page = statements(captured, "jobs_job")
    assert joins_or_groups(count) == []
    assert joins_or_groups(page) == []
    assert "ORDER BY" in page
    assert "LIMIT 5" in page
    assert "COUNT(" not in count.split("FROM", 1)[1]  # no aggregate of related rows inside the count


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99", "1.5", ""])
def test_a_page_that_does_not_exist_is_404_not_found(catalogue, page):
    response = as_user(None).get(URL, {"page": page})
    if page == "":
        assert response.status_code == 200  # no page given: the first
        return
    assert_error(response, 404, "not_found")


@pytest.mark.parametrize("page_size", ["abc", "0", "-3", "1000", "2"])
def test_a_bad_page_size_falls_back_to_the_default_or_the_maximum(page_size):
    for n in range(5):
        make_job(title=f"Job {n}")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("marketplace.core.rest.pagination.Pagination.page_size", 3)
        patch.setattr("marketplace.core.rest.pagination.Pagination.max_page_size", 4)
        body = as_user(None).get(URL, {"page_size": page_size}).json()
    assert len(body["results"]) == {"1000": 4, "2": 2}.get(page_size, 3)
    assert body["count"] == 5


@pytest.mark.parametrize(
    "query",
    [
        {"budget_min": "-1"},
        {"budget_max": "lots"},
        {"budget_type": "weekly"},
        {"location_type": "moon"},
        {"category": "nope"},
        {"skills": "abc"},
        {"skills": "999999"},
        {"currency": "EURO"},
        {"q": "x" * 101},
    ],
)
def test_a_bad_filter_is_400_invalid_never_a_500(catalogue, query):
    error = assert_error(as_user(None).get(URL, query), 400, "invalid")
    assert set(error["fields"]) == set(query)
