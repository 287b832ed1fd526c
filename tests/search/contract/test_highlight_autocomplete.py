"""Highlights are escaped text with <mark> only; autocomplete finds names by the start of a word."""

import re

import pytest

from search.types import AutocompleteQuery, SearchQuery

from .corpus import talent

PUBLIC = frozenset({"public"})


@pytest.fixture
def people(load, talent_index):
    load(
        talent_index,
        [
            talent(
                1,
                name="Anna Schmidt",
                headline="Django developer",
                bio="<script>alert(1)</script> & Django <b>",
            ),
            talent(2, name="Annette Dubois", headline="Designer"),
            talent(3, name="Hanna Lee", headline="Writer"),
            talent(4, name="Bob Annan", headline="Django"),
            talent(5, name="Anni Privat", headline="Django", audience=("member:1",)),
        ],
    )


def highlights(backend, index, text, highlight=True):
    results = backend.search(index, SearchQuery(audience=PUBLIC, text=text, highlight=highlight))
    return {hit.id: dict(hit.highlights) for hit in results.hits}


def test_matches_are_marked_in_the_highlighted_fields(search_backend, talent_index, people):
    found = highlights(search_backend, talent_index, "django")
    assert "<mark>Django</mark>" in found[1]["headline"]
    assert set(found[1]) <= {"headline", "bio"}


def test_highlights_are_escaped_and_carry_no_other_markup(search_backend, talent_index, people):
    bio = highlights(search_backend, talent_index, "django")[1]["bio"]
    assert "&lt;script&gt;" in bio
    assert "<script" not in bio
    assert "&amp;" in bio
    assert set(re.findall(r"</?[a-z]+", bio)) <= {"<mark", "</mark"}


def test_no_highlights_unless_asked(search_backend, talent_index, people):
    assert highlights(search_backend, talent_index, "django", highlight=False)[1] == {}


def suggest(backend, index, prefix, audience=PUBLIC, limit=8):
    query = AutocompleteQuery(field="name", prefix=prefix, audience=audience, limit=limit)
    return backend.autocomplete(index, query)


def test_autocomplete_by_the_start_of_any_word(search_backend, talent_index, people):
    assert {s.id for s in suggest(search_backend, talent_index, "ann")} == {1, 2, 4}
    assert {s.id for s in suggest(search_backend, talent_index, "ANN")} == {1, 2, 4}
    assert {s.id for s in suggest(search_backend, talent_index, "schm")} == {1}
    assert suggest(search_backend, talent_index, "nna") == ()  # not the middle of a word


def test_autocomplete_answers_the_names_and_keeps_the_limit(search_backend, talent_index, people):
    suggestions = suggest(search_backend, talent_index, "an", limit=2)
    assert len(suggestions) == 2
    names = {s.id: s.text for s in suggest(search_backend, talent_index, "dub")}
    assert names == {2: "Annette Dubois"}
    assert {s.id for s in suggest(search_backend, talent_index, "ann", audience=frozenset({"member:1"}))} == {
        5
    }
