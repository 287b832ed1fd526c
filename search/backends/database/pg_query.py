# ruff: noqa: S608 - identifiers come from the index definitions, every value is a parameter
"""A ``SearchQuery`` as PostgreSQL statements over an index's live view (``pg_schema``).

One search is two statements: the page (``page_sql``) and the counts (``counts_sql``: the total
and every asked facet in one pass over the matches). Facets are disjunctive: each facet's counts
apply every filter but the ``Terms`` on its own field.

The text becomes one tsquery, computed once per statement (an InitPlan the GIN index can use):
the terms are ANDed; a term of 5 or more letters is ORed with the indexed words one edit away
(the vocabulary's deletion keys find candidates by equality, ``levenshtein`` keeps the true ones).
"""

import math
from dataclasses import dataclass, field

from ...indexes.base import IndexDefinition, Kind
from ...types import SearchQuery
from ..base import InvalidQuery
from ..validation import checked_sort
from . import pg_schema

EARTH_RADIUS_KM = 6371.0088
HIGHLIGHT_OPTIONS = "StartSel=<mark>, StopSel=</mark>, MaxWords=35, MinWords=15"
# Django's escape(), in SQL: the highlight is built on escaped text, so <mark> is its only tag.
ESCAPED = (
    "replace(replace(replace(replace(replace({}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), "
    "'\"', '&quot;'), '''', '&#x27;')"
)


@dataclass
class Sql:
    """A statement under construction: its text parts and their parameters, in order."""

    ctes: list[str] = field(default_factory=list)
    params: list = field(default_factory=list)


def terms_of(text: str) -> list[str]:
    return pg_schema.WORD.findall(text.lower())


def _tsquery(index: IndexDefinition, terms: list[str], params: list) -> str:
    """An expression for the query's tsquery (the caller puts it in a CTE named ``q``)."""
    words = pg_schema.words_view(index)
    parts = []
    for term in terms:
        if pg_schema.fuzzy(term):
            parts.append(
                "(SELECT to_tsquery('english', string_agg(quote_literal(w.word), ' | ')) FROM ("
                f"SELECT %s AS word UNION SELECT word FROM {words} "
                "WHERE key = ANY(%s::text[]) AND levenshtein(word, %s) <= 1) w)"
            )
            params += [term, sorted(pg_schema.keys(term)), term]
        else:
            parts.append("to_tsquery('english', quote_literal(%s))")
            params.append(term)
    return " && ".join(parts)


class Compiled:
    """The parts of one query: filters (shared by the page and the counts), sort keys, cursor."""

    def __init__(self, index: IndexDefinition, query: SearchQuery):
        checked_sort(index, query)
        self.index, self.query = index, query
        self.terms = terms_of(query.text)
        self.view = pg_schema.view(index)
        self.prefix_params: list = []
        self.with_q = ""
        if self.terms:
            expression = _tsquery(index, self.terms, self.prefix_params)
            self.with_q = f"WITH q AS MATERIALIZED (SELECT {expression} AS query) "
        self.base, self.base_params = self._base_filters()
        self.term_filters = self._term_filters()

    # Filters -----------------------------------------------------------------------------------

    def _base_filters(self) -> tuple[list[str], list]:
        """Every filter but the Terms: audience, text, ranges, radius."""
        query = self.query
        where = ["d.audience && %s::text[]"]
        params: list = [sorted(query.audience)]
        if self.terms:
            where.append("d.tsv @@ (SELECT query FROM q)")
        for bounds in query.ranges:
            column = f"d.n_{bounds.field}"
            where.append(f"{column} IS NOT NULL")
            if bounds.gte is not None:
                where.append(f"{column} >= %s::float8")
                params.append(bounds.gte)
            if bounds.lte is not None:
                where.append(f"{column} <= %s::float8")
                params.append(bounds.lte)
        if query.near is not None:
            near_sql, near_params = self._near()
            where.append(near_sql)
            params += near_params
        return where, params

    def _near(self) -> tuple[str, list]:
        near = self.query.near
        angle = near.radius_km / EARTH_RADIUS_KM
        lat_delta = math.degrees(angle) + 1e-9
        box = ["d.lat BETWEEN %s AND %s"]
        params: list = [near.latitude - lat_delta, near.latitude + lat_delta]
        cos_lat = math.cos(math.radians(near.latitude))
        if math.sin(angle) < cos_lat and abs(near.latitude) + math.degrees(angle) < 90:
            lon_delta = math.degrees(math.asin(math.sin(angle) / cos_lat)) + 1e-9
            low, high = near.longitude - lon_delta, near.longitude + lon_delta
            if low >= -180 and high <= 180:
                box.append("d.lon BETWEEN %s AND %s")
                params += [low, high]
            else:  # the box crosses the antimeridian: two ranges
                box.append("(d.lon >= %s OR d.lon <= %s)")
                params += [low + 360 if low < -180 else low, high - 360 if high > 180 else high]
        distance, distance_params = self.distance()
        within = f"({' AND '.join(box)} AND {distance} <= %s)"
        params += [*distance_params, near.radius_km]
        if near.or_without_location:
            within = f"({within} OR d.lat IS NULL)"
        return within, params

    def distance(self) -> tuple[str, list]:
        """Great-circle km from the query's point (haversine; NULL without a location)."""
        near = self.query.near
        sql = (
            f"(2 * {EARTH_RADIUS_KM} * asin(least(1.0, sqrt("
            "power(sin(radians(d.lat - %s::float8) / 2), 2) + cos(radians(%s::float8)) * "
            "cos(radians(d.lat)) * power(sin(radians(d.lon - %s::float8) / 2), 2)))))"
        )
        return sql, [near.latitude, near.latitude, near.longitude]

    def _term_filters(self) -> list[tuple[str, str, list]]:
        """(field, condition, params) for each Terms."""
        result = []
        for terms in self.query.terms:
            operator = "&&" if terms.match == "any" else "@>"
            result.append((terms.field, f"d.k_{terms.field} {operator} %s::text[]", [list(terms.values)]))
        return result

    def where(self, *, except_field: str | None = None) -> tuple[str, list]:
        conditions, params = list(self.base), list(self.base_params)
        for name, condition, values in self.term_filters:
            if name != except_field:
                conditions.append(condition)
                params += values
        return " AND ".join(conditions), params

    # Ordering ----------------------------------------------------------------------------------

    def score(self) -> tuple[str, list]:
        """Rank score: text relevance (1 without text) times the index's rank factor."""
        index = self.index
        factor = [f"{float(index.rank_base)!r}::float8"]
        for boost in index.rank_boosts:
            scale, weight = float(boost.scale), float(boost.weight)
            factor.append(f"{weight!r} * least(coalesce(d.n_{boost.field}, 0), {scale!r}) / {scale!r}")
        relevance = "1.0::float8"
        if self.terms:
            weights = pg_schema.rank_weights(index)
            relevance = f"ts_rank('{weights}'::float4[], d.tsv, (SELECT query FROM q))::float8"
        return f"({relevance} * ({' + '.join(factor)}))", []

    def sort_keys(self) -> tuple[list[tuple[str, bool]], list]:
        """(expression, descending) for each key before the id, and their params."""
        sort = self.index.sort(self.query.sort)
        if sort.name == "relevance" and sort.field is None:
            expression, params = self.score()
            return [(expression, True)], params
        if sort.field is None:  # distance
            expression, params = self.distance()
            return [(f"({expression} IS NULL)", False), (expression, False)], params + params
        column = f"d.n_{sort.field}"
        return [(f"({column} IS NULL)", False), (column, sort.descending)], []

    def keyset(self, keys: list[tuple[str, bool]], key_params: list) -> tuple[str, list]:
        """The rows after the cursor ``query.after`` in the order of ``keys`` then id."""
        after = tuple(self.query.after)
        if len(after) != len(keys) + 1:
            raise InvalidQuery("the cursor does not fit this sort")
        per_key = len(key_params) // len(keys) if key_params else 0
        everything = [*keys, ("d.id", False)]
        alternatives, params = [], []
        for position, (expression, descending) in enumerate(everything):
            parts = []
            for earlier in range(position):
                parts.append(f"{everything[earlier][0]} IS NOT DISTINCT FROM %s")
                params += self._expression_params(earlier, key_params, per_key, len(keys))
                params.append(after[earlier])
            parts.append(f"{expression} {'<' if descending else '>'} %s")
            params += self._expression_params(position, key_params, per_key, len(keys))
            params.append(after[position])
            alternatives.append("(" + " AND ".join(parts) + ")")
        return "(" + " OR ".join(alternatives) + ")", params

    @staticmethod
    def _expression_params(position: int, key_params: list, per_key: int, key_count: int) -> list:
        if position >= key_count or not per_key:
            return []
        return key_params[position * per_key : (position + 1) * per_key]

    # Statements --------------------------------------------------------------------------------

    def page_sql(self) -> tuple[str, list]:
        """The page: id, the sort key values, the distance, then one highlight per field."""
        query = self.query
        keys, key_params = self.sort_keys()
        where, where_params = self.where()
        params = list(self.prefix_params)
        select = [expression for expression, _ in keys]
        select_params = list(key_params)
        if query.near is not None:
            distance, distance_params = self.distance()
            select.append(distance)
            select_params += distance_params
        else:
            select.append("NULL::float8")
        highlighted = self.highlighted()
        select += [f"d.t_{name}" for name in highlighted]
        params += select_params + where_params
        if query.after is not None:
            keyset, keyset_params = self.keyset(keys, key_params)
            where = f"{where} AND {keyset}"
            params += keyset_params
        # By position: the key expressions are computed once, in the select list.
        order = ", ".join(
            f"{position + 2} {'DESC' if descending else 'ASC'}"
            for position, (_, descending) in enumerate(keys)
        )
        inner = (
            f"SELECT d.id, {', '.join(select)} FROM {self.view} d WHERE {where} "
            f"ORDER BY {order}, 1 LIMIT %s OFFSET %s"
        )
        params += [query.limit, query.offset if query.after is None else 0]
        width = len(keys) + 2
        outer = [f"p.c{position}" for position in range(width)]
        for position, _name in enumerate(highlighted):
            text = f"p.c{width + position}"
            outer.append(
                f"ts_headline('english', {ESCAPED.format(text)}, (SELECT query FROM q), "
                f"'{HIGHLIGHT_OPTIONS}')"
            )
        columns = ", ".join(f"c{position}" for position in range(width + len(highlighted)))
        sql = f"{self.with_q}SELECT {', '.join(outer)} FROM ({inner}) AS p ({columns})"
        return sql, params

    def highlighted(self) -> list[str]:
        if not (self.query.highlight and self.terms):
            return []
        return [declared.name for declared in self.index.fields_of(Kind.TEXT) if declared.highlight]

    def counts_sql(self) -> tuple[str, list]:
        """Rows of (facet or NULL for the total, value, count)."""
        facets = self.query.facets
        params = list(self.prefix_params)
        if not facets:
            where, where_params = self.where()
            return f"{self.with_q}SELECT NULL, NULL, count(*) FROM {self.view} d WHERE {where}", (
                params + where_params
            )
        flags = []
        select = ["d.id"] + [f"d.k_{facet} AS k_{facet}" for facet in dict.fromkeys(facets)]
        for position, (_name, condition, values) in enumerate(self.term_filters):
            select.append(f"({condition}) AS f{position}")
            params += values
            flags.append(f"m.f{position}")
        params += self.base_params
        matches = (
            f"m AS MATERIALIZED (SELECT {', '.join(select)} FROM {self.view} d "
            f"WHERE {' AND '.join(self.base)})"
        )
        with_clause = f"{self.with_q}, {matches}" if self.with_q else f"WITH {matches}"
        every = " AND ".join(flags) or "true"
        parts = [f"SELECT NULL::text, NULL::text, count(*) FROM m WHERE {every}"]
        for facet in dict.fromkeys(facets):
            others = [
                f"m.f{position}"
                for position, (name, _condition, _values) in enumerate(self.term_filters)
                if name != facet
            ]
            parts.append(
                f"SELECT %s::text, v, count(*) FROM m, unnest(m.k_{facet}) AS v "
                f"WHERE {' AND '.join(others) or 'true'} GROUP BY v"
            )
            params.append(facet)
        return f"{with_clause} {' UNION ALL '.join(parts)}", params
