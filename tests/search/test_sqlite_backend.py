"""What the contract suite cannot say about the SQLite backend: arbitrary query text never reaches
FTS5's syntax, threads each get a connection (readers during a rebuild see one generation whole,
writers queue), and its own storage rules (the typo check, markers, layouts, an unusable file)."""

import sqlite3
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search.backends import SearchUnavailable
from search.backends.database.sqlite import SqliteSearchBackend
from search.backends.database.sqlite_text import within_one_edit
from search.indexes import index_named
from search.types import AutocompleteQuery, SearchQuery, Terms

from .contract.corpus import talent

PUBLIC = frozenset({"public"})


@pytest.fixture
def backend(tmp_path):
    return SqliteSearchBackend("test", {"SQLITE_PATH": str(tmp_path / "search.sqlite3")})


@pytest.fixture
def talent_index():
    return index_named("talent")


@pytest.fixture
def people(backend, talent_index):
    backend.index(
        talent_index,
        [
            talent(1, name="Anna Weber", headline="Django developer", bio='Says "NEAR" and (OR) a lot: x*'),
            talent(2, name="Ben Ortiz", headline="Python developer", skills=("python",)),
            talent(3, name="Chen Li", headline="Designer", bio="Logos - NOT websites"),
        ],
    )


def ids(results):
    return [hit.id for hit in results.hits]


SYNTAX = st.sampled_from(['"', "'", "*", "-", "+", ":", "(", ")", "^", "{", "}", "NEAR", "OR", "AND", "NOT"])
QUERY_TEXT = st.lists(
    st.one_of(SYNTAX, st.text(max_size=8), st.sampled_from(["django", "developer"])), max_size=8
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=QUERY_TEXT, joiner=st.sampled_from(["", " ", "\t"]))
def test_any_query_text_answers_without_an_error(backend, talent_index, people, parts, joiner):
    text = joiner.join(parts)
    results = backend.search(talent_index, SearchQuery(audience=PUBLIC, text=text, highlight=True))
    assert results.total == len(results.hits)
    for hit in results.hits:
        for _, html in hit.highlights:
            assert "<" not in html.replace("<mark>", "").replace("</mark>", "")
    backend.autocomplete(talent_index, AutocompleteQuery(field="name", prefix=text, audience=PUBLIC))


def test_the_words_around_query_syntax_still_count(backend, talent_index, people):
    assert ids(
        backend.search(talent_index, SearchQuery(audience=PUBLIC, text='NEAR("django" -developer*)'))
    ) == [1]


def test_text_that_is_not_utf8_finds_nothing_rather_than_failing(backend, talent_index, people):
    lone = "\ud800"
    query = SearchQuery(audience=frozenset({"public", lone}), text=lone, terms=(Terms("skills", (lone,)),))
    assert backend.search(talent_index, query).total == 0
    suggestions = AutocompleteQuery(field="name", prefix="ann" + lone, audience=frozenset({lone}))
    assert backend.autocomplete(talent_index, suggestions) == ()


def _distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ca != cb))
    return row[-1]


@settings(max_examples=300, deadline=None)
@given(a=st.text("abc", max_size=7), b=st.text("abc", max_size=7))
def test_the_one_edit_check_agrees_with_levenshtein(a, b):
    assert within_one_edit(a, b) == (_distance(a, b) <= 1)


def test_marker_characters_in_text_cannot_forge_highlights(backend, talent_index):
    backend.index(talent_index, [talent(1, headline="\x01script\x02 Django")])
    hit = backend.search(talent_index, SearchQuery(audience=PUBLIC, text="django", highlight=True)).hits[0]
    assert dict(hit.highlights)["headline"] == " script  <mark>Django</mark>"


def test_readers_see_one_generation_whole_while_a_rebuild_runs(backend, talent_index):
    old = [talent(n, headline="Old") for n in range(1, 401)]
    new = [talent(n, headline="New") for n in range(1001, 1601)]
    backend.index(talent_index, old)
    seen, errors, done = [], [], threading.Event()

    def read():
        try:
            while not done.is_set():
                results = backend.search(talent_index, SearchQuery(audience=PUBLIC, limit=1000))
                seen.append((results.total, frozenset(ids(results))))
        except Exception as exc:  # noqa: BLE001 - handed to the test thread
            errors.append(exc)

    reader = threading.Thread(target=read)
    reader.start()
    during = []
    try:
        backend.rebuild(
            talent_index,
            iter(new),
            progress=lambda n: during.append(
                backend.search(talent_index, SearchQuery(audience=PUBLIC)).total
            ),
        )
        seen_after = len(seen)
        while len(seen) == seen_after and reader.is_alive():  # one read after the swap, at least
            threading.Event().wait(0.01)
    finally:
        done.set()
        reader.join()
    assert errors == []
    assert during
    assert set(during) == {400}
    wholes = {(400, frozenset(doc.id for doc in old)), (600, frozenset(doc.id for doc in new))}
    assert set(seen) <= wholes
    assert seen[-1] == (600, frozenset(doc.id for doc in new))


def test_two_threads_write_at_once(backend, talent_index):
    errors = []

    def write(first):
        try:
            for start in range(first, first + 300, 10):
                backend.index(talent_index, [talent(n, headline="Writer") for n in range(start, start + 10)])
        except Exception as exc:  # noqa: BLE001 - handed to the test thread
            errors.append(exc)

    writers = [threading.Thread(target=write, args=(first,)) for first in (1, 1001)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert errors == []
    assert sorted(backend.versions(talent_index)) == [*range(1, 301), *range(1001, 1301)]
    assert backend.search(talent_index, SearchQuery(audience=PUBLIC, text="writer")).total == 600


def test_writes_during_a_rebuild_reach_the_new_generation(backend, talent_index):
    backend.index(talent_index, [talent(1, headline="Old")])

    def documents():
        yield talent(2, headline="Rebuilt")
        backend.index(talent_index, [talent(3, headline="Written meanwhile")])

    backend.rebuild(talent_index, documents())
    assert sorted(backend.versions(talent_index)) == [2, 3]


def test_a_failed_rebuild_leaves_the_live_index_alone(backend, talent_index):
    backend.index(talent_index, [talent(1, headline="Live")])

    def documents():
        yield talent(2)
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        backend.rebuild(talent_index, documents())
    assert sorted(backend.versions(talent_index)) == [1]
    tables = sqlite3.connect(backend.store.path).execute("SELECT name FROM sqlite_master").fetchall()
    assert not [name for (name,) in tables if name.startswith("s2_")]


def test_an_index_laid_out_for_other_fields_asks_for_a_rebuild(backend, talent_index):
    backend.index(talent_index, [talent(1)])
    changed = index_named("talent")
    object.__setattr__(changed, "fields", talent_index.fields[:-1])
    with pytest.raises(SearchUnavailable, match="rebuild"):
        backend.search(changed, SearchQuery(audience=PUBLIC))
    backend.rebuild(changed, iter(()))
    assert backend.search(changed, SearchQuery(audience=PUBLIC)).total == 0


def test_an_unusable_file_is_search_unavailable(tmp_path):
    (tmp_path / "a-file").write_text("")
    backend = SqliteSearchBackend("test", {"SQLITE_PATH": str(tmp_path / "a-file" / "search.sqlite3")})
    with pytest.raises(SearchUnavailable):
        backend.check()
