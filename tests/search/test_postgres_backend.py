"""What only the PostgreSQL backend promises beyond the contract: a bounded number of statements per
search, generations that a rebuild replaces whole, fuzzy matches highlighted, failures reported as
``SearchUnavailable``."""

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from search.backends import SearchUnavailable
from search.backends.database import pg_schema
from search.backends.database.postgres import PostgresSearchBackend
from search.indexes import index_named
from search.types import Near, Range, SearchQuery, Terms
from tests.search.contract.corpus import BERLIN, talent

pytestmark = pytest.mark.django_db
PUBLIC = frozenset({"public"})


@pytest.fixture
def backend():
    return PostgresSearchBackend("test", {})


@pytest.fixture
def index():
    return index_named("talent")


def statements(captured) -> list[str]:
    """The statements a search sent, without the savepoint it runs in inside a test's transaction."""
    return [query["sql"] for query in captured.captured_queries if "SAVEPOINT" not in query["sql"]]


def people(count: int) -> list:
    return [
        talent(n, headline="Django developer", skills=("django", "python"), rate=1000 + n, location=BERLIN)
        for n in range(1, count + 1)
    ]


@pytest.mark.parametrize("count", [1, 50])
def test_a_search_with_filters_and_facets_is_two_statements(backend, index, count):
    backend.index(index, people(count))
    query = SearchQuery(
        audience=PUBLIC,
        text="django developer",
        terms=(Terms("skills", ("django",)), Terms("country", ("DE",), match="all")),
        ranges=(Range("rate", gte=1000),),
        near=Near(*BERLIN, radius_km=50),
        facets=("skills", "country", "availability"),
        highlight=True,
    )
    with CaptureQueriesContext(connection) as captured:
        backend.search(index, query)
    assert len(statements(captured)) == 2


def test_a_positive_control_the_same_search_finds_them(backend, index):
    backend.index(index, people(3))
    query = SearchQuery(audience=PUBLIC, text="django developer", near=Near(*BERLIN, radius_km=50))
    assert [hit.id for hit in backend.search(index, query).hits] == [1, 2, 3]


def tables(index) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE tablename LIKE %s", [f"search\\_{index.name}\\_g%"]
        )
        return {row[0] for row in cursor.fetchall()}


def test_a_rebuild_replaces_the_generation_and_drops_the_old_one(backend, index):
    backend.index(index, people(2))
    first = tables(index)
    backend.rebuild(index, people(3))
    second = tables(index)
    assert first
    assert second
    assert first.isdisjoint(second)
    assert sorted(backend.versions(index)) == [1, 2, 3]


def test_a_reader_during_a_rebuild_keeps_the_old_generation_until_the_swap(backend, index):
    backend.index(index, [talent(1, headline="Gardener")])
    seen = []

    def documents():
        yield talent(2, headline="Gardener")
        seen.append(
            [hit.id for hit in backend.search(index, SearchQuery(audience=PUBLIC, text="gardener")).hits]
        )
        yield talent(3, headline="Gardener")

    backend.rebuild(index, documents())
    assert seen == [[1]]
    assert [hit.id for hit in backend.search(index, SearchQuery(audience=PUBLIC, text="gardener")).hits] == [
        2,
        3,
    ]


def test_a_changed_definition_gets_a_fresh_generation(backend, index):
    backend.index(index, people(1))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE search_pg_generation SET signature = 'old' WHERE index_name = %s", [index.name]
        )
    backend.index(index, [talent(7)])
    assert backend.versions(index) == {7: talent(7).version}  # the reconciler sends the rest again


def test_a_fuzzy_match_is_highlighted(backend, index):
    backend.index(index, [talent(1, headline="Django developer")])
    hit = backend.search(index, SearchQuery(audience=PUBLIC, text="djngo", highlight=True)).hits[0]
    assert dict(hit.highlights)["headline"] == "<mark>Django</mark> developer"


def test_the_heaviest_boost_is_weight_a_and_the_lightest_d(index):
    assert pg_schema.weights(index) == {
        "name": "B",
        "headline": "A",
        "skills_text": "B",
        "portfolio": "C",
        "bio": "D",
    }
    assert pg_schema.weights(index_named("jobs")) == {"title": "A", "skills_text": "B", "description": "D"}


def test_a_failing_database_is_search_unavailable(backend, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    with pytest.raises(SearchUnavailable):
        backend.check()
    with pytest.raises(SearchUnavailable):
        backend.search(index_named("talent"), SearchQuery(audience=PUBLIC))
