"""One contract, every backend: each test here runs against PostgreSQL, SQLite FTS5 and the
Elasticsearch-compatible test server (started by osmem-server's pytest plugin, never skipped)."""

import uuid

import pytest

from search.indexes import index_named

BACKENDS = ("postgres", "sqlite", "elasticsearch")


def pytest_collection_modifyitems(items):
    """The PostgreSQL flavour needs the test database: pytest-django sets it up only for the items
    that ask for it when collected, and the fixture below asks too late."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and callspec.params.get("search_backend") == "postgres":
            item.add_marker(pytest.mark.django_db)


def _backend(kind: str, request, tmp_path):
    if kind == "postgres":
        request.getfixturevalue("db")
        from search.backends.database.postgres import PostgresSearchBackend

        return PostgresSearchBackend("contract", {})
    if kind == "sqlite":
        from search.backends.database.sqlite import SqliteSearchBackend

        return SqliteSearchBackend("contract", {"SQLITE_PATH": str(tmp_path / "search.sqlite3")})
    clone = request.getfixturevalue("osmem_clone")
    from search.backends.elasticsearch import ElasticsearchSearchBackend

    return ElasticsearchSearchBackend(
        "contract",
        {
            "URL": clone.url,
            "INDEX_PREFIX": f"contract-{uuid.uuid4().hex[:8]}",
            "NODE_CLASS": "tests.support.elasticsearch_node.JsonHeadersNode",
        },
    )


@pytest.fixture(params=BACKENDS)
def search_backend(request, tmp_path):
    backend = _backend(request.param, request, tmp_path)
    yield backend
    for name in ("talent", "jobs"):
        backend.drop(index_named(name))


@pytest.fixture
def talent_index(settings):
    return index_named("talent")


@pytest.fixture
def jobs_index():
    return index_named("jobs")


@pytest.fixture
def load(search_backend):
    """``load(index, docs)``: write and make visible."""

    def write(index, documents):
        search_backend.index(index, list(documents))
        search_backend.refresh(index)

    return write
