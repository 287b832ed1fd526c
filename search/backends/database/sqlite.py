# ruff: noqa: S608 - table and column names come from generation ids and layout positions; values are bound
"""SQLite FTS5 search, in a database file of its own (OPTIONS ``SQLITE_PATH``): the embedded default's
engine, so one machine needs no search cluster.

Full text is FTS5 with the porter stemmer, ranked by bm25() weighted by the fields' boosts. Typo
tolerance: each query word of 5+ letters also matches the indexed words one edit away, found in the
generation's word list (by shared prefix or suffix, then checked) and OR-ed into the expression.
Keywords and audience tokens live in side tables, numbers and the location in columns; distances
come from a haversine SQL function behind a bounding-box prefilter. Storage and the atomic
rebuild swap: ``sqlite_store``; the SQL of a query: ``sqlite_query``.
"""

import sqlite3
from collections.abc import Callable, Iterable
from itertools import islice
from types import MappingProxyType

from ...audience import PUBLIC
from ...indexes.base import IndexDefinition, Kind
from ...types import AutocompleteQuery, Document, FacetCount, Hit, SearchQuery, SearchResults, Suggestion
from ..base import InvalidQuery, SearchBackend, SearchUnavailable
from .sqlite_query import SearchSql, validate
from .sqlite_store import (
    BUILDING,
    LIVE,
    MATCHES,
    RETIRED,
    Generation,
    Layout,
    Store,
    drop_tables,
    generations,
    live_generation,
    new_generation,
)
from .sqlite_text import (
    FUZZY_MIN_LENGTH,
    MARK_CLOSE,
    MARK_OPEN,
    bindable,
    candidate_bounds,
    clean,
    marked_html,
    match_expression,
    prefix_expression,
    query_words,
    typo_matches,
    words,
)

BATCH = 500
SNIPPET_TOKENS = 32
ELLIPSIS = "\u2026"


def _batches(items: Iterable, size: int):
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _keyword_values(value) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, tuple | list) else (value,)


def _write(conn: sqlite3.Connection, generation: Generation, documents: list[Document]) -> None:
    """Upsert ``documents`` into a generation (skipping those it holds at the same version)."""
    layout, t = generation.layout, generation.table
    held = _held_versions(conn, generation, [doc.id for doc in documents])
    documents = [doc for doc in documents if held.get(doc.id) != doc.version]
    _remove(conn, generation, [doc.id for doc in documents if doc.id in held])
    if not documents:
        return
    numbers = "".join(f", n{i}" for i in range(len(layout.number)))
    marks = ", ?" * (5 + len(layout.number))
    conn.executemany(
        f"INSERT INTO {t('docs')} (id, version, public, lat, lon{numbers}) VALUES ({marks[2:]})",
        [
            (
                doc.id,
                doc.version,
                PUBLIC in doc.audience,
                *(doc.location or (None, None)),
                *(doc.fields.get(name) for name in layout.number),
            )
            for doc in documents
        ],
    )
    texts = [[clean(str(doc.fields.get(name) or "")) for name in layout.text] for doc in documents]
    columns = "".join(f", t{i}" for i in range(len(layout.text)))
    conn.executemany(
        f"INSERT INTO {t('fts')} (rowid{columns}) VALUES (?{', ?' * len(layout.text)})",
        [(doc.id, *text) for doc, text in zip(documents, texts, strict=True)],
    )
    if layout.autocomplete:
        columns = "".join(f", a{i}" for i in range(len(layout.autocomplete)))
        conn.executemany(
            f"INSERT INTO {t('ac')} (rowid{columns}) VALUES (?{', ?' * len(layout.autocomplete)})",
            [
                (doc.id, *(clean(str(doc.fields.get(n) or "")) for n in layout.autocomplete))
                for doc in documents
            ],
        )
    conn.executemany(
        f"INSERT OR IGNORE INTO {t('kw')} (doc_id, field, value) VALUES (?, ?, ?)",
        [
            (doc.id, position, str(value))
            for doc in documents
            for position, name in enumerate(layout.keyword)
            for value in _keyword_values(doc.fields.get(name))
        ],
    )
    conn.executemany(
        f"INSERT OR IGNORE INTO {t('aud')} (doc_id, token) VALUES (?, ?)",
        [(doc.id, token) for doc in documents for token in doc.audience],
    )
    # The word list only grows (a rebuild starts it afresh): a stale word merely matches nothing.
    vocabulary = {word for text in texts for value in text for word in words(value)}
    conn.executemany(
        f"INSERT OR IGNORE INTO {t('words')} (word, rev) VALUES (?, ?)",
        [(word, word[::-1]) for word in vocabulary],
    )


def _held_versions(conn: sqlite3.Connection, generation: Generation, ids: list[int]) -> dict[int, str]:
    held = {}
    for batch in _batches(ids, BATCH):
        marks = ", ".join("?" for _ in batch)
        sql = f"SELECT id, version FROM {generation.table('docs')} WHERE id IN ({marks})"
        held.update(conn.execute(sql, batch).fetchall())
    return held


def _remove(conn: sqlite3.Connection, generation: Generation, ids: list[int]) -> None:
    rows = [(doc_id,) for doc_id in ids]
    t = generation.table
    conn.executemany(f"DELETE FROM {t('docs')} WHERE id = ?", rows)
    conn.executemany(f"DELETE FROM {t('fts')} WHERE rowid = ?", rows)
    if generation.layout.autocomplete:
        conn.executemany(f"DELETE FROM {t('ac')} WHERE rowid = ?", rows)
    conn.executemany(f"DELETE FROM {t('kw')} WHERE doc_id = ?", rows)
    conn.executemany(f"DELETE FROM {t('aud')} WHERE doc_id = ?", rows)


def _match(conn: sqlite3.Connection, generation: Generation, text: str) -> str | None:
    """The FTS5 expression for the query text: each word (or a word one edit away, for words of
    FUZZY_MIN_LENGTH letters or more) must match."""
    alternatives = []
    table = generation.table("words")
    for word in query_words(text):
        group = [word]
        if len(word) >= FUZZY_MIN_LENGTH:
            prefix, suffix = candidate_bounds(word)
            rows = conn.execute(
                f"SELECT word FROM {table} WHERE length(word) BETWEEN ? AND ?"
                " AND ((word >= ? AND word < ?) OR (rev >= ? AND rev < ?))",
                (len(word) - 1, len(word) + 1, prefix, prefix + "\U0010ffff", suffix, suffix + "\U0010ffff"),
            )
            group += typo_matches(word, (row[0] for row in rows))
        alternatives.append(group)
    return match_expression(alternatives) if alternatives else None


def _highlights(conn: sqlite3.Connection, plan: SearchSql, ids: list[int]) -> dict[int, tuple]:
    """Per hit, its highlighted fields' fragments that hold a match (escaped, ``<mark>`` only)."""
    layout = plan.generation.layout
    columns = [(name, i) for i, name in enumerate(layout.text) if plan.index.field(name).highlight]
    if not (plan.query.highlight and plan.match and ids and columns):
        return {}
    snippets = ", ".join(f"snippet({plan.fts}, {i}, ?, ?, ?, {SNIPPET_TOKENS})" for _, i in columns)
    marks = ", ".join("?" for _ in ids)
    rows = conn.execute(
        f"SELECT rowid, {snippets} FROM {plan.fts} WHERE {plan.fts} MATCH ? AND rowid IN ({marks})",
        [*(MARK_OPEN, MARK_CLOSE, ELLIPSIS) * len(columns), plan.match, *ids],
    )
    found = {}
    for doc_id, *fragments in rows:
        found[doc_id] = tuple(
            (name, marked_html(fragment))
            for (name, _), fragment in zip(columns, fragments, strict=True)
            if fragment and MARK_OPEN in fragment
        )
    return found


class SqliteSearchBackend(SearchBackend):
    def __init__(self, alias: str, options: dict):
        super().__init__(alias, options)
        self.store = Store(options["SQLITE_PATH"], int(options.get("BUSY_TIMEOUT_MS", 5000)))

    # Writes go to the live generation and to one being rebuilt, so a rebuild loses none of them.
    def index(self, index: IndexDefinition, documents: Iterable[Document]) -> None:
        for batch in _batches(documents, BATCH):
            with self.store.writing() as conn:
                targets = generations(conn, index.name, (LIVE, BUILDING))
                if not targets:
                    targets = [new_generation(conn, index, LIVE)]
                # A generation laid out for other fields is being replaced: only a rebuild fills it.
                targets = [generation for generation in targets if generation.layout == Layout.of(index)]
                if not targets:
                    raise SearchUnavailable(f"the {index.name} search index has other fields: rebuild it")
                for generation in targets:
                    _write(conn, generation, batch)

    def delete(self, index: IndexDefinition, ids: Iterable[int]) -> None:
        for batch in _batches(ids, BATCH):
            with self.store.writing() as conn:
                for generation in generations(conn, index.name, (LIVE, BUILDING)):
                    _remove(conn, generation, batch)

    def search(self, index: IndexDefinition, query: SearchQuery) -> SearchResults:
        validate(index, query)
        nothing = SearchResults(hits=(), total=0, facets=MappingProxyType(dict.fromkeys(query.facets, ())))
        if not query.audience:
            return nothing
        with self.store.reading() as conn:
            generation = live_generation(conn, index)
            if generation is None:
                return nothing
            match = _match(conn, generation, query.text) if query.text.strip() else None
            if query.text.strip() and match is None:
                return nothing  # only stop words and punctuation: nothing to find
            plan = SearchSql(index, generation, query, match)
            conn.execute(f"DELETE FROM {MATCHES}")
            filled = conn.execute(*plan.fill()).rowcount
            total = conn.execute(*plan.count()).fetchone()[0]
            rows = conn.execute(*plan.hits()).fetchall() if total else []
            facets = {
                name: tuple(FacetCount(v, n) for v, n in conn.execute(*plan.facet(name, filled)))
                for name in query.facets
            }
            highlights = _highlights(conn, plan, [row[0] for row in rows])
        hits = tuple(
            Hit(
                id=row[0],
                highlights=highlights.get(row[0], ()),
                distance_km=row[2] if query.near is not None else None,
                cursor=plan.cursor(row),
            )
            for row in rows
        )
        return SearchResults(hits=hits, total=total, facets=MappingProxyType(facets))

    def autocomplete(self, index: IndexDefinition, query: AutocompleteQuery) -> tuple[Suggestion, ...]:
        try:
            field = index.field(query.field)
        except KeyError:
            raise InvalidQuery(f"{index.name} declares no field {query.field!r}") from None
        if field.kind != Kind.TEXT or not field.autocomplete:
            raise InvalidQuery(f"{index.name}.{query.field} is not an autocomplete field")
        if not query.audience or query.limit <= 0:
            return ()
        with self.store.reading() as conn:
            generation = live_generation(conn, index)
            if generation is None:
                return ()
            position = generation.layout.autocomplete.index(query.field)
            expression = prefix_expression(f"a{position}", query.prefix)
            if expression is None:
                return ()
            ac, t = generation.table("ac"), generation.table
            tokens = bindable(query.audience)
            marks = ", ".join("?" for _ in tokens)
            weights = ", ".join(
                "1.0" if i == position else "0.0" for i in range(len(generation.layout.autocomplete))
            )
            rows = conn.execute(
                f"SELECT {ac}.rowid, {ac}.a{position} FROM {ac} WHERE {ac} MATCH ? AND EXISTS (SELECT 1 FROM"
                f" {t('aud')} AS a WHERE a.doc_id = {ac}.rowid AND a.token IN ({marks}))"
                f" ORDER BY bm25({ac}, {weights}), {ac}.rowid LIMIT ?",
                [expression, *tokens, query.limit],
            ).fetchall()
        return tuple(Suggestion(id=doc_id, text=text) for doc_id, text in rows)

    def rebuild(
        self,
        index: IndexDefinition,
        documents: Iterable[Document],
        *,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        with self.store.writing() as conn:
            for leftover in generations(conn, index.name, (BUILDING, RETIRED)):
                drop_tables(conn, leftover.id)  # an interrupted rebuild's
            generation = new_generation(conn, index, BUILDING)
        try:
            for batch in _batches(documents, BATCH):
                with self.store.writing() as conn:
                    _write(conn, generation, batch)
                if progress is not None:
                    progress(len(batch))
            with self.store.writing() as conn:  # the swap: one transaction
                conn.execute(
                    "UPDATE search_generations SET state = ? WHERE index_name = ? AND state = ?",
                    (RETIRED, index.name, LIVE),
                )
                conn.execute("UPDATE search_generations SET state = ? WHERE id = ?", (LIVE, generation.id))
        except BaseException:
            with self.store.writing() as conn:
                drop_tables(conn, generation.id)
            raise
        with self.store.writing() as conn:
            for retired in generations(conn, index.name, (RETIRED,)):
                drop_tables(conn, retired.id)

    def refresh(self, index: IndexDefinition) -> None:
        """Writes are visible once committed: nothing to do."""

    def versions(self, index: IndexDefinition) -> dict[int, str]:
        with self.store.reading() as conn:
            generation = live_generation(conn, index)
            if generation is None:
                return {}
            return dict(conn.execute(f"SELECT id, version FROM {generation.table('docs')}").fetchall())

    def check(self) -> None:
        with self.store.reading() as conn:
            conn.execute("SELECT count(*) FROM search_generations").fetchone()

    def drop(self, index: IndexDefinition) -> None:
        with self.store.writing() as conn:
            for generation in generations(conn, index.name, (LIVE, BUILDING, RETIRED)):
                drop_tables(conn, generation.id)
