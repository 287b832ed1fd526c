# ruff: noqa: S608 - table and column names come from generation ids and layout positions; values are bound
"""SQL for one ``SearchQuery`` on one generation of the SQLite backend.

Every statement selects from the generation's documents (``d``), joined to its FTS5 table when the
query has text, under the same filters: the audience, ``Terms``, ``Range``, ``Near``. A facet's
count leaves out the ``Terms`` on its own field. Identifiers in the SQL come from the layout
(positions), numbers from the definition; everything from the query is a bound parameter.
"""

import math
from dataclasses import dataclass

from ...audience import PUBLIC
from ...indexes.base import IndexDefinition
from ...types import Near, SearchQuery
from ..base import InvalidQuery
from ..validation import checked_sort
from .sqlite_store import EARTH_RADIUS_KM, MATCHES, Generation
from .sqlite_text import bindable

KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180
MANY_MATCHES = 2000  # past this, facets walk the field's values rather than the matches


def validate(index: IndexDefinition, query: SearchQuery) -> None:
    """Raise InvalidQuery for anything the definition does not declare, or a cursor of another
    sort's shape (before any SQL runs)."""
    sort = checked_sort(index, query)
    if query.after is not None:
        size = 2 if sort.field is None and sort.name == "relevance" else 3
        if len(query.after) != size or not all(
            isinstance(part, int | float) and not isinstance(part, bool) for part in query.after
        ):
            raise InvalidQuery(f"a {sort.name} cursor is {size} numbers")


def _bounding_box(near: Near) -> tuple[str, list]:
    """A cheap prefilter on the indexed latitude (and longitude, away from the poles and the
    antimeridian) that holds every point within the radius."""
    dlat = near.radius_km / KM_PER_DEGREE + 1e-9
    sql, params = "d.lat BETWEEN ? AND ?", [near.latitude - dlat, near.latitude + dlat]
    if abs(near.latitude) + dlat < 89.0:
        ratio = math.sin(near.radius_km / EARTH_RADIUS_KM) / math.cos(math.radians(near.latitude))
        dlon = math.degrees(math.asin(min(1.0, ratio))) + 1e-9
        if ratio < 1.0 and near.longitude - dlon >= -180.0 and near.longitude + dlon <= 180.0:
            sql += " AND d.lon BETWEEN ? AND ?"
            params += [near.longitude - dlon, near.longitude + dlon]
    return sql, params


@dataclass
class SearchSql:
    """The statements of one search. ``fill`` runs the filters once, writing the matches (with
    their score, distance and sort value) to this connection's temp table; the count, the page and
    the facets are then read from it. ``Terms`` on a field the query also counts as a facet are left
    out of ``fill`` and applied when reading, so that facet's count can ignore them."""

    index: IndexDefinition
    generation: Generation
    query: SearchQuery
    match: str | None  # the FTS5 expression, None without text

    @property
    def fts(self) -> str:
        return self.generation.table("fts")

    @property
    def sort(self):
        return self.index.sort(self.query.sort)

    @property
    def by_relevance(self) -> bool:
        return self.sort.field is None and self.sort.name == "relevance"

    def _terms(
        self, id_column: str, *, deferred: bool, exclude_field: str | None = None
    ) -> tuple[list, list]:
        layout, kw = self.generation.layout, self.generation.table("kw")
        clauses, params = [], []
        for terms in self.query.terms:
            values = bindable(terms.values)
            if not values or terms.field == exclude_field or (terms.field in self.query.facets) != deferred:
                continue
            marks = ", ".join("?" for _ in values)
            held = (
                f"SELECT {'1' if terms.match == 'any' else 'count(*)'} FROM {kw} AS k"
                f" WHERE k.doc_id = {id_column} AND k.field = {layout.keyword.index(terms.field)}"
                f" AND k.value IN ({marks})"
            )
            clauses.append(f"EXISTS ({held})" if terms.match == "any" else f"({held}) = {len(values)}")
            params += values
        return clauses, params

    def _filters(self) -> tuple[str, list]:
        """The WHERE of ``fill``: cheap column tests first, the side-table lookups last."""
        layout, query = self.generation.layout, self.query
        clauses, params = [], []
        if self.match is not None:
            clauses.append(f"{self.fts} MATCH ?")
            params.append(self.match)
        for bounds in query.ranges:
            column = f"d.n{layout.number.index(bounds.field)}"
            clauses.append(f"{column} IS NOT NULL")
            if bounds.gte is not None:
                clauses.append(f"{column} >= ?")
                params.append(bounds.gte)
            if bounds.lte is not None:
                clauses.append(f"{column} <= ?")
                params.append(bounds.lte)
        if query.near is not None:
            box, box_params = _bounding_box(query.near)
            within = f"{box} AND haversine_km(?, ?, d.lat, d.lon) <= ?"
            if query.near.or_without_location:
                within = f"d.lat IS NULL OR ({within})"
            clauses.append(f"({within})")
            params += [*box_params, query.near.latitude, query.near.longitude, query.near.radius_km]
        terms, terms_params = self._terms("d.id", deferred=False)
        clauses += terms
        params += terms_params
        tokens = bindable(query.audience - {PUBLIC})
        marks = ", ".join("?" for _ in tokens)
        aud = self.generation.table("aud")
        held = f"EXISTS (SELECT 1 FROM {aud} AS a WHERE a.doc_id = d.id AND a.token IN ({marks}))"
        if PUBLIC in query.audience:
            held = f"(d.public OR {held})" if tokens else "d.public"
        clauses.append(held)
        params += tokens
        return " AND ".join(clauses), params

    def _score(self) -> str:
        """Rank score: text relevance (bm25 with the fields' boosts, 1 without text) times the
        definition's rank factor (base plus each boost's share; a missing value adds nothing)."""
        relevance = "1.0"
        if self.match is not None:
            weights = ", ".join(
                repr(float(self.index.field(name).boost)) for name in self.generation.layout.text
            )
            relevance = f"(-bm25({self.fts}, {weights}))"
        factor = repr(float(self.index.rank_base))
        for boost in self.index.rank_boosts:
            column = f"d.n{self.generation.layout.number.index(boost.field)}"
            scale, weight = float(boost.scale), float(boost.weight)
            factor += f" + {weight!r} * min(coalesce({column}, 0), {scale!r}) / {scale!r}"
        return f"{relevance} * ({factor})"

    def fill(self) -> tuple[str, list]:
        docs = self.generation.table("docs")
        source = f"{docs} AS d"
        if self.match is not None:
            source = f"{self.fts} JOIN {docs} AS d ON d.id = {self.fts}.rowid"
        near, params = self.query.near, []
        distance = "NULL"
        if near is not None:
            distance, params = "haversine_km(?, ?, d.lat, d.lon)", [near.latitude, near.longitude]
        value = f"d.n{self.generation.layout.number.index(self.sort.field)}" if self.sort.field else "NULL"
        score = self._score() if self.by_relevance else "NULL"
        where, where_params = self._filters()
        return (
            f"INSERT INTO {MATCHES} (id, score, dist, v)"
            f" SELECT d.id, {score}, {distance}, {value} FROM {source} WHERE {where}",
            [*params, *where_params],
        )

    def _read_where(self, exclude_field: str | None = None) -> tuple[str, list]:
        clauses, params = self._terms("m.id", deferred=True, exclude_field=exclude_field)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def count(self) -> tuple[str, list]:
        where, params = self._read_where()
        return f"SELECT count(*) FROM {MATCHES} AS m{where}", params

    def facet(self, name: str, matches: int) -> tuple[str, list]:
        """Counts per value. CROSS JOIN fixes the loop order the planner would guess wrong: few
        matches look up their values; many are better met walking the field's values in order
        (already grouped) and looking each document up among the matches."""
        where, params = self._read_where(exclude_field=name)
        field, kw = self.generation.layout.keyword.index(name), self.generation.table("kw")
        if matches <= MANY_MATCHES:
            source = f"{MATCHES} AS m CROSS JOIN {kw} AS k ON k.doc_id = m.id AND k.field = {field}"
        else:
            source = f"{kw} AS k CROSS JOIN {MATCHES} AS m ON m.id = k.doc_id"
            where = f"{where} AND k.field = {field}" if where else f" WHERE k.field = {field}"
        return (
            f"SELECT k.value, count(*) AS n FROM {source}{where} GROUP BY k.value ORDER BY n DESC, k.value",
            params,
        )

    def hits(self) -> tuple[str, list]:
        """Rows (id, score, distance, sort value) of the page, in order."""
        query = self.query
        where, params = self._read_where()
        if self.by_relevance:
            order, after = "score DESC, id", "(score < ? OR (score = ? AND id > ?))"
            after_params = [query.after[0], query.after[0], query.after[1]] if query.after else []
        else:
            key = "v" if self.sort.field else "dist"
            descending = self.sort.field is not None and self.sort.descending
            order = f"{key} IS NULL, {key} {'DESC' if descending else 'ASC'}, id"
            after, after_params = self._after_key(key, descending)
        if query.after is not None:
            where = f"{where} AND {after}" if where else f" WHERE {after}"
            params += after_params
        sql = f"SELECT id, score, dist, v FROM {MATCHES} AS m{where} ORDER BY {order} LIMIT ? OFFSET ?"
        return sql, [*params, query.limit, query.offset]

    def _after_key(self, key: str, descending: bool) -> tuple[str, list]:
        if self.query.after is None:
            return "", []
        missing, value, last_id = self.query.after
        if missing:
            return f"({key} IS NULL AND id > ?)", [last_id]
        beyond = "<" if descending else ">"
        return f"({key} IS NULL OR {key} {beyond} ? OR ({key} = ? AND id > ?))", [value, value, last_id]

    def cursor(self, row: tuple) -> tuple:
        doc_id, score, distance, value = row
        if self.by_relevance:
            return (score, doc_id)
        key = value if self.sort.field else distance
        return (1, 0, doc_id) if key is None else (0, key, doc_id)
