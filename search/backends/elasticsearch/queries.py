"""The Elasticsearch backend's searches, built with elasticsearch-dsl (``Search``, ``Q``, ``SF``,
aggregations), and the answers read back into the neutral types. No client here (``backend`` gives
each ``Search`` its client and alias and runs it), so the translation reads and tests on its own. The
mapping is in ``mapping``.

Sorts are given in the engine's own form (see ``_sort``), and the request keys the DSL has no method
for go through ``extra`` (see ``_paged``). Answers are read from the engine's JSON as it came.
"""

import math
import re
import struct

from elasticsearch_dsl import SF, Q, Search
from elasticsearch_dsl.query import Query

from ...indexes.base import IndexDefinition, Kind
from ...types import AutocompleteQuery, FacetCount, Hit, Near, SearchQuery, SearchResults, Terms
from ..base import InvalidQuery

# A term's edits allowed by its length after analysis: none below 5 letters, one from 5 (two from
# 100, a length no word reaches). Transpositions count as two edits, as on the database backends.
FUZZINESS = "AUTO:5,100"
# A query's words beyond this many are ignored: each word is a clause of its own.
MAX_TERMS = 32
# Values counted per facet: more than any facet here holds (skills are the largest).
FACET_SIZE = 1000
EARTH_RADIUS_KM = 6371.0088
WORD = re.compile(r"\w+")


def _audience(audience: frozenset[str]) -> Query:
    return Q("terms", audience=sorted(audience))


def _terms_clause(terms: Terms) -> Query:
    if terms.match == "all":
        return Q("bool", filter=[Q("term", **{terms.field: value}) for value in terms.values])
    return Q("terms", **{terms.field: list(terms.values)})


def _near_clause(near: Near) -> Query:
    within = Q(
        "geo_distance",
        distance=f"{near.radius_km}km",
        location={"lat": near.latitude, "lon": near.longitude},
    )
    if not near.or_without_location:
        return within
    without = Q("bool", must_not=[Q("exists", field="location")])
    return Q("bool", should=[within, without], minimum_should_match=1)


def _text_clauses(index: IndexDefinition, text: str) -> list[Query]:
    """One clause per word, each over every text field with its boost: every word must match in
    some field (not necessarily the same one), with the contract's typo tolerance. Words are taken
    as plain text, never as query syntax; a word the analyzer drops (a stop word) matches all."""
    fields = [f"{field.name}^{field.boost:g}" for field in index.fields_of(Kind.TEXT)]
    return [
        Q(
            "multi_match",
            query=word,
            fields=fields,
            fuzziness=FUZZINESS,
            fuzzy_transpositions=False,
            zero_terms_query="all",
        )
        for word in WORD.findall(text)[:MAX_TERMS]
    ]


def _ranked(index: IndexDefinition, query: Query) -> Query:
    """Text relevance * (rank_base + sum of weight * min(value, scale) / scale), a missing value
    adding nothing: one function adds the base, and per boost one scales values below the cap while
    another adds the full weight at or above it (no scripts: the test server has none)."""
    functions = [SF({"filter": Q("match_all"), "weight": index.rank_base})]
    for boost in index.rank_boosts:
        functions.append(
            SF(
                "field_value_factor",
                filter=Q("range", **{boost.field: {"lt": boost.scale}}),
                field=boost.field,
                factor=boost.weight / boost.scale,
                missing=0,
            )
        )
        functions.append(
            SF({"filter": Q("range", **{boost.field: {"gte": boost.scale}}), "weight": boost.weight})
        )
    return Q("function_score", query=query, functions=functions, score_mode="sum", boost_mode="multiply")


def _sort(index: IndexDefinition, query: SearchQuery) -> list[dict]:
    """In the engine's form: the DSL's ``"field"``/``"-field"`` strings cannot say ``missing`` or the
    geo distance's unit, and it sends dicts as they are."""
    sort = index.sort(query.sort)
    if sort.name == "distance":
        point = {"lat": query.near.latitude, "lon": query.near.longitude}
        first = {"_geo_distance": {"location": point, "order": "asc", "unit": "km", "distance_type": "arc"}}
    elif sort.field is None:
        first = {"_score": {"order": "desc"}}
    else:
        first = {sort.field: {"order": "desc" if sort.descending else "asc", "missing": "_last"}}
    return [first, {"id": {"order": "asc"}}]


def _paged(search: Search, query: SearchQuery) -> Search:
    """A page from an offset or after a cursor. ``extra`` rather than slicing (which always sets
    ``from``): a cursor page sends ``search_after`` alone, its values exactly as ``_cursor`` made
    them, and ``track_total_hits`` has no method of its own."""
    search = search.extra(size=query.limit, track_total_hits=True)
    if query.after is not None:
        return search.extra(search_after=list(query.after))
    return search.extra(from_=query.offset)


def search(index: IndexDefinition, query: SearchQuery) -> Search:
    """Filters on faceted fields go to ``post_filter``, so the facets (aggregations, which see the
    query but not the post filter) can each apply all of them but their own."""
    filters = [_audience(query.audience)]
    faceted = []
    for terms in query.terms:
        if terms.field in query.facets:
            faceted.append(terms)
        else:
            filters.append(_terms_clause(terms))
    for bounds in query.ranges:
        limits = {
            name: value for name, value in (("gte", bounds.gte), ("lte", bounds.lte)) if value is not None
        }
        filters.append(Q("range", **{bounds.field: limits}) if limits else Q("exists", field=bounds.field))
    if query.near is not None:
        filters.append(_near_clause(query.near))
    text = _text_clauses(index, query.text)
    matched = Q("bool", must=text or [Q("match_all")], filter=filters)
    built = (
        Search()
        .query(_ranked(index, matched) if query.sort == "relevance" else matched)
        .sort(*_sort(index, query))
        .source(["location"] if query.near is not None else False)
    )
    built = _paged(built, query)
    if faceted:
        built = built.post_filter(Q("bool", filter=[_terms_clause(terms) for terms in faceted]))
    for facet in query.facets:
        others = [_terms_clause(terms) for terms in faceted if terms.field != facet]
        built.aggs.bucket(
            facet, "filter", filter=Q("bool", filter=others) if others else Q("match_all")
        ).bucket("values", "terms", field=facet, size=FACET_SIZE, order=[{"_count": "desc"}, {"_key": "asc"}])
    highlighted = [field.name for field in index.fields_of(Kind.TEXT) if field.highlight]
    if query.highlight and text and highlighted:
        built = built.highlight_options(pre_tags=["<mark>"], post_tags=["</mark>"], encoder="html")
        built = built.highlight(*highlighted, fragment_size=200, number_of_fragments=1)
    return built


def distance_km(near: Near, location: dict) -> float:
    """Great-circle distance (haversine): the hit's distance whatever the sort."""
    lat1, lon1, lat2, lon2 = map(
        math.radians, (near.latitude, near.longitude, location["lat"], location["lon"])
    )
    a = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _cursor(query: SearchQuery, sort_values: list) -> tuple:
    """The hit's sort values, made to read back exactly. A score is a 32-bit float printed in its
    shortest decimal form; the test server reads it back as a 64-bit double a hair off, which would
    repeat or skip hits on a tie, so the cursor carries the float's exact value (Elasticsearch reads
    it back either way). A missing value sorts as an infinity, which the engine writes as the string
    "Infinity" and reads back as such."""
    if query.sort != "relevance":
        return tuple(sort_values)
    score, *rest = sort_values
    return (struct.unpack("f", struct.pack("f", score))[0], *rest)


def results(index: IndexDefinition, query: SearchQuery, answer: dict) -> SearchResults:
    order = [field.name for field in index.fields_of(Kind.TEXT) if field.highlight]
    hits = []
    for hit in answer["hits"]["hits"]:
        fragments = hit.get("highlight", {})
        location = (hit.get("_source") or {}).get("location")
        hits.append(
            Hit(
                id=int(hit["_id"]),
                highlights=tuple((name, fragments[name][0]) for name in order if fragments.get(name)),
                distance_km=distance_km(query.near, location) if query.near and location else None,
                cursor=_cursor(query, hit["sort"]),
            )
        )
    facets = {}
    for facet in query.facets:
        buckets = answer["aggregations"][facet]["values"]["buckets"]
        counts = (FacetCount(str(bucket["key"]), bucket["doc_count"]) for bucket in buckets)
        facets[facet] = tuple(sorted(counts, key=lambda count: (-count.count, count.value)))
    return SearchResults(hits=tuple(hits), total=answer["hits"]["total"]["value"], facets=facets)


def empty_results(query: SearchQuery) -> SearchResults:
    """The answer of an index never written."""
    return SearchResults(hits=(), total=0, facets=dict.fromkeys(query.facets, ()))


def autocomplete(index: IndexDefinition, query: AutocompleteQuery) -> Search | None:
    """None when the prefix holds no word (nothing to ask)."""
    try:
        field = index.field(query.field)
    except KeyError as error:
        raise InvalidQuery(str(error)) from None
    if not field.autocomplete:
        raise InvalidQuery(f"{index.name} field {field.name!r} is not declared for autocomplete")
    words = WORD.findall(query.prefix)[:MAX_TERMS]
    if not words:
        return None
    match = Q("match", **{f"{field.name}.autocomplete": {"query": " ".join(words), "operator": "and"}})
    return (
        Search()
        .query(Q("bool", must=[match], filter=[_audience(query.audience)]))
        .sort({"_score": {"order": "desc"}}, {"id": {"order": "asc"}})
        .extra(size=query.limit)
        .source([field.name])
    )


def versions(size: int, after: list | None) -> Search:
    """A page of every document's version, by id."""
    page = Search().query(Q("match_all")).sort({"id": {"order": "asc"}}).extra(size=size).source(["version"])
    return page if after is None else page.extra(search_after=after)
