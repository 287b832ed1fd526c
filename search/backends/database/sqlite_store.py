# ruff: noqa: S608 - table and column names come from generation ids and layout positions; values are bound
"""Storage of the SQLite backend: its own database file, one connection per thread, generations.

Each index lives in a *generation*: a set of tables named ``s<generation>_<part>``. The row of
``search_generations`` in state ``live`` points readers at one generation per index; a rebuild
fills a ``building`` generation beside it and swaps the two states in one transaction. Readers
run in a read transaction (WAL snapshot), so they see the old generation whole until the swap and
the new one whole after it, even while the old one's tables are being dropped.
"""

import json
import math
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ...indexes.base import IndexDefinition, Kind
from ..base import SearchUnavailable
from .sqlite_text import FULL_TEXT_TOKENIZER, PREFIX_TOKENIZER

EARTH_RADIUS_KM = 6371.0088
LIVE, BUILDING, RETIRED = "live", "building", "retired"
# Each connection's scratch table: one search's matches, read for its count, page and facets.
MATCHES = "temp.search_matches"
MATCHES_TABLE = "CREATE TEMP TABLE IF NOT EXISTS search_matches (id INTEGER PRIMARY KEY, score, dist, v)"

_META = """
CREATE TABLE IF NOT EXISTS search_generations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    index_name TEXT NOT NULL,
    state TEXT NOT NULL,
    layout TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS search_generations_live
    ON search_generations (index_name) WHERE state = 'live';
"""


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance, registered as the SQL function ``haversine_km`` (NULL without a point)."""
    if lat2 is None or lon2 is None:
        return None
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Layout:
    """Which declared fields a generation's tables hold, by position (columns t0.., n0.., a0..)."""

    text: tuple[str, ...]
    keyword: tuple[str, ...]
    number: tuple[str, ...]
    autocomplete: tuple[str, ...]

    @classmethod
    def of(cls, index: IndexDefinition) -> "Layout":
        return cls(
            text=tuple(f.name for f in index.fields_of(Kind.TEXT)),
            keyword=tuple(f.name for f in index.fields_of(Kind.KEYWORD)),
            number=tuple(f.name for f in index.fields_of(Kind.NUMBER)),
            autocomplete=tuple(f.name for f in index.fields_of(Kind.TEXT) if f.autocomplete),
        )

    def dumps(self) -> str:
        return json.dumps([self.text, self.keyword, self.number, self.autocomplete])


@dataclass(frozen=True)
class Generation:
    id: int
    layout: Layout

    def table(self, part: str) -> str:
        return f"s{self.id}_{part}"


def create_tables(conn: sqlite3.Connection, generation: Generation) -> None:
    layout, t = generation.layout, generation.table
    numbers = "".join(f", n{i} REAL" for i in range(len(layout.number)))
    statements = [
        # ``public``: the audience holds the token everyone has, so most checks need no lookup.
        f"CREATE TABLE {t('docs')} (id INTEGER PRIMARY KEY, version TEXT NOT NULL, public INTEGER NOT NULL,"
        " lat REAL, lon REAL"
        f"{numbers})",
        f"CREATE INDEX {t('docs_lat')} ON {t('docs')} (lat)",
        *(f"CREATE INDEX {t(f'docs_n{i}')} ON {t('docs')} (n{i})" for i in range(len(layout.number))),
        f"CREATE VIRTUAL TABLE {t('fts')} USING fts5("
        + "".join(f"t{i}, " for i in range(len(layout.text)))
        + f"tokenize = '{FULL_TEXT_TOKENIZER}')",
        f"CREATE TABLE {t('kw')} (doc_id INTEGER NOT NULL, field INTEGER NOT NULL, value TEXT NOT NULL,"
        " PRIMARY KEY (doc_id, field, value)) WITHOUT ROWID",
        f"CREATE INDEX {t('kw_value')} ON {t('kw')} (field, value, doc_id)",
        f"CREATE TABLE {t('aud')} (doc_id INTEGER NOT NULL, token TEXT NOT NULL,"
        " PRIMARY KEY (doc_id, token)) WITHOUT ROWID",
        # Every indexed word (folded, unstemmed) and its reverse: where typo candidates come from.
        f"CREATE TABLE {t('words')} (word TEXT PRIMARY KEY, rev TEXT NOT NULL) WITHOUT ROWID",
        f"CREATE INDEX {t('words_rev')} ON {t('words')} (rev)",
    ]
    if layout.autocomplete:
        statements.append(
            f"CREATE VIRTUAL TABLE {t('ac')} USING fts5("
            + "".join(f"a{i}, " for i in range(len(layout.autocomplete)))
            + f"tokenize = '{PREFIX_TOKENIZER}', prefix = '1 2 3')"
        )
    for statement in statements:
        conn.execute(statement)


PARTS = ("docs", "fts", "ac", "kw", "aud", "words")


def drop_tables(conn: sqlite3.Connection, generation_id: int) -> None:
    """Drop every table of a generation (indexes and FTS5 shadow tables go with them)."""
    for part in PARTS:
        conn.execute(f"DROP TABLE IF EXISTS s{generation_id}_{part}")
    conn.execute("DELETE FROM search_generations WHERE id = ?", (generation_id,))


class Store:
    """The database file and this thread's connection to it."""

    def __init__(self, path: str, busy_timeout_ms: int = 5000):
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()

    def _connect(self) -> sqlite3.Connection:
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=self.busy_timeout_ms / 1000, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.create_function("haversine_km", 4, haversine_km, deterministic=True)
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.executescript(_META)
        conn.execute(MATCHES_TABLE)
        return conn

    def connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[sqlite3.Connection]:
        try:
            conn = self.connection()
            conn.execute(begin)
        except (sqlite3.Error, OSError) as exc:
            raise SearchUnavailable(f"search database: {exc}") from exc
        try:
            yield conn
        except sqlite3.Error as exc:
            conn.rollback()
            raise SearchUnavailable(f"search database: {exc}") from exc
        except BaseException:
            conn.rollback()
            raise
        try:
            conn.commit()
        except sqlite3.Error as exc:
            conn.rollback()
            raise SearchUnavailable(f"search database: {exc}") from exc

    def reading(self):
        """A read transaction: one consistent snapshot for every statement in it."""
        return self._transaction("BEGIN")

    def writing(self):
        """A write transaction, taking the write lock at once (waits up to the busy timeout)."""
        return self._transaction("BEGIN IMMEDIATE")


def generations(conn: sqlite3.Connection, index_name: str, states: tuple[str, ...]) -> list[Generation]:
    marks = ", ".join("?" for _ in states)
    rows = conn.execute(
        f"SELECT id, layout FROM search_generations WHERE index_name = ? AND state IN ({marks}) ORDER BY id",
        (index_name, *states),
    ).fetchall()
    return [
        Generation(id=row[0], layout=Layout(*(tuple(part) for part in json.loads(row[1])))) for row in rows
    ]


def live_generation(conn: sqlite3.Connection, index: IndexDefinition) -> Generation | None:
    """The generation readers use, or None before the index's first write. A generation laid out
    for other fields than the definition's needs a rebuild first."""
    found = generations(conn, index.name, (LIVE,))
    if not found:
        return None
    if found[0].layout != Layout.of(index):
        raise SearchUnavailable(f"the {index.name} search index has other fields: rebuild it")
    return found[0]


def new_generation(conn: sqlite3.Connection, index: IndexDefinition, state: str) -> Generation:
    layout = Layout.of(index)
    cursor = conn.execute(
        "INSERT INTO search_generations (index_name, state, layout) VALUES (?, ?, ?)",
        (index.name, state, layout.dumps()),
    )
    generation = Generation(id=cursor.lastrowid, layout=layout)
    create_tables(conn, generation)
    return generation
