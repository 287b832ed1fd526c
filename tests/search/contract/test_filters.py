"""Keyword, number and distance filters."""

import pytest

from search.types import Near, Range, SearchQuery, Terms

from .corpus import BERLIN, HAMBURG, MUNICH, POTSDAM, job, talent

PUBLIC = frozenset({"public"})


def found(backend, index, **kwargs):
    results = backend.search(index, SearchQuery(audience=PUBLIC, limit=50, **kwargs))
    assert results.total == len(results.hits)
    return {hit.id for hit in results.hits}


@pytest.fixture
def people(load, talent_index):
    load(
        talent_index,
        [
            talent(1, skills=("django", "python"), rate=6000, location=BERLIN, badges=("email",)),
            talent(2, skills=("django",), rate=9000, location=POTSDAM, badges=("email", "identity")),
            talent(3, skills=("python",), rate=4000, location=HAMBURG),
            talent(4, skills=("react",), rate=None, location=MUNICH, availability="part_time"),
            talent(5, skills=(), rate=8000, location=None),
        ],
    )


def test_terms_any_and_all(search_backend, talent_index, people):
    assert found(search_backend, talent_index, terms=(Terms("skills", ("django", "python")),)) == {1, 2, 3}
    both = Terms("skills", ("django", "python"), match="all")
    assert found(search_backend, talent_index, terms=(both,)) == {1}
    assert found(search_backend, talent_index, terms=(Terms("badges", ("identity",)),)) == {2}
    assert found(search_backend, talent_index, terms=(Terms("availability", ("part_time",)),)) == {4}


def test_filters_combine(search_backend, talent_index, people):
    terms = (Terms("skills", ("django", "python")), Terms("badges", ("email",)))
    assert found(search_backend, talent_index, terms=terms, ranges=(Range("rate", lte=7000),)) == {1}


def test_ranges_are_inclusive_and_skip_missing_values(search_backend, talent_index, people):
    assert found(search_backend, talent_index, ranges=(Range("rate", gte=6000, lte=8000),)) == {1, 5}
    assert found(search_backend, talent_index, ranges=(Range("rate", gte=0),)) == {1, 2, 3, 5}
    assert found(search_backend, talent_index, ranges=(Range("rate", lte=4000),)) == {3}


def test_near_keeps_documents_within_the_radius(search_backend, talent_index, people):
    assert found(search_backend, talent_index, near=Near(*BERLIN, radius_km=40)) == {1, 2}
    assert found(search_backend, talent_index, near=Near(*BERLIN, radius_km=300)) == {1, 2, 3}
    assert found(
        search_backend, talent_index, near=Near(*BERLIN, radius_km=300, or_without_location=True)
    ) == {
        1,
        2,
        3,
        5,
    }


def test_hits_carry_their_distance_only_with_near(search_backend, talent_index, people):
    query = SearchQuery(
        audience=PUBLIC, near=Near(*BERLIN, radius_km=40), terms=(Terms("skills", ("django",)),)
    )
    distances = {hit.id: hit.distance_km for hit in search_backend.search(talent_index, query).hits}
    assert distances[1] == pytest.approx(0, abs=0.5)
    assert distances[2] == pytest.approx(27.2, abs=1.0)
    plain = search_backend.search(talent_index, SearchQuery(audience=PUBLIC))
    assert {hit.distance_km for hit in plain.hits} == {None}


@pytest.fixture
def jobs(load, jobs_index):
    load(
        jobs_index,
        [
            job(1, budget_type="fixed", low=50_000, high=50_000),
            job(2, budget_type="hourly", low=3_000, high=6_000),
            job(3, budget_type="hourly", low=8_000, high=12_000, location_type="onsite", location=HAMBURG),
            job(4, budget_type="fixed", low=200_000, high=200_000, location_type="onsite", location=POTSDAM),
        ],
    )


def test_a_budget_window_matches_fixed_prices_and_hourly_ranges(search_backend, jobs_index, jobs):
    # "at least 50/h": budget_high >= 5000; "at most 100/h": budget_low <= 10000.
    window = (Range("budget_high", gte=5_000), Range("budget_low", lte=10_000))
    hourly = Terms("budget_type", ("hourly",))
    assert found(search_backend, jobs_index, ranges=window, terms=(hourly,)) == {2, 3}


def test_remote_or_near(search_backend, jobs_index, jobs):
    near = Near(*BERLIN, radius_km=50, or_without_location=True)
    assert found(search_backend, jobs_index, near=near) == {1, 2, 4}
    assert found(search_backend, jobs_index, terms=(Terms("location_type", ("remote",)),)) == {1, 2}
