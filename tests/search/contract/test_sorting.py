"""Sorts: the published ranking blend, rate both ways with missing values last, distance, newest."""

import pytest

from search.types import Near, SearchQuery

from .corpus import BERLIN, HAMBURG, MUNICH, POTSDAM, job, talent

PUBLIC = frozenset({"public"})


def order(backend, index, **kwargs):
    return [hit.id for hit in backend.search(index, SearchQuery(audience=PUBLIC, limit=50, **kwargs)).hits]


def test_without_text_relevance_is_the_rating_and_jss_blend(search_backend, talent_index, load):
    # factor = 0.7 + 0.15 * rating/5 + 0.15 * jss/100; missing values add nothing.
    load(
        talent_index,
        [
            talent(1, rating=None, jss=None),  # 0.70
            talent(2, rating=5.0, jss=100),  # 1.00
            talent(3, rating=4.0, jss=None),  # 0.82
            talent(4, rating=None, jss=90),  # 0.835
            talent(5, rating=5.0, jss=100),  # 1.00, after 2 by id
        ],
    )
    assert order(search_backend, talent_index) == [2, 5, 4, 3, 1]


def test_the_blend_reorders_equally_relevant_matches(search_backend, talent_index, load):
    load(
        talent_index,
        [
            talent(1, headline="Django developer", rating=2.0, jss=40),
            talent(2, headline="Django developer", rating=5.0, jss=98),
            talent(3, headline="Django developer"),
        ],
    )
    assert order(search_backend, talent_index, text="django developer") == [2, 1, 3]


def test_rate_both_ways_with_missing_rates_last(search_backend, talent_index, load):
    load(talent_index, [talent(1, rate=5000), talent(2), talent(3, rate=3000), talent(4, rate=5000)])
    assert order(search_backend, talent_index, sort="rate") == [3, 1, 4, 2]
    assert order(search_backend, talent_index, sort="-rate") == [1, 4, 3, 2]


def test_distance_nearest_first(search_backend, talent_index, load):
    load(
        talent_index,
        [
            talent(1, location=MUNICH),
            talent(2, location=POTSDAM),
            talent(3, location=BERLIN),
            talent(4, location=HAMBURG),
        ],
    )
    near = Near(*BERLIN, radius_km=1000)
    assert order(search_backend, talent_index, sort="distance", near=near) == [3, 2, 4, 1]


def test_newest_jobs_first(search_backend, jobs_index, load):
    load(jobs_index, [job(1, opened=100), job(2, opened=300), job(3, opened=200), job(4, opened=300)])
    assert order(search_backend, jobs_index, sort="newest") == [2, 4, 3, 1]


@pytest.mark.parametrize("sort", ["relevance", "rate", "-rate"])
def test_ties_go_to_the_lower_id(search_backend, talent_index, load, sort):
    load(talent_index, [talent(9, rate=100), talent(3, rate=100), talent(6, rate=100)])
    assert order(search_backend, talent_index, sort=sort) == [3, 6, 9]
