"""What the contract suite cannot see of the Elasticsearch backend: the generations behind the alias,
the mappings, a failed rebuild, and faults at the HTTP level (a closed port, a killed server, a
server that never answers or answers errors), which must all leave as ``SearchUnavailable``."""

import ast
import http.server
import json
import socket
import threading
import uuid

import httpx
import pytest
from osmem_server import OsmemServer

from search.backends import SearchUnavailable
from search.backends.elasticsearch import ElasticsearchSearchBackend
from search.indexes import index_named
from search.types import AutocompleteQuery, Near, SearchQuery
from tests.search.contract.corpus import BERLIN, talent
from tests.support.processes import REPO_ROOT, free_port

PUBLIC = frozenset({"public"})
NODE_CLASS = "tests.support.elasticsearch_node.JsonHeadersNode"


def backend_at(url: str, **options) -> ElasticsearchSearchBackend:
    return ElasticsearchSearchBackend(
        "test", {"URL": url, "INDEX_PREFIX": f"t{uuid.uuid4().hex[:8]}", "NODE_CLASS": NODE_CLASS, **options}
    )


def found(backend, index, text=""):
    query = SearchQuery(audience=PUBLIC, text=text, limit=100)
    return sorted(hit.id for hit in backend.search(index, query).hits)


def generations(url: str, alias: str) -> dict[str, list[str]]:
    """Each index of ``alias``'s family with the aliases pointing at it, straight from the server."""
    answer = httpx.get(f"{url}/{alias}-*/_alias", headers={"Accept": "application/json"})
    answer.raise_for_status()
    return {name: sorted(entry.get("aliases", {})) for name, entry in answer.json().items()}


@pytest.fixture
def backend(osmem_clone):
    return backend_at(osmem_clone.url)


@pytest.fixture
def talent_index():
    return index_named("talent")


def test_an_index_lives_in_numbered_generations_behind_its_alias(backend, osmem_clone, talent_index):
    alias = f"{backend.prefix}-talent"
    backend.index(talent_index, [talent(1), talent(2)])
    assert generations(osmem_clone.url, alias) == {f"{alias}-1": [alias]}

    backend.rebuild(talent_index, [talent(3)])
    assert generations(osmem_clone.url, alias) == {f"{alias}-2": [alias]}
    assert found(backend, talent_index) == [3]

    backend.drop(talent_index)
    assert generations(osmem_clone.url, alias) == {}
    assert found(backend, talent_index) == []


def test_the_mapping_follows_the_index_definition(backend, osmem_clone, talent_index):
    backend.index(talent_index, [talent(1)])
    answer = httpx.get(
        f"{osmem_clone.url}/{backend.prefix}-talent/_mapping", headers={"Accept": "application/json"}
    )
    (mapping,) = answer.json().values()
    properties = mapping["mappings"]["properties"]
    assert properties["headline"] == {"type": "text", "analyzer": "english"}
    assert properties["name"]["fields"]["autocomplete"]["analyzer"] == "autocomplete"
    assert {
        name: properties[name]["type"] for name in ("skills", "rate", "location", "audience", "version")
    } == {
        "skills": "keyword",
        "rate": "double",
        "location": "geo_point",
        "audience": "keyword",
        "version": "keyword",
    }


def test_another_reader_sees_the_old_generation_until_the_swap(osmem_clone, talent_index):
    writer = backend_at(osmem_clone.url)
    reader = ElasticsearchSearchBackend("reader", {**writer.options})
    writer.index(talent_index, [talent(1, headline="Old"), talent(2, headline="Old")])
    writer.refresh(talent_index)
    seen = []

    def documents():
        for n in range(3, 1203):
            yield talent(n, headline="New")

    writer.rebuild(talent_index, documents(), progress=lambda count: seen.append(found(reader, talent_index)))
    assert len(seen) == 3  # one report per bulk chunk of 500
    assert all(ids == [1, 2] for ids in seen)
    assert reader.search(talent_index, SearchQuery(audience=PUBLIC, text="new")).total == 1200
    assert found(reader, talent_index, "old") == []


def test_a_failed_rebuild_leaves_the_live_generation_alone(backend, osmem_clone, talent_index):
    alias = f"{backend.prefix}-talent"
    backend.index(talent_index, [talent(1)])
    backend.refresh(talent_index)

    def documents():
        yield from (talent(n) for n in range(2, 600))
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        backend.rebuild(talent_index, documents())
    assert generations(osmem_clone.url, alias) == {f"{alias}-1": [alias]}
    assert found(backend, talent_index) == [1]


@pytest.mark.parametrize(
    "kwargs",
    [{"sort": "distance", "near": Near(*BERLIN, radius_km=100, or_without_location=True)}, {"sort": "-rate"}],
    ids=["distance", "-rate"],
)
def test_cursors_are_plain_json_and_page_past_missing_values(backend, talent_index, kwargs):
    """Documents without the sort's value (no location, no rate) sort last with an infinite or
    extreme value: the cursor must still be JSON the engine reads back."""
    documents = [
        talent(
            n, location=(BERLIN[0] + n / 100, BERLIN[1]) if n % 2 else None, rate=n * 100 if n % 3 else None
        )
        for n in range(1, 13)
    ]
    backend.index(talent_index, documents)
    backend.refresh(talent_index)
    full = [
        hit.id for hit in backend.search(talent_index, SearchQuery(audience=PUBLIC, limit=50, **kwargs)).hits
    ]
    assert len(full) == 12
    walked, after = [], None
    while len(walked) < 20:
        hits = backend.search(talent_index, SearchQuery(audience=PUBLIC, limit=5, after=after, **kwargs)).hits
        walked.extend(hit.id for hit in hits)
        if len(hits) < 5:
            break
        after = json.loads(json.dumps(hits[-1].cursor, allow_nan=False))
    assert walked == full


# Every method of the contract, as the fault tests call it.
CALLS = {
    "index": lambda backend, index: backend.index(index, [talent(1)]),
    "delete": lambda backend, index: backend.delete(index, [1]),
    "search": lambda backend, index: backend.search(index, SearchQuery(audience=PUBLIC, text="django")),
    "autocomplete": lambda backend, index: backend.autocomplete(
        index, AutocompleteQuery(field="name", prefix="an", audience=PUBLIC)
    ),
    "rebuild": lambda backend, index: backend.rebuild(index, [talent(1)]),
    "refresh": lambda backend, index: backend.refresh(index),
    "versions": lambda backend, index: backend.versions(index),
    "check": lambda backend, index: backend.check(),
    "drop": lambda backend, index: backend.drop(index),
}


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_a_closed_port_is_unavailable(talent_index, call):
    backend = backend_at(f"http://127.0.0.1:{free_port()}")
    with pytest.raises(SearchUnavailable):
        call(backend, talent_index)


def test_a_killed_server_is_unavailable_to_every_method(talent_index):
    server = OsmemServer.start(japanese=False)
    try:
        backend = backend_at(server.url)
        backend.index(talent_index, [talent(1)])
        backend.check()  # the client now holds open connections to the server
    finally:
        server.close()
    not_unavailable = []
    for name, call in CALLS.items():
        try:
            call(backend, talent_index)
        except SearchUnavailable:
            continue
        not_unavailable.append(name)
    assert not_unavailable == []


@pytest.fixture
def silent_server():
    """A port that takes connections (the kernel's backlog) and never answers."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def test_a_server_that_never_answers_times_out_as_unavailable(silent_server, talent_index):
    backend = backend_at(silent_server, TIMEOUT=0.3)
    with pytest.raises(SearchUnavailable):
        backend.search(talent_index, SearchQuery(audience=PUBLIC, text="django"))
    with pytest.raises(SearchUnavailable):
        backend.check()


class _Failing(http.server.BaseHTTPRequestHandler):
    def _fail(self):
        body = b'{"error": {"type": "internal", "reason": "boom"}, "status": 500}'
        self.send_response(500)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _fail

    def log_message(self, *args):
        pass


@pytest.fixture
def failing_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Failing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("call", CALLS.values(), ids=CALLS.keys())
def test_a_server_answering_errors_is_unavailable(failing_server, talent_index, call):
    with pytest.raises(SearchUnavailable):
        call(backend_at(failing_server), talent_index)


def test_the_backend_alone_imports_the_elasticsearch_client():
    """One package talks to the engine; the test node class is test plumbing."""
    importers = set()
    for package in ("marketplace", "escrow", "frontend", "messaging", "search", "reviews"):
        for path in (REPO_ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    names = [node.module or ""]
                else:
                    continue
                if any(
                    name.split(".")[0] in ("elasticsearch", "elasticsearch_dsl", "elastic_transport")
                    for name in names
                ):
                    importers.add(path.relative_to(REPO_ROOT).as_posix())
    assert importers
    assert all(path.startswith("search/backends/elasticsearch/") for path in importers), importers
