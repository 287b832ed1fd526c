"""The profiles list pages over the visible profiles' ids (most recently updated first, on an index)
and loads only the page's rows: order, pages and count unchanged, and its count reads the profiles
(with their account's state) without joining skills or grouping."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.accounts.models import FreelancerProfile, Skill
from tests.factories import add_member, add_to_pool, make_freelancer, make_organisation
from tests.support.api import as_user, assert_error
from tests.support.sql import outer_statement, statements

pytestmark = pytest.mark.django_db

URL = "/api/profiles/"


@pytest.fixture
def people():
    """Public and pool-only profiles, some updated at the same moment (the id breaks the tie)."""
    organisation = make_organisation()
    member = add_member(organisation, "viewer")
    skills = list(Skill.objects.order_by("pk")[:2])
    moment = timezone.now() - timedelta(days=2)
    for n in range(17):
        freelancer = make_freelancer()
        profile = freelancer.freelancer_profile
        profile.skills.set(skills[: n % 3])
        if n % 4 == 0:
            add_to_pool(organisation, freelancer)
            FreelancerProfile.objects.filter(pk=profile.pk).update(visibility="pool")
        if n % 3 == 0:
            FreelancerProfile.objects.filter(pk=profile.pk).update(updated_at=moment)
    return {"member": member, "skill": skills[1]}


def _expected(*, pool: bool, skill=None) -> list[str]:
    profiles = (
        FreelancerProfile.objects.all() if pool else FreelancerProfile.objects.filter(visibility="public")
    )
    if skill is not None:
        profiles = profiles.filter(skills=skill)
    return list(profiles.order_by("-updated_at", "-pk").values_list("handle", flat=True))


def _walk(api, url: str) -> tuple[list[str], int]:
    handles, count = [], None
    while url:
        body = api.get(url).json()
        count = body["count"] if count is None else count
        assert body["count"] == count
        handles += [row["handle"] for row in body["results"]]
        url = body["next"]
    return handles, count


@pytest.mark.parametrize("who", ["anonymous", "member"])
@pytest.mark.parametrize("by_skill", [False, True])
def test_pages_list_each_visible_profile_once_in_order_with_the_same_count(people, who, by_skill):
    viewer = people.get(who)
    skill = people["skill"] if by_skill else None
    url = f"{URL}?page_size=4" + (f"&skill={skill.slug}" if skill else "")
    handles, count = _walk(as_user(viewer), url)
    expected = _expected(pool=viewer is not None, skill=skill)
    assert handles == expected
    assert count == len(expected)


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_the_count_and_the_page_neither_join_skills_nor_group(people, who):
    """The count reads each profile once (its account's state by its one user row), never a join of
    the skills filter or a GROUP BY/DISTINCT over one."""
    api = as_user(people.get(who))
    with CaptureQueriesContext(connection) as captured:
        response = api.get(URL, {"page_size": 4, "skill": people["skill"].slug})
    assert response.status_code == 200, response.content
    for sql in statements(captured, "accounts_freelancerprofile"):
        outer = outer_statement(sql).upper()
        assert [word for word in ("GROUP BY", "DISTINCT", "HAVING") if word in outer] == []
        joined = [part.split(" ON ")[0].strip() for part in outer.split("JOIN")[1:]]
        assert joined == ['"ACCOUNTS_USER"'], outer


def test_the_page_loads_no_portfolio(people):
    with CaptureQueriesContext(connection) as captured:
        assert as_user(None).get(URL).status_code == 200
    assert not [q for q in captured.captured_queries if "accounts_portfolioitem" in q["sql"]]


@pytest.mark.parametrize("page", ["0", "-2", "abc", "50"])
def test_a_page_that_does_not_exist_is_404_not_found(people, page):
    assert_error(as_user(None).get(URL, {"page": page}), 404, "not_found")
