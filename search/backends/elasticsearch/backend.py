"""The Elasticsearch backend's engine side: the module that talks to the engine (the 8.x client).

Each index lives in generations named ``<INDEX_PREFIX>-<index>-<n>`` behind the alias
``<INDEX_PREFIX>-<index>``; every read and write goes through the alias. ``rebuild`` loads
generation n+1 beside the live one and swaps the alias in one ``_aliases`` call, so readers see the
old index until the swap and the new one after. Writes sent to the alias during a rebuild land in the
old generation only; the reconciler (``versions``) sends them again afterwards.

OPTIONS: ``URL`` (may carry ``user:password@``), ``INDEX_PREFIX``, ``TIMEOUT`` (seconds per request,
default 10), ``NODE_CLASS`` (tests only: a dotted path to an ``elastic_transport`` node class; see
tests/support/elasticsearch_node.py). Every engine or transport error leaves as ``SearchUnavailable``.
The index settings and mappings are declared in ``mapping``, the searches built in ``queries``.
"""

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from django.utils.module_loading import import_string
from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError
from elasticsearch.helpers import BulkIndexError, bulk
from elasticsearch_dsl import Search

from ...indexes.base import IndexDefinition
from ...types import AutocompleteQuery, Document, SearchQuery, SearchResults, Suggestion
from ..base import SearchBackend, SearchUnavailable
from ..validation import checked_sort
from . import mapping, queries

CHUNK = 500  # documents per bulk request, and per progress report of a rebuild
ENGINE_ERRORS = (ApiError, TransportError, BulkIndexError)


def _engine_errors_unavailable(method):
    """Whatever the engine or the transport raises leaves the method as ``SearchUnavailable``."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except ENGINE_ERRORS as error:
            raise SearchUnavailable(f"Elasticsearch {method.__name__} failed: {error}") from error

    return wrapper


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class ElasticsearchSearchBackend(SearchBackend):
    def __init__(self, alias: str, options: dict):
        super().__init__(alias, options)
        self.prefix = options.get("INDEX_PREFIX") or "marketplace"
        client_options = {"request_timeout": options.get("TIMEOUT", 10), "max_retries": 1}
        if options.get("NODE_CLASS"):
            client_options["node_class"] = import_string(options["NODE_CLASS"])
        self.client = Elasticsearch(options["URL"], **client_options)

    # Names: the alias every request uses, and the generations behind it.

    def _alias(self, index: IndexDefinition) -> str:
        return f"{self.prefix}-{index.name}"

    def _generations(self, index: IndexDefinition) -> dict[str, bool]:
        """Every generation of the index, by name, with whether the alias points at it."""
        alias = self._alias(index)
        found = self.client.indices.get_alias(index=f"{alias}-*", allow_no_indices=True)
        pattern = re.compile(rf"{re.escape(alias)}-\d+")
        return {
            name: alias in (entry.get("aliases") or {})
            for name, entry in found.body.items()
            if pattern.fullmatch(name)
        }

    def _ensure(self, index: IndexDefinition) -> str:
        """The alias, with a first generation behind it if there was none (idempotent: two
        writers creating it at once both end at the same ``-1``)."""
        alias = self._alias(index)
        if not self.client.indices.exists_alias(name=alias):
            first = f"{alias}-1"
            mapping.index_for(index, first).create(using=self.client.options(ignore_status=400))
            self.client.indices.put_alias(index=first, name=alias)
        return alias

    def _write(self, target: str, documents: Iterable[Document], progress=None) -> None:
        for chunk in _chunks(documents, CHUNK):
            actions = (
                {"_op_type": "index", "_index": target, "_id": str(doc.id), "_source": mapping.source(doc)}
                for doc in chunk
            )
            bulk(self.client, actions, chunk_size=CHUNK)
            if progress is not None:
                progress(len(chunk))

    # The contract.

    @_engine_errors_unavailable
    def index(self, index: IndexDefinition, documents: Iterable[Document]) -> None:
        documents = list(documents)
        if documents:
            self._write(self._ensure(index), documents)

    @_engine_errors_unavailable
    def delete(self, index: IndexDefinition, ids: Iterable[int]) -> None:
        ids = list(ids)
        alias = self._alias(index)
        if not ids or not self.client.indices.exists_alias(name=alias):
            return
        actions = ({"_op_type": "delete", "_index": alias, "_id": str(id)} for id in ids)
        bulk(self.client, actions, chunk_size=CHUNK, ignore_status=(404,))

    def _run(self, index: IndexDefinition, search: Search) -> dict | None:
        """The engine's answer to ``search`` on the index's alias, as the engine wrote it; None when
        the index was never written."""
        try:
            return search.using(self.client).index(self._alias(index)).execute().to_dict()
        except NotFoundError:
            return None

    @_engine_errors_unavailable
    def search(self, index: IndexDefinition, query: SearchQuery) -> SearchResults:
        checked_sort(index, query)
        answer = self._run(index, queries.search(index, query))
        return queries.empty_results(query) if answer is None else queries.results(index, query, answer)

    @_engine_errors_unavailable
    def autocomplete(self, index: IndexDefinition, query: AutocompleteQuery) -> tuple[Suggestion, ...]:
        search = queries.autocomplete(index, query)
        answer = None if search is None else self._run(index, search)
        if answer is None:
            return ()
        return tuple(
            Suggestion(id=int(hit["_id"]), text=hit["_source"].get(query.field, ""))
            for hit in answer["hits"]["hits"]
        )

    @_engine_errors_unavailable
    def rebuild(
        self,
        index: IndexDefinition,
        documents: Iterable[Document],
        *,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        alias = self._alias(index)
        generations = self._generations(index)
        number = max((int(name.rsplit("-", 1)[1]) for name in generations), default=0) + 1
        fresh = f"{alias}-{number}"
        mapping.index_for(index, fresh).create(using=self.client)
        try:
            self._write(fresh, documents, progress)
            self.client.indices.refresh(index=fresh)
        except BaseException:
            self.client.options(ignore_status=404).indices.delete(index=fresh)
            raise
        actions = [{"remove": {"index": name, "alias": alias}} for name, live in generations.items() if live]
        actions.append({"add": {"index": fresh, "alias": alias}})
        self.client.indices.update_aliases(actions=actions)
        if generations:
            self.client.options(ignore_status=404).indices.delete(index=",".join(generations))

    @_engine_errors_unavailable
    def refresh(self, index: IndexDefinition) -> None:
        self.client.options(ignore_status=404).indices.refresh(index=self._alias(index))

    @_engine_errors_unavailable
    def versions(self, index: IndexDefinition) -> dict[int, str]:
        """Paged by id with ``search_after`` (no scroll context to keep or clear)."""
        held: dict[int, str] = {}
        after = None
        while True:
            answer = self._run(index, queries.versions(CHUNK, after))
            if answer is None:
                return held
            hits = answer["hits"]["hits"]
            held.update((int(hit["_id"]), hit["_source"].get("version", "")) for hit in hits)
            if len(hits) < CHUNK:
                return held
            after = hits[-1]["sort"]

    @_engine_errors_unavailable
    def check(self) -> None:
        health = self.client.cluster.health()
        if health.body.get("status") == "red":
            raise SearchUnavailable("Elasticsearch cluster health is red")

    @_engine_errors_unavailable
    def drop(self, index: IndexDefinition) -> None:
        generations = self._generations(index)
        if generations:
            self.client.options(ignore_status=404).indices.delete(index=",".join(generations))
