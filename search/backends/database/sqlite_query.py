# ruff: noqa: S608 - table and column names come from generation ids and layout positions; values are bound
"""SQL for one ``SearchQuery`` on one generation of the SQLite backend.

Every statement selects from the generation's documents (``d``), joined to its FTS5 table when the
query has text, under the same filters: the audience, ``Terms``, ``Range``, ``Near``. A facet's
count leaves out the ``Terms`` on its own field. Identifiers in the SQL come from the layout
(positions), numbers from the definition; everything from the query is a bound parameter.
"""

import math
from dataclasses import dataclass

from ...indexes.base import IndexDefinition, Kind
from ...types import Near, SearchQuery
from ..base import InvalidQuery
from .sqlite_store import EARTH_RADIUS_KM, Generation

KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180


def validate(index: IndexDefinition, query: SearchQuery) -> None:
    """Raise InvalidQuery for anything the definition does not declare (before any SQL runs)."""

    def declared(name: str, kind: Kind):
        try:
            field = index.field(name)
        except KeyError:
            raise InvalidQuery(f"{index.name} declares no field {name!r}") from None
        if field.kind != kind:
            raise InvalidQuery(f"{index.name}.{name} is {field.kind}, not {kind}")
        return field

    for terms in query.terms:
        declared(terms.field, Kind.KEYWORD)
        if terms.match not in ("any", "all"):
            raise InvalidQuery(f"Terms.match must be 'any' or 'all', not {terms.match!r}")
    for bounds in query.ranges:
        declared(bounds.field, Kind.NUMBER)
    for name in query.facets:
        if not declared(name, Kind.KEYWORD).facet:
            raise InvalidQuery(f"{index.name}.{name} is not a facet")
    try:
        sort = index.sort(query.sort)
    except KeyError:
        raise InvalidQuery(f"{index.name} declares no sort {query.sort!r}") from None
    if sort.name == "distance" and sort.field is None and query.near is None:
        raise InvalidQuery("the distance sort needs Near")
    if query.limit < 0 or query.offset < 0:
        raise InvalidQuery("limit and offset must not be negative")
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
    index: IndexDefinition
    generation: Generation
    query: SearchQuery
    match: str | None  # the FTS5 expression, None without text

    @property
    def fts(self) -> str:
        return self.generation.table("fts")

    def _source(self) -> str:
        docs = self.generation.table("docs")
        if self.match is None:
            return f"FROM {docs} AS d"
        return f"FROM {self.fts} JOIN {docs} AS d ON d.id = {self.fts}.rowid"

    def _distance(self) -> tuple[str, list]:
        near = self.query.near
        return "haversine_km(?, ?, d.lat, d.lon)", [near.latitude, near.longitude]

    def _where(self, exclude_field: str | None = None) -> tuple[str, list]:
        layout, query, t = self.generation.layout, self.query, self.generation.table
        clauses, params = [], []
        if self.match is not None:
            clauses.append(f"{self.fts} MATCH ?")
            params.append(self.match)
        tokens = sorted(query.audience)
        marks = ", ".join("?" for _ in tokens)
        clauses.append(
            f"EXISTS (SELECT 1 FROM {t('aud')} AS a WHERE a.doc_id = d.id AND a.token IN ({marks}))"
        )
        params += tokens
        for terms in query.terms:
            values = sorted(set(terms.values))
            if terms.field == exclude_field or not values:
                continue
            marks = ", ".join("?" for _ in values)
            held = (
                f"SELECT {'1' if terms.match == 'any' else 'count(*)'} FROM {t('kw')} AS k"
                f" WHERE k.doc_id = d.id AND k.field = {layout.keyword.index(terms.field)}"
                f" AND k.value IN ({marks})"
            )
            clauses.append(f"EXISTS ({held})" if terms.match == "any" else f"({held}) = {len(values)}")
            params += values
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
            distance, distance_params = self._distance()
            within = f"{box} AND {distance} <= ?"
            within_params = [*box_params, *distance_params, query.near.radius_km]
            if query.near.or_without_location:
                within = f"d.lat IS NULL OR ({within})"
            clauses.append(f"({within})")
            params += within_params
        return " AND ".join(clauses), params

    def count(self) -> tuple[str, list]:
        where, params = self._where()
        return f"SELECT count(*) {self._source()} WHERE {where}", params

    def facet(self, name: str) -> tuple[str, list]:
        where, params = self._where(exclude_field=name)
        field = self.generation.layout.keyword.index(name)
        return (
            f"SELECT k.value, count(*) AS n {self._source()}"
            f" JOIN {self.generation.table('kw')} AS k ON k.doc_id = d.id AND k.field = {field}"
            f" WHERE {where} GROUP BY k.value ORDER BY n DESC, k.value",
            params,
        )

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

    def hits(self) -> tuple[str, list]:
        """Rows (id, score, distance, sort value) of the page, in order."""
        query = self.query
        sort = self.index.sort(query.sort)
        where, params = self._where()
        select_params = []
        distance = "NULL"
        if query.near is not None:
            distance, select_params = self._distance()
        value = f"d.n{self.generation.layout.number.index(sort.field)}" if sort.field else "NULL"
        score = self._score() if sort.field is None and sort.name == "relevance" else "NULL"
        inner = (
            f"SELECT d.id AS id, {score} AS score, {distance} AS dist, {value} AS v"
            f" {self._source()} WHERE {where}"
        )
        params = [*select_params, *params]
        if sort.field is None and sort.name == "relevance":
            order, after = "score DESC, id", "(score < ? OR (score = ? AND id > ?))"
            after_params = [query.after[0], query.after[0], query.after[1]] if query.after else []
        else:
            key = "v" if sort.field else "dist"
            descending = sort.field is not None and sort.descending
            order = f"{key} IS NULL, {key} {'DESC' if descending else 'ASC'}, id"
            after, after_params = self._after_key(key, descending)
        sql = f"SELECT id, score, dist, v FROM ({inner})"
        if query.after is not None:
            sql += f" WHERE {after}"
            params += after_params
        sql += f" ORDER BY {order} LIMIT ? OFFSET ?"
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
        sort = self.index.sort(self.query.sort)
        if sort.field is None and sort.name == "relevance":
            return (score, doc_id)
        key = value if sort.field else distance
        return (1, 0, doc_id) if key is None else (0, key, doc_id)
