# ruff: noqa: S608 - identifiers come from the index definitions, every value is a parameter
"""The PostgreSQL search backend: full text in the database the documents live in.

Tables per index generation (``pg_schema``), queries (``pg_query``). It uses Django's default
connection, so in tests it runs inside the test's transaction. Writes and searches go through the
views that name the live generation; ``rebuild`` fills the next generation beside it and repoints
the views in one transaction. An index never written to answers no hits.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from types import MappingProxyType

from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction

from ...indexes.base import IndexDefinition, Kind
from ...types import (
    AutocompleteQuery,
    Document,
    FacetCount,
    Hit,
    SearchQuery,
    SearchResults,
    Suggestion,
)
from ..base import InvalidQuery, SearchBackend, SearchUnavailable
from . import pg_query, pg_schema

BATCH = 500
UNDEFINED_TABLE = "42P01"


def _sqlstate(error: Exception) -> str | None:
    return getattr(getattr(error, "__cause__", None), "sqlstate", None)


@contextmanager
def _engine():
    """Database failures as ``SearchUnavailable`` (a missing table is the caller's to handle)."""
    try:
        yield
    except (OperationalError, InterfaceError) as error:
        raise SearchUnavailable(str(error)) from error


class PostgresSearchBackend(SearchBackend):
    # Writes ---------------------------------------------------------------------------------------

    def index(self, index: IndexDefinition, documents: Iterable[Document]) -> None:
        with _engine(), transaction.atomic():
            self._live_generation(index)
            for batch in _batches(documents):
                self._write(index, pg_schema.view(index), pg_schema.words_view(index), batch)

    def delete(self, index: IndexDefinition, ids: Iterable[int]) -> None:
        ids = [int(pk) for pk in ids]
        if not ids:
            return
        with _engine(), transaction.atomic():
            if self._generation(index) is None:
                return
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {pg_schema.view(index)} WHERE id = ANY(%s::bigint[])", [ids])

    def rebuild(
        self,
        index: IndexDefinition,
        documents: Iterable[Document],
        *,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        with _engine():
            live = self._generation(index)
            generation = (live or 0) + 1
            with transaction.atomic(), connection.cursor() as cursor:
                for statement in pg_schema.create_statements(index, generation):
                    cursor.execute(statement)
            table = pg_schema.table(index, generation)
            words = pg_schema.words_table(index, generation)
            for batch in _batches(documents):
                with transaction.atomic():
                    self._write(index, table, words, batch)
                if progress is not None:
                    progress(len(batch))
            with transaction.atomic(), connection.cursor() as cursor:
                for statement in pg_schema.index_statements(index, generation):
                    cursor.execute(statement)
                cursor.execute(f"ANALYZE {table}")
                cursor.execute(f"ANALYZE {words}")
            with transaction.atomic(), connection.cursor() as cursor:
                self._swap(index, generation, cursor)

    def refresh(self, index: IndexDefinition) -> None:
        """Writes are visible once committed: nothing to do."""

    def drop(self, index: IndexDefinition) -> None:
        with _engine(), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DROP VIEW IF EXISTS {pg_schema.view(index)}, {pg_schema.words_view(index)}")
            cursor.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename ~ %s",
                [f"^search_{index.name}_g[0-9]+(_words)?$"],
            )
            tables = [row[0] for row in cursor.fetchall()]
            if tables:
                cursor.execute(f"DROP TABLE IF EXISTS {', '.join(tables)} CASCADE")
            cursor.execute("DELETE FROM search_pg_generation WHERE index_name = %s", [index.name])

    # Reads ----------------------------------------------------------------------------------------

    def search(self, index: IndexDefinition, query: SearchQuery) -> SearchResults:
        compiled = pg_query.Compiled(index, query)
        page_sql, page_params = compiled.page_sql()
        counts_sql, counts_params = compiled.counts_sql()
        rows = self._read(page_sql, page_params)
        if rows is None:
            return SearchResults(hits=(), total=0, facets=MappingProxyType(dict.fromkeys(query.facets, ())))
        counts = self._read(counts_sql, counts_params) or []
        key_count = len(compiled.sort_keys()[0])
        highlighted = compiled.highlighted()
        hits = []
        for row in rows:
            keys = row[1 : 1 + key_count]
            distance = row[1 + key_count]
            marks = tuple(
                (name, html)
                for name, html in zip(highlighted, row[2 + key_count :], strict=True)
                if html and "<mark>" in html
            )
            hits.append(
                Hit(
                    id=row[0],
                    highlights=marks,
                    distance_km=distance if query.near is not None else None,
                    cursor=(*keys, row[0]),
                )
            )
        total = 0
        facets: dict[str, list[FacetCount]] = {facet: [] for facet in query.facets}
        for facet, value, count in counts:
            if facet is None:
                total = count
            else:
                facets[facet].append(FacetCount(value=value, count=count))
        return SearchResults(
            hits=tuple(hits),
            total=total,
            facets=MappingProxyType(
                {
                    name: tuple(sorted(values, key=lambda fc: (-fc.count, fc.value)))
                    for name, values in facets.items()
                }
            ),
        )

    def autocomplete(self, index: IndexDefinition, query: AutocompleteQuery) -> tuple[Suggestion, ...]:
        declared = {field.name: field for field in index.fields_of(Kind.TEXT)}
        if query.field not in declared or not declared[query.field].autocomplete:
            raise InvalidQuery(f"{index.name} declares no autocomplete field {query.field!r}")
        words = pg_query.terms_of(query.prefix)
        if not words or query.limit <= 0:
            return ()
        prefix = " & ".join(f"'{word}':*" for word in words)
        column = f"ac_{query.field}"
        sql = (
            f"SELECT d.id, d.t_{query.field} FROM {pg_schema.view(index)} d "
            f"WHERE d.{column} @@ to_tsquery('simple', %s) AND d.audience && %s::text[] "
            f"ORDER BY ts_rank(d.{column}, to_tsquery('simple', %s)) DESC, d.id LIMIT %s"
        )
        rows = self._read(sql, [prefix, sorted(query.audience), prefix, query.limit]) or []
        return tuple(Suggestion(id=pk, text=text or "") for pk, text in rows)

    def versions(self, index: IndexDefinition) -> dict[int, str]:
        rows = self._read(f"SELECT id, version FROM {pg_schema.view(index)}", []) or []
        return dict(rows)

    def check(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except DatabaseError as error:
            raise SearchUnavailable(str(error)) from error

    # Internals ------------------------------------------------------------------------------------

    def _read(self, sql: str, params: list) -> list | None:
        """The rows, or None when the index was never written (its view does not exist)."""
        try:
            with _engine():
                if connection.in_atomic_block:
                    # A failed statement would spoil the caller's transaction: fail in a savepoint.
                    with transaction.atomic(), connection.cursor() as cursor:
                        cursor.execute(sql, params)
                        return cursor.fetchall()
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    return cursor.fetchall()
        except DatabaseError as error:
            if _sqlstate(error) == UNDEFINED_TABLE:
                return None
            raise SearchUnavailable(str(error)) from error

    def _generation(self, index: IndexDefinition) -> int | None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT generation, signature FROM search_pg_generation WHERE index_name = %s", [index.name]
            )
            row = cursor.fetchone()
        return row[0] if row else None

    def _live_generation(self, index: IndexDefinition) -> int:
        """The live generation, made (empty) when there is none or its tables no longer fit the
        definition (then the reconciler or a rebuild fills it)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT generation, signature FROM search_pg_generation WHERE index_name = %s FOR UPDATE",
                [index.name],
            )
            row = cursor.fetchone()
            if row and row[1] == pg_schema.signature(index):
                return row[0]
            generation = (row[0] if row else 0) + 1
            for statement in pg_schema.create_statements(index, generation):
                cursor.execute(statement)
            for statement in pg_schema.index_statements(index, generation):
                cursor.execute(statement)
            self._swap(index, generation, cursor)
            return generation

    def _swap(self, index: IndexDefinition, generation: int, cursor) -> None:
        """Point the views at ``generation`` and drop the one before (in the caller's transaction)."""
        cursor.execute(
            "SELECT generation FROM search_pg_generation WHERE index_name = %s FOR UPDATE", [index.name]
        )
        old = cursor.fetchone()
        for statement in pg_schema.point_views(index, generation):
            cursor.execute(statement)
        cursor.execute(
            "INSERT INTO search_pg_generation (index_name, generation, signature) VALUES (%s, %s, %s) "
            "ON CONFLICT (index_name) DO UPDATE SET generation = EXCLUDED.generation, "
            "signature = EXCLUDED.signature",
            [index.name, generation, pg_schema.signature(index)],
        )
        if old and old[0] != generation:
            old_table = pg_schema.table(index, old[0])
            cursor.execute(f"DROP TABLE IF EXISTS {old_table}, {pg_schema.words_table(index, old[0])}")

    def _write(self, index: IndexDefinition, table: str, words: str, documents: list[Document]) -> None:
        columns = pg_schema.columns(index)
        names = [name for name, _ in columns]
        row_sql = "(" + ", ".join(f"%s::{sql_type}" for _, sql_type in columns) + ")"
        params = []
        texts = []
        for document in documents:
            params += _row(index, document)
            texts += [document.fields.get(field.name) for field in index.fields_of(Kind.TEXT)]
        updates = ", ".join(f"{name} = EXCLUDED.{name}" for name in names if name != "id")
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(names)}) VALUES {', '.join([row_sql] * len(documents))} "
                f"ON CONFLICT (id) DO UPDATE SET {updates} "
                f"WHERE {table}.version IS DISTINCT FROM EXCLUDED.version",
                params,
            )
            vocabulary = pg_schema.vocabulary(texts)
            if vocabulary:
                cursor.execute(
                    f"INSERT INTO {words} (key, word) SELECT * FROM unnest(%s::text[], %s::text[]) "
                    "ON CONFLICT DO NOTHING",
                    [[key for key, _ in vocabulary], [word for _, word in vocabulary]],
                )


def _row(index: IndexDefinition, document: Document) -> list:
    latitude, longitude = document.location if document.location else (None, None)
    row = [document.id, document.version, sorted(document.audience), latitude, longitude]
    for field in index.fields:
        value = document.fields.get(field.name)
        if field.kind == Kind.KEYWORD:
            if value is None:
                value = []
            elif isinstance(value, str):
                value = [value]
            else:
                value = [str(item) for item in value]
        elif field.kind == Kind.NUMBER and value is not None:
            value = float(value)
        row.append(value)
    return row


def _batches(documents: Iterable[Document]) -> Iterator[list[Document]]:
    iterator = iter(documents)
    while batch := list(islice(iterator, BATCH)):
        yield list({document.id: document for document in batch}.values())  # one row per id
