"""Full text: stemming, field boosts, every term must match, typo tolerance, plain-text syntax."""

import pytest

from search.types import SearchQuery

from .corpus import talent

PUBLIC = frozenset({"public"})


def ids(results):
    return [hit.id for hit in results.hits]


def find(backend, index, text, **kwargs):
    return backend.search(index, SearchQuery(audience=PUBLIC, text=text, **kwargs))


@pytest.fixture
def people(load, talent_index):
    load(
        talent_index,
        [
            talent(1, name="Anna Weber", headline="Django developer", bio="Builds web shops in Berlin."),
            talent(2, name="Ben Ortiz", headline="Data analyst", bio="Python, pandas and some Django."),
            talent(3, name="Chen Li", headline="Logo designer", skills=("illustrator",)),
            talent(4, name="Dana Roy", headline="Ruby and REST APIs", portfolio="Rails payments"),
            talent(5, name="Eli Park", headline="Copywriter", bio="Writing for developers."),
        ],
    )


def test_stemming_finds_other_forms_of_a_word(search_backend, talent_index, people):
    assert set(ids(find(search_backend, talent_index, "developers"))) == {1, 5}
    assert set(ids(find(search_backend, talent_index, "designing logos"))) == {3}


def test_a_match_in_a_heavier_field_ranks_first(search_backend, talent_index, people):
    # Anna has Django in her headline (boost 3), Ben only in his bio (boost 1).
    assert ids(find(search_backend, talent_index, "django")) == [1, 2]


def test_every_term_must_match_in_some_field(search_backend, talent_index, people):
    assert ids(find(search_backend, talent_index, "django berlin")) == [1]
    assert ids(find(search_backend, talent_index, "django rails")) == []
    assert ids(find(search_backend, talent_index, "ruby payments")) == [4]


def test_skills_and_names_are_searched(search_backend, talent_index, people):
    assert ids(find(search_backend, talent_index, "illustrator")) == [3]
    assert ids(find(search_backend, talent_index, "weber")) == [1]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("djngo", {1, 2}),  # one letter left out (5 letters)
        ("djangoo", {1, 2}),  # one letter too many
        ("qjango", {1, 2}),  # one letter wrong
        ("pythn", {2}),
        ("desiner", {3}),
    ],
)
def test_terms_of_five_letters_or_more_match_one_edit_away(
    search_backend, talent_index, people, typed, expected
):
    assert set(ids(find(search_backend, talent_index, typed))) == expected


@pytest.mark.parametrize("typed", ["qjangoo", "pxthn", "rust", "rubx", "dta"])
def test_two_edits_or_a_short_word_with_one_edit_match_nothing(search_backend, talent_index, people, typed):
    # "rust" and "rubx" are one edit from "rest" and "ruby", but shorter than 5 letters.
    assert ids(find(search_backend, talent_index, typed)) == []


def test_empty_text_finds_everyone_the_audience_may_see(search_backend, talent_index, people):
    results = find(search_backend, talent_index, "")
    assert set(ids(results)) == {1, 2, 3, 4, 5}
    assert results.total == 5


@pytest.mark.parametrize(
    ("text", "finds_anna"),
    [
        ('"django', True),
        ("django*", True),
        ("-django", True),
        ("(django", True),
        ("headline:django", False),
        ("(django OR python)", False),
        ("django NEAR python", False),
        ("^~!@#$%&={}[]|\\/<>?", False),
        ("NOT", False),
        ("'; DROP TABLE x; --", False),
    ],
)
def test_query_syntax_is_plain_text_never_an_error(search_backend, talent_index, people, text, finds_anna):
    results = find(search_backend, talent_index, text)
    assert results.total == len(results.hits)
    if finds_anna:  # the words around the syntax still count
        assert 1 in ids(results)


def test_an_index_never_written_answers_nothing(search_backend, talent_index):
    results = find(search_backend, talent_index, "django")
    assert (results.hits, results.total) == ((), 0)
