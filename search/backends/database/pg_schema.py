# ruff: noqa: S608 - identifiers come from the index definitions, every value is a parameter
"""How an index definition maps to PostgreSQL tables (``postgres.py`` is the backend).

Each index lives in *generations*: ``search_<index>_g<n>`` (the documents) and
``search_<index>_g<n>_words`` (the vocabulary the typo tolerance looks words up in, by the
deletion keys of ``keys``). The views
``search_<index>`` and ``search_<index>_words`` point at the live generation; a rebuild fills the
next generation beside it and replaces the views in one transaction, so a reader sees the old
index or the new one, never a half one. ``search_pg_generation`` (migration 0002) records which
generation is live and the column signature it was built with.

Columns: ``t_<field>`` text, ``k_<field>`` text[] (keywords, GIN), ``n_<field>`` float8, the
audience as text[] (GIN), ``lat``/``lon``, and generated tsvectors: ``tsv`` (every text field,
weighted A-D from the boosts, English stemming) and ``ac_<field>`` ('simple', for autocomplete
prefixes).
"""

import hashlib
import re

from ...indexes.base import IndexDefinition, Kind

WORD = re.compile(r"\w+")
# Words shorter than this never sit one edit away from a query term of FUZZY_MIN_LENGTH letters.
FUZZY_MIN_LENGTH = 5
VOCABULARY_MIN_LENGTH = FUZZY_MIN_LENGTH - 1


def view(index: IndexDefinition) -> str:
    return f"search_{index.name}"


def words_view(index: IndexDefinition) -> str:
    return f"search_{index.name}_words"


def table(index: IndexDefinition, generation: int) -> str:
    return f"search_{index.name}_g{generation}"


def words_table(index: IndexDefinition, generation: int) -> str:
    return f"{table(index, generation)}_words"


def weights(index: IndexDefinition) -> dict[str, str]:
    """Each text field's tsvector weight: the lowest boost is D, the highest A, then B and C (a
    fifth distinct boost shares C)."""
    boosts = sorted({field.boost for field in index.fields_of(Kind.TEXT)}, reverse=True)
    lowest = boosts[-1]
    labels = {}
    for position, boost in enumerate(boosts):
        labels[boost] = "D" if boost == lowest else "ABC"[min(position, 2)]
    return {field.name: labels[field.boost] for field in index.fields_of(Kind.TEXT)}


def rank_weights(index: IndexDefinition) -> str:
    """The ``ts_rank`` weights array {D, C, B, A}: each label's boost over the highest boost."""
    top = max(field.boost for field in index.fields_of(Kind.TEXT))
    by_label = {"A": 1.0, "B": 1.0, "C": 1.0, "D": 1.0}
    for field in index.fields_of(Kind.TEXT):
        by_label[weights(index)[field.name]] = field.boost / top
    values = ",".join(f"{by_label[label]:.4f}" for label in "DCBA")
    return "{" + values + "}"


def columns(index: IndexDefinition) -> list[tuple[str, str]]:
    """The written columns in order, with their SQL types (for casts)."""
    result = [("id", "bigint"), ("version", "text"), ("audience", "text[]")]
    result += [("lat", "float8"), ("lon", "float8")]
    for field in index.fields:
        if field.kind == Kind.TEXT:
            result.append((f"t_{field.name}", "text"))
        elif field.kind == Kind.KEYWORD:
            result.append((f"k_{field.name}", "text[]"))
        else:
            result.append((f"n_{field.name}", "float8"))
    return result


def signature(index: IndexDefinition) -> str:
    """Changes when the tables an index needs change (then the live generation is replaced)."""
    shape = [columns(index), sorted(weights(index).items())]
    shape.append([field.name for field in index.fields if field.autocomplete])
    return hashlib.sha1(repr(shape).encode(), usedforsecurity=False).hexdigest()


def create_statements(index: IndexDefinition, generation: int) -> list[str]:
    """The generation's tables, without their search indexes (``index_statements``): a rebuild
    loads first and indexes after, which is faster and leaves no GIN pending list to scan."""
    name = table(index, generation)
    words = words_table(index, generation)
    definitions = []
    for column, sql_type in columns(index):
        suffix = " PRIMARY KEY" if column == "id" else ""
        if sql_type == "text[]":
            suffix = " NOT NULL DEFAULT '{}'"
        definitions.append(f"{column} {sql_type}{suffix}")
    vectors = " || ".join(
        f"setweight(to_tsvector('english', coalesce(t_{field}, '')), '{label}')"
        for field, label in weights(index).items()
    )
    definitions.append(f"tsv tsvector GENERATED ALWAYS AS ({vectors}) STORED")
    for field in _autocomplete(index):
        definitions.append(
            f"ac_{field} tsvector GENERATED ALWAYS AS (to_tsvector('simple', coalesce(t_{field}, ''))) STORED"
        )
    return [
        f"DROP TABLE IF EXISTS {name}, {words} CASCADE",
        f"CREATE TABLE {name} ({', '.join(definitions)})",
        f"CREATE TABLE {words} (key text NOT NULL, word text NOT NULL, PRIMARY KEY (key, word))",
    ]


def index_statements(index: IndexDefinition, generation: int) -> list[str]:
    """GIN without fastupdate: writes are small batches, and reads never scan a pending list."""
    name = table(index, generation)
    gin = "WITH (fastupdate = off)"
    statements = [
        f"CREATE INDEX {name}_tsv ON {name} USING gin (tsv) {gin}",
        f"CREATE INDEX {name}_audience ON {name} USING gin (audience) {gin}",
        f"CREATE INDEX {name}_lat ON {name} (lat)",
    ]
    for field in index.fields_of(Kind.KEYWORD):
        statements.append(f"CREATE INDEX {name}_k_{field.name} ON {name} USING gin (k_{field.name}) {gin}")
    for field in index.fields_of(Kind.NUMBER):
        if any(sort.field == field.name for sort in index.sorts):
            statements.append(f"CREATE INDEX {name}_n_{field.name} ON {name} (n_{field.name}, id)")
    for field in _autocomplete(index):
        statements.append(f"CREATE INDEX {name}_ac_{field} ON {name} USING gin (ac_{field}) {gin}")
    return statements


def _autocomplete(index: IndexDefinition) -> list[str]:
    return [field.name for field in index.fields if field.autocomplete]


def point_views(index: IndexDefinition, generation: int) -> list[str]:
    """Point the views at ``generation`` (dropped first: the new one's columns may differ)."""
    return [
        f"DROP VIEW IF EXISTS {view(index)}, {words_view(index)}",
        f"CREATE VIEW {view(index)} AS SELECT * FROM {table(index, generation)}",
        f"CREATE VIEW {words_view(index)} AS SELECT * FROM {words_table(index, generation)}",
    ]


def fuzzy(term: str) -> bool:
    """Whether a query term also matches words one edit away: 5 letters or more."""
    return len(term) >= FUZZY_MIN_LENGTH and term.isalpha()


def keys(word: str) -> set[str]:
    """The word and every string one deletion from it. Two words are at most one insertion,
    deletion or substitution apart only if their keys meet, so a term's keys find its candidates
    by equality (``levenshtein`` then drops transpositions, which meet too)."""
    return {word, *(word[:at] + word[at + 1 :] for at in range(len(word)))}


def vocabulary(texts) -> list[tuple[str, str]]:
    """(key, word) rows for the words of these texts that a fuzzy query term may reach."""
    words = set()
    for text in texts:
        if text:
            words.update(
                word
                for word in WORD.findall(text.lower())
                if len(word) >= VOCABULARY_MIN_LENGTH and word.isalpha()
            )
    return sorted((key, word) for word in words for key in keys(word))
