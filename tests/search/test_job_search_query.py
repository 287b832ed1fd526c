"""Job search parameters: what the page and the API accept, and the SearchQuery they make on the
jobs index (no engine needed: the query is a value)."""

from datetime import UTC, datetime

import pytest
from django.http import QueryDict

from marketplace.accounts.models import City, Skill
from search.jobs.params import JobSearchForm, form_of, parameters_of
from search.jobs.results import JobSearch, decode_cursor, encode_cursor, for_alerts
from search.types import Near, Range, Terms

pytestmark = pytest.mark.django_db

AUDIENCE = frozenset({"public"})
NOW = datetime(2031, 3, 4, 12, 0, tzinfo=UTC)


def _search(query: str) -> JobSearchForm:
    form = JobSearchForm(QueryDict(query))
    form.is_valid()
    return form


def _query(query: str, **kwargs):
    return _search(query).search().query(AUDIENCE, now=NOW, **kwargs)


def test_no_parameters_is_every_open_job_newest_first_with_the_five_facets():
    query = _query("")
    assert (query.text, query.terms, query.ranges, query.near) == ("", (), (), None)
    assert query.sort == "newest"
    assert query.facets == ("skills", "category", "budget_type", "location_type", "experience_level")
    assert query.highlight
    assert query.audience == AUDIENCE


def test_text_sorts_by_relevance_unless_a_sort_is_chosen():
    assert _query("q=+django+shop+").text == "django shop"
    assert _query("q=django").sort == "relevance"
    assert _query("q=django&sort=newest").sort == "newest"


def test_budgets_in_major_units_become_minor_units_on_the_overlapping_ends():
    query = _query("budget_min=50&budget_max=85.50&currency=EUR")
    assert Range("budget_high", gte=5_000) in query.ranges
    assert Range("budget_low", lte=8_550) in query.ranges
    assert Terms("currency", ("EUR",)) in query.terms


def test_a_budget_with_too_many_decimals_or_upside_down_is_an_error_and_not_applied():
    form = _search("budget_min=10.005&q=web")
    assert form.errors["budget_min"] == ["USD amounts use at most 2 decimal places."]
    assert form.search().budget_min is None
    assert form.search().text == "web"
    form = _search("budget_min=90&budget_max=10")
    assert form.errors["budget_max"] == ["The highest budget is below the lowest."]


def test_keyword_filters_become_terms():
    skills = list(Skill.objects.order_by("slug").values_list("slug", flat=True)[:2])
    query = _query(
        f"skills={skills[0]}&skills={skills[1]}&category=web&category=data&budget_type=hourly"
        "&experience_level=expert&location_type=onsite"
    )
    assert set(query.terms) == {
        Terms("skills", tuple(skills)),
        Terms("category", ("web", "data")),
        Terms("budget_type", ("hourly",)),
        Terms("experience_level", ("expert",)),
        Terms("location_type", ("onsite",)),
    }


def test_unknown_values_are_errors_naming_the_parameter():
    form = _search("skills=no-such-skill&category=astrology&budget_type=barter&posted_within=2&sort=cheap")
    assert set(form.errors) == {"skills", "category", "budget_type", "posted_within", "sort"}
    assert form.search() == JobSearch()


def test_posted_within_and_client_rating_are_ranges():
    query = _query("posted_within=7&min_client_rating=4.5")
    assert Range("opened", gte=int(NOW.timestamp()) - 7 * 86_400) in query.ranges
    assert Range("client_rating", gte=4.5) in query.ranges


def test_remote_only_is_the_remote_location_type():
    query = _query("location=remote&location_type=onsite")
    assert Terms("location_type", ("remote",)) in query.terms
    assert query.near is None


def test_near_a_city_is_a_radius_sorted_by_distance_and_remote_or_near_keeps_remote_jobs():
    city = City.objects.order_by("-population").first()
    query = _query(f"location=near&city={city.pk}&radius_km=30")
    assert query.near == Near(city.latitude, city.longitude, 30.0, False)
    assert query.sort == "distance"
    query = _query(f"location=remote_or_near&city={city.pk}")
    assert query.near == Near(city.latitude, city.longitude, 50.0, True)
    assert query.sort == "newest"


def test_near_without_a_city_or_distance_without_near_is_an_error():
    assert "city" in _search("location=near").errors
    assert "sort" in _search("sort=distance").errors


def test_page_and_offset_and_cursor_round_trip():
    search = _search("q=django").search()
    assert search.query(AUDIENCE, limit=20, offset=40).offset == 40
    cursor = encode_cursor(search, (2.5, 17))
    assert decode_cursor(search, cursor) == (2.5, 17)
    assert decode_cursor(_search("").search(), cursor) is None  # another sort
    assert decode_cursor(search, cursor + "x") is None
    assert encode_cursor(search, None) is None


def test_parameters_round_trip_through_a_saved_search():
    city = City.objects.first()
    query = QueryDict(f"q=django&skills=a&skills=b&page=3&city_name=Berlin&city={city.pk}&budget_min=&sort=")
    params = parameters_of(query)
    assert params == {"q": "django", "skills": ["a", "b"], "city": str(city.pk)}
    assert form_of(params).data.getlist("skills") == ["a", "b"]


def test_an_alert_asks_for_the_newest_jobs_opened_since_its_mark():
    since = datetime(2031, 3, 1, tzinfo=UTC)
    query = for_alerts(_search("q=django&sort=relevance").search(), opened_since=since).query(
        AUDIENCE, now=NOW
    )
    assert query.sort == "newest"
    assert Range("opened", gte=int(since.timestamp())) in query.ranges
