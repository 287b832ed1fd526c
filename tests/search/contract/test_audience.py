"""Visibility inside the query: a document outside the viewer's audience is in no hit, total, facet
count, autocomplete suggestion or highlight; the same document appears to its audience."""

import pytest

from search.types import AutocompleteQuery, Near, SearchQuery, Terms

from .corpus import BERLIN, talent

PUBLIC = frozenset({"public"})
MEMBER = frozenset({"public", "user:7", "member:1"})
STAFF = frozenset({"public", "staff"})


@pytest.fixture
def corpus(load, talent_index):
    load(
        talent_index,
        [
            talent(1, name="Zoe Public", headline="Kotlin developer", skills=("kotlin",), country="DE"),
            talent(
                2,
                name="Zara Hidden",
                headline="Kotlin engineer",
                bio="Secretword in her bio",
                skills=("kotlin", "swift"),
                country="FR",
                audience=("member:1", "user:2", "staff"),
                location=BERLIN,
            ),
            talent(3, name="Zed Suspended", headline="Kotlin", audience=("user:3", "staff"), country="IT"),
        ],
    )


def search(backend, index, audience, **kwargs):
    return backend.search(
        index, SearchQuery(audience=audience, facets=("skills", "country"), highlight=True, **kwargs)
    )


def facet_values(results, field):
    return {facet.value: facet.count for facet in results.facets[field]}


def test_a_visitor_finds_only_public_documents(search_backend, talent_index, corpus):
    results = search(search_backend, talent_index, PUBLIC, text="kotlin")
    assert [hit.id for hit in results.hits] == [1]
    assert results.total == 1
    assert facet_values(results, "skills") == {"kotlin": 1}
    assert facet_values(results, "country") == {"DE": 1}


def test_hidden_words_find_nothing_and_are_never_highlighted(search_backend, talent_index, corpus):
    results = search(search_backend, talent_index, PUBLIC, text="secretword")
    assert (results.hits, results.total) == ((), 0)
    assert dict(results.facets) == {"skills": (), "country": ()}


def test_filters_and_radius_do_not_open_the_audience(search_backend, talent_index, corpus):
    results = search(
        search_backend,
        talent_index,
        PUBLIC,
        terms=(Terms("skills", ("swift",)),),
        near=Near(*BERLIN, radius_km=10),
    )
    assert (results.hits, results.total) == ((), 0)


def test_the_audience_finds_it_with_counts_and_highlights(search_backend, talent_index, corpus):
    results = search(search_backend, talent_index, MEMBER, text="secretword")
    assert [hit.id for hit in results.hits] == [2]
    assert any("<mark>" in html for _, html in results.hits[0].highlights)
    results = search(search_backend, talent_index, MEMBER, text="kotlin")
    assert {hit.id for hit in results.hits} == {1, 2}
    assert facet_values(results, "skills") == {"kotlin": 2, "swift": 1}
    assert facet_values(results, "country") == {"DE": 1, "FR": 1}


def test_staff_find_every_document(search_backend, talent_index, corpus):
    results = search(search_backend, talent_index, STAFF, text="kotlin")
    assert {hit.id for hit in results.hits} == {1, 2, 3}
    assert results.total == 3


def test_autocomplete_keeps_to_the_audience(search_backend, talent_index, corpus):
    def suggest(audience):
        query = AutocompleteQuery(field="name", prefix="za", audience=audience)
        return [suggestion.id for suggestion in search_backend.autocomplete(talent_index, query)]

    assert suggest(PUBLIC) == []
    assert suggest(MEMBER) == [2]
