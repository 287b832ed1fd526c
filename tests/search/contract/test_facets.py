"""Facet counts: every other filter applies, a field's own filter does not, the audience always does."""

import pytest

from search.types import Range, SearchQuery, Terms

from .corpus import talent

PUBLIC = frozenset({"public"})


@pytest.fixture
def people(load, talent_index):
    load(
        talent_index,
        [
            talent(1, skills=("django", "python"), country="DE", rate=5000),
            talent(2, skills=("django",), country="DE", rate=9000),
            talent(3, skills=("python",), country="FR", rate=4000),
            talent(4, skills=("python", "react"), country="US", rate=3000),
            talent(5, skills=("react",), country="US", rate=7000),
            talent(6, skills=("django",), country="DE", audience=("member:9",)),
        ],
    )


def facets(backend, index, **kwargs):
    results = backend.search(index, SearchQuery(audience=PUBLIC, facets=("skills", "country"), **kwargs))
    return {field: [(f.value, f.count) for f in values] for field, values in results.facets.items()}


def test_counts_most_frequent_first_then_by_value(search_backend, talent_index, people):
    assert facets(search_backend, talent_index) == {
        "skills": [("python", 3), ("django", 2), ("react", 2)],
        "country": [("DE", 2), ("US", 2), ("FR", 1)],
    }


def test_a_fields_own_filter_leaves_its_other_values_counted(search_backend, talent_index, people):
    counted = facets(search_backend, talent_index, terms=(Terms("country", ("DE",)),))
    # The country facet ignores the country filter; the skills facet applies it.
    assert counted["country"] == [("DE", 2), ("US", 2), ("FR", 1)]
    assert counted["skills"] == [("django", 2), ("python", 1)]


def test_other_filters_and_text_narrow_every_facet(search_backend, talent_index, people):
    counted = facets(
        search_backend,
        talent_index,
        terms=(Terms("skills", ("python",)),),
        ranges=(Range("rate", lte=4500),),
    )
    assert counted["country"] == [("FR", 1), ("US", 1)]
    assert counted["skills"] == [("python", 2), ("react", 1)]


def test_only_asked_facets_are_counted(search_backend, talent_index, people):
    results = search_backend.search(talent_index, SearchQuery(audience=PUBLIC))
    assert dict(results.facets) == {}
