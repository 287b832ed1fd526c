"""GET /api/search/talent/ and its autocomplete: the answer's shape, the parameters' checks (400
``invalid_input`` naming each), the pool filter's membership rule, the engine being down (503
``search_unavailable``) and the same number of queries for one result as for fifty."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.backends import SearchUnavailable
from tests.factories import add_to_pool, make_client, make_organisation
from tests.search.talent.builders import reindex, talent

URL = "/api/search/talent/"


def _down(*args, **kwargs):
    raise SearchUnavailable("down")


@pytest.fixture
def people(db):
    anna = talent(
        "Anna Schmidt",
        headline="Django developer",
        bio="Ten years of Django and PostgreSQL.",
        skills=("Django", "Python"),
        rate=70,
        city_name="Berlin",
        rating="4.9",
        jss=96,
        badges=("identity",),
    )
    bruno = talent(
        "Bruno Costa", headline="Logo designer", skills=("Logo design",), rate=40, city_name="Lisbon"
    )
    reindex()
    return anna, bruno


def test_finds_with_profile_highlights_distance_and_facets(client, people):
    body = client.get(URL, {"q": "django", "near": "2950159", "radius": "40"}).json()
    assert body["count"] == 1
    assert body["page"] == 1
    assert body["next"] is None
    (hit,) = body["results"]
    assert hit["profile"]["handle"] == people[0].handle
    assert hit["profile"]["reputation"]["job_success_score"] == 96
    assert {"field": "headline", "html": "<mark>Django</mark> developer"} in hit["highlights"]
    assert hit["distance_km"] == 0.0
    assert {(f["value"], f["count"]) for f in body["facets"]["skills"]} == {("django", 1), ("python", 1)}
    assert body["facets"]["badges"] == [
        {"value": "identity", "label": "Identity verified", "count": 1, "selected": False}
    ]
    assert body["facets"]["country"] == [{"value": "DE", "label": "Germany", "count": 1, "selected": False}]


def test_filters_rate_in_major_units_and_sorts(client, people):
    body = client.get(URL, {"rate_max": "50"}).json()
    assert [hit["profile"]["handle"] for hit in body["results"]] == [people[1].handle]
    body = client.get(URL, {"sort": "-rate"}).json()
    assert [hit["profile"]["handle"] for hit in body["results"]] == [people[0].handle, people[1].handle]


def test_bad_parameters_are_400_invalid_input_naming_each(client, people):
    response = client.get(URL, {"rate_min": "x", "sort": "distance", "skills": "no-such-skill", "page": "99"})
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert set(error["fields"]) == {"rate_min", "sort", "skills", "page"}


def test_a_forged_cursor_is_refused(client, people):
    response = client.get(URL, {"after": "WzEsMl0:forged"})
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["after"][0]["code"] == "invalid_cursor"


def test_pool_filter_only_for_members_and_keeps_to_the_pool(client, people):
    owner = make_client()
    organisation = make_organisation(owner=owner)
    add_to_pool(organisation, people[1].user)
    reindex()
    client.force_login(owner)
    body = client.get(URL, {"pool": organisation.slug}).json()
    assert [hit["profile"]["handle"] for hit in body["results"]] == [people[1].handle]
    client.force_login(make_client())
    response = client.get(URL, {"pool": organisation.slug})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["pool"]
    # the same answer as for an organisation that does not exist: membership does not leak
    assert client.get(URL, {"pool": "no-such-org"}).json()["error"] == response.json()["error"]


def test_engine_down_is_503_search_unavailable(client, people, monkeypatch):
    monkeypatch.setattr("search.selectors.get_search_backend", lambda: type("B", (), {"search": _down})())
    response = client.get(URL, {"q": "django"})
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "search_unavailable"


def test_autocomplete_suggests_skills_and_people(client, people):
    body = client.get(URL + "autocomplete/", {"q": "an"}).json()
    assert people[0].handle in [person["handle"] for person in body["people"]]
    assert client.get(URL + "autocomplete/", {"q": "djan"}).json()["skills"][0]["slug"] == "django"


def test_paging_numbers_then_cursor(client, db):
    for number in range(45):
        talent(f"Dev {number}", headline="Django developer", skills=("Django",), rate=50 + number)
    reindex()
    first = client.get(URL, {"q": "django", "sort": "rate"}).json()
    assert first["count"] == 45
    assert len(first["results"]) == 20
    assert "after=" in first["next"]
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()
    rates = [
        hit["profile"]["hourly_rate_minor"] for page in (first, second, third) for hit in page["results"]
    ]
    assert rates == sorted(rates)
    assert len(set(rates)) == 45
    assert third["next"] is None
    assert third["page"] is None


def _queries(client, url, params) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries), response.json()


def test_same_queries_at_one_and_fifty_results(client, db):
    """Whatever the page holds, the same queries (the backend's own included): counted at 1 and 50."""
    client.force_login(make_client())
    params = {"q": "django", "skills": "django"}
    counts, made = [], 0
    for total in (1, 50):
        for number in range(made, total):
            talent(
                f"Dev {total} {number}",
                headline="Django developer",
                skills=("Django", "Python"),
                badges=("email",),
            )
        made = total
        reindex()
        queries, body = _queries(client, URL, params)
        assert body["count"] == total
        counts.append(queries)
    assert counts[0] == counts[1]
