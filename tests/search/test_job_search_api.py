"""GET /api/search/jobs/ (the page's parameters; hits with highlights, facets, total, pages and a
cursor) and the saved searches' API: a person's own, a limit per person, one error shape."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.backends import SearchUnavailable
from search.models import SavedSearch
from search.services.indexing import index_rebuild
from tests.factories import add_to_pool, make_freelancer, make_job, make_organisation
from tests.support.api import as_user, assert_error, make_api_key, with_key

pytestmark = pytest.mark.django_db
URL = "/api/search/jobs/"
SAVED = "/api/saved-searches/"


def job(title: str, **fields):
    return make_job(title=title, description=f"{title}: details to follow.", **fields)


def ask(api, **params):
    index_rebuild(index="jobs")
    return api.get(URL, params)


def test_a_search_answers_hits_with_highlights_facets_and_the_total():
    job("Django booking page", category="web")
    job(
        "Django data pipeline",
        category="data",
        budget_type="hourly",
        hourly_min_minor=4_000,
        hourly_max_minor=9_000,
    )
    job("Logo for a bakery", category="design")
    body = ask(as_user(None), q="django").json()
    assert body["total"] == 2
    assert body["page"] == 1
    assert body["next_cursor"] is None
    assert {hit["job"]["title"] for hit in body["results"]} == {"Django booking page", "Django data pipeline"}
    highlights = {h["field"]: h["html"] for h in body["results"][0]["highlights"]}
    assert "<mark>Django</mark>" in highlights["title"]
    assert {c["value"]: c["count"] for c in body["facets"]["category"]} == {"web": 1, "data": 1}
    assert set(body["facets"]) == {"skills", "category", "budget_type", "location_type", "experience_level"}
    # a facet's counts ignore its own filter, so the other values stay to choose from
    body = ask(as_user(None), q="django", category="web").json()
    assert [hit["job"]["title"] for hit in body["results"]] == ["Django booking page"]
    assert {c["value"]: c["count"] for c in body["facets"]["category"]} == {"web": 1, "data": 1}
    assert {c["value"]: c["count"] for c in body["facets"]["budget_type"]} == {"fixed": 1}


def test_the_cursor_pages_on_and_a_forged_one_is_refused():
    for n in range(23):
        job(f"Booking page {n}")
    api = as_user(None)
    first = ask(api).json()
    assert (first["total"], len(first["results"])) == (23, 20)
    second = api.get(URL, {"cursor": first["next_cursor"]}).json()
    assert second["page"] is None
    assert len(second["results"]) == 3
    seen = [hit["job"]["id"] for hit in first["results"] + second["results"]]
    assert len(set(seen)) == 23
    assert_error(api.get(URL, {"cursor": first["next_cursor"] + "x"}), 400, "invalid_cursor")
    assert_error(api.get(URL, {"cursor": first["next_cursor"], "q": "booking"}), 400, "invalid_cursor")


def test_invalid_parameters_are_a_400_naming_them():
    error = assert_error(
        as_user(None).get(URL, {"budget_type": "barter", "sort": "distance"}), 400, "invalid"
    )
    assert set(error["fields"]) == {"budget_type", "sort"}


def test_visibility_a_pool_job_for_its_pool_only_and_public_ones_for_a_key():
    organisation = make_organisation()
    pooled, outsider = make_freelancer(), make_freelancer()
    add_to_pool(organisation, pooled)
    job("Pool refit", organisation=organisation, visibility="pool")
    job("Public booking page")
    titles = lambda body: {hit["job"]["title"] for hit in body["results"]}  # noqa: E731
    assert titles(ask(as_user(outsider)).json()) == {"Public booking page"}
    assert titles(ask(as_user(pooled)).json()) == {"Public booking page", "Pool refit"}  # positive control
    key = with_key(as_user(None), make_api_key(organisation))
    body = ask(key).json()
    assert titles(body) == {"Public booking page"}
    assert body["total"] == 1


def test_the_engine_down_is_a_503_with_the_error_shape(monkeypatch):
    def down(*args, **kwargs):
        raise SearchUnavailable("connection refused")

    monkeypatch.setattr("search.backends.database.postgres.PostgresSearchBackend.search", down)
    assert_error(as_user(make_freelancer()).get(URL), 503, "service_unavailable")


def _queries(api, url: str, params: dict) -> int:
    api.get(url, params)  # warm the session
    with CaptureQueriesContext(connection) as captured:
        assert api.get(url, params).status_code == 200
    return len(captured)


def test_a_search_makes_the_same_queries_for_1_and_50_jobs():
    organisation = make_organisation()
    freelancer = make_freelancer()
    add_to_pool(organisation, freelancer)
    api = as_user(freelancer)
    params = {"q": "booking", "category": "web"}
    job("Booking page 0")
    index_rebuild(index="jobs")
    one = _queries(api, URL, params)
    for n in range(1, 50):
        pool = n % 2 == 1
        job(
            f"Booking page {n}",
            organisation=organisation if pool else None,
            visibility="pool" if pool else "public",
        )
    index_rebuild(index="jobs")
    assert api.get(URL, params).json()["total"] == 50
    assert _queries(api, URL, params) == one


# ---- saved searches ----------------------------------------------------------------------------------


def test_saved_searches_are_created_listed_changed_and_deleted_by_their_owner_only():
    ada, bea = make_freelancer(), make_freelancer()
    api = as_user(ada)
    response = api.post(SAVED, {"name": "Django", "params": {"q": "django", "skills": []}}, format="json")
    assert response.status_code == 201, response.content
    saved = response.json()
    assert (saved["name"], saved["params"], saved["alerts"]) == ("Django", {"q": "django"}, True)
    assert [row["id"] for row in api.get(SAVED).json()["results"]] == [saved["id"]]
    url = f"{SAVED}{saved['id']}/"
    changed = api.patch(url, {"name": "Django remote", "alerts": False}, format="json").json()
    assert (changed["name"], changed["alerts"]) == ("Django remote", False)
    other = as_user(bea)
    assert other.get(SAVED).json()["results"] == []
    for method in ("get", "patch", "delete"):
        assert_error(getattr(other, method)(url, {}, format="json"), 404, "saved_search_not_found")
    assert api.delete(url).status_code == 204
    assert not SavedSearch.objects.exists()


def test_a_saved_search_checks_its_name_and_parameters():
    api = as_user(make_freelancer())
    error = assert_error(api.post(SAVED, {"name": " ", "params": {}}, format="json"), 400, "invalid")
    assert set(error["fields"]) == {"name"}
    error = assert_error(
        api.post(SAVED, {"name": "x", "params": {"budget_type": "barter"}}, format="json"), 400, "invalid"
    )
    assert set(error["fields"]) == {"budget_type"}


def test_past_the_limit_a_save_is_a_409(settings):
    settings.SAVED_SEARCHES_MAX = 2
    api = as_user(make_freelancer())
    for n in range(2):
        assert api.post(SAVED, {"name": f"Search {n}", "params": {}}, format="json").status_code == 201
    error = assert_error(
        api.post(SAVED, {"name": "One more", "params": {}}, format="json"), 409, "saved_searches_limit"
    )
    assert "at most 2 saved searches" in error["message"]


def test_the_saved_searches_list_makes_the_same_queries_for_1_and_50():
    ada = make_freelancer()
    api = as_user(ada)
    SavedSearch.objects.create(user=ada, name="Search 0", params={"q": "word"})
    one = _queries(api, SAVED, {"page_size": 100})
    for n in range(1, 50):
        SavedSearch.objects.create(user=ada, name=f"Search {n}", params={"q": f"word{n}"})
    assert len(api.get(SAVED, {"page_size": 100}).json()["results"]) == 50
    assert _queries(api, SAVED, {"page_size": 100}) == one
