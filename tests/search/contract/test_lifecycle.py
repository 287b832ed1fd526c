"""Writes, deletes, versions, the rebuild swap, and refusals of undeclared names."""

import pytest

from search.backends import InvalidQuery
from search.types import AutocompleteQuery, Range, SearchQuery, Terms

from .corpus import talent

PUBLIC = frozenset({"public"})


def found(backend, index, text=""):
    return [hit.id for hit in backend.search(index, SearchQuery(audience=PUBLIC, text=text, limit=100)).hits]


def test_a_write_replaces_the_document_with_that_id(search_backend, talent_index, load):
    load(talent_index, [talent(1, headline="Django developer"), talent(2, headline="Designer")])
    load(talent_index, [talent(1, headline="Gardener")])
    assert found(search_backend, talent_index, "django") == []
    assert found(search_backend, talent_index, "gardener") == [1]
    assert sorted(found(search_backend, talent_index)) == [1, 2]


def test_a_write_can_take_a_document_out_of_an_audience(search_backend, talent_index, load):
    load(talent_index, [talent(1, headline="Django")])
    load(talent_index, [talent(1, headline="Django", audience=("user:1", "staff"))])
    assert found(search_backend, talent_index, "django") == []


def test_delete_removes_and_ignores_unknown_ids(search_backend, talent_index, load):
    load(talent_index, [talent(1), talent(2), talent(3)])
    search_backend.delete(talent_index, [2, 99])
    search_backend.refresh(talent_index)
    assert sorted(found(search_backend, talent_index)) == [1, 3]


def test_versions_tell_what_is_held(search_backend, talent_index, load):
    documents = [talent(1, headline="a"), talent(2, headline="b")]
    load(talent_index, documents)
    assert search_backend.versions(talent_index) == {doc.id: doc.version for doc in documents}


def test_rebuild_swaps_the_whole_index_at_once(search_backend, talent_index, load):
    load(talent_index, [talent(1, headline="Old"), talent(2, headline="Old")])
    seen_during, progress = [], []

    def documents():
        for n in range(3, 8):
            yield talent(n, headline="New")

    def on_progress(count):
        progress.append(count)
        seen_during.append(sorted(found(search_backend, talent_index)))

    search_backend.rebuild(talent_index, documents(), progress=on_progress)
    search_backend.refresh(talent_index)
    assert sorted(found(search_backend, talent_index)) == [3, 4, 5, 6, 7]
    assert sum(progress) == 5
    assert seen_during
    assert all(ids == [1, 2] for ids in seen_during)


def test_rebuild_of_nothing_empties_the_index(search_backend, talent_index, load):
    load(talent_index, [talent(1)])
    search_backend.rebuild(talent_index, iter(()))
    search_backend.refresh(talent_index)
    assert found(search_backend, talent_index) == []


def test_check_passes_on_a_working_engine(search_backend):
    search_backend.check()


@pytest.mark.parametrize(
    "query",
    [
        SearchQuery(audience=PUBLIC, terms=(Terms("nonsense", ("x",)),)),
        SearchQuery(audience=PUBLIC, terms=(Terms("rate", ("1",)),)),  # a number, not a keyword
        SearchQuery(audience=PUBLIC, ranges=(Range("skills", gte=1),)),  # a keyword, not a number
        SearchQuery(audience=PUBLIC, facets=("pools",)),  # declared, but not a facet
        SearchQuery(audience=PUBLIC, sort="nonsense"),
        SearchQuery(audience=PUBLIC, sort="distance"),  # without Near
        SearchQuery(audience=PUBLIC, terms=(Terms("skills", ("x",), match="some"),)),
    ],
)
def test_undeclared_or_mismatched_names_are_refused(search_backend, talent_index, load, query):
    load(talent_index, [talent(1)])
    with pytest.raises(InvalidQuery):
        search_backend.search(talent_index, query)


def test_autocomplete_only_on_declared_fields(search_backend, talent_index, load):
    load(talent_index, [talent(1)])
    with pytest.raises(InvalidQuery):
        search_backend.autocomplete(talent_index, AutocompleteQuery(field="bio", prefix="a", audience=PUBLIC))
