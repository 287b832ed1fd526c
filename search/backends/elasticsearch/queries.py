"""The Elasticsearch backend's request bodies, as plain dicts: the search and autocomplete bodies,
and the answers read back into the neutral types. No client here (``backend`` alone talks to the
engine), so the translation reads and tests on its own. The mapping is in ``mapping``.
"""

import math
import re
import struct

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


def validate(index: IndexDefinition, query: SearchQuery) -> None:
    declared = {field.name: field for field in index.fields}
    for terms in query.terms:
        if getattr(declared.get(terms.field), "kind", None) != Kind.KEYWORD:
            raise InvalidQuery(f"{index.name} has no keyword field {terms.field!r}")
        if terms.match not in ("any", "all"):
            raise InvalidQuery(f"Terms match must be 'any' or 'all', not {terms.match!r}")
    for bounds in query.ranges:
        if getattr(declared.get(bounds.field), "kind", None) != Kind.NUMBER:
            raise InvalidQuery(f"{index.name} has no number field {bounds.field!r}")
    for facet in query.facets:
        if not getattr(declared.get(facet), "facet", False):
            raise InvalidQuery(f"{index.name} has no facet {facet!r}")
    try:
        sort = index.sort(query.sort)
    except KeyError as error:
        raise InvalidQuery(str(error)) from None
    if sort.name == "distance" and query.near is None:
        raise InvalidQuery("the distance sort needs Near")


def _terms_clause(terms: Terms) -> dict:
    if terms.match == "all":
        return {"bool": {"filter": [{"term": {terms.field: value}} for value in terms.values]}}
    return {"terms": {terms.field: list(terms.values)}}


def _near_clause(near: Near) -> dict:
    within = {
        "geo_distance": {
            "distance": f"{near.radius_km}km",
            "location": {"lat": near.latitude, "lon": near.longitude},
        }
    }
    if not near.or_without_location:
        return within
    without = {"bool": {"must_not": [{"exists": {"field": "location"}}]}}
    return {"bool": {"should": [within, without], "minimum_should_match": 1}}


def _text_clauses(index: IndexDefinition, text: str) -> list[dict]:
    """One clause per word, each over every text field with its boost: every word must match in
    some field (not necessarily the same one), with the contract's typo tolerance. Words are taken
    as plain text, never as query syntax; a word the analyzer drops (a stop word) matches all."""
    fields = [f"{field.name}^{field.boost:g}" for field in index.fields_of(Kind.TEXT)]
    return [
        {
            "multi_match": {
                "query": word,
                "fields": fields,
                "fuzziness": FUZZINESS,
                "fuzzy_transpositions": False,
                "zero_terms_query": "all",
            }
        }
        for word in WORD.findall(text)[:MAX_TERMS]
    ]


def _ranked(index: IndexDefinition, query: dict) -> dict:
    """Text relevance * (rank_base + sum of weight * min(value, scale) / scale), a missing value
    adding nothing: one function adds the base, and per boost one scales values below the cap while
    another adds the full weight at or above it (no scripts: the test server has none)."""
    functions = [{"filter": {"match_all": {}}, "weight": index.rank_base}]
    for boost in index.rank_boosts:
        functions.append(
            {
                "filter": {"range": {boost.field: {"lt": boost.scale}}},
                "field_value_factor": {
                    "field": boost.field,
                    "factor": boost.weight / boost.scale,
                    "missing": 0,
                },
            }
        )
        functions.append({"filter": {"range": {boost.field: {"gte": boost.scale}}}, "weight": boost.weight})
    return {
        "function_score": {
            "query": query,
            "functions": functions,
            "score_mode": "sum",
            "boost_mode": "multiply",
        }
    }


def _sort(index: IndexDefinition, query: SearchQuery) -> list:
    sort = index.sort(query.sort)
    if sort.name == "distance":
        point = {"lat": query.near.latitude, "lon": query.near.longitude}
        first = {"_geo_distance": {"location": point, "order": "asc", "unit": "km", "distance_type": "arc"}}
    elif sort.field is None:
        first = {"_score": {"order": "desc"}}
    else:
        first = {sort.field: {"order": "desc" if sort.descending else "asc", "missing": "_last"}}
    return [first, {"id": {"order": "asc"}}]


def search_body(index: IndexDefinition, query: SearchQuery) -> dict:
    """Filters on faceted fields go to ``post_filter``, so the facets (aggregations, which see the
    query but not the post filter) can each apply all of them but their own."""
    filters = [{"terms": {"audience": sorted(query.audience)}}]
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
        filters.append({"range": {bounds.field: limits}} if limits else {"exists": {"field": bounds.field}})
    if query.near is not None:
        filters.append(_near_clause(query.near))
    text = _text_clauses(index, query.text)
    matched = {"bool": {"must": text or [{"match_all": {}}], "filter": filters}}
    body = {
        "query": _ranked(index, matched) if query.sort == "relevance" else matched,
        "sort": _sort(index, query),
        "size": query.limit,
        "track_total_hits": True,
        "_source": ["location"] if query.near is not None else False,
    }
    if query.after is not None:
        body["search_after"] = list(query.after)
    else:
        body["from"] = query.offset
    if faceted:
        body["post_filter"] = {"bool": {"filter": [_terms_clause(terms) for terms in faceted]}}
    if query.facets:
        body["aggs"] = {facet: _facet_aggregation(facet, faceted) for facet in query.facets}
    highlighted = [field.name for field in index.fields_of(Kind.TEXT) if field.highlight]
    if query.highlight and text and highlighted:
        body["highlight"] = {
            "pre_tags": ["<mark>"],
            "post_tags": ["</mark>"],
            "encoder": "html",
            "fields": {name: {"fragment_size": 200, "number_of_fragments": 1} for name in highlighted},
        }
    return body


def _facet_aggregation(facet: str, faceted: list[Terms]) -> dict:
    others = [_terms_clause(terms) for terms in faceted if terms.field != facet]
    order = [{"_count": "desc"}, {"_key": "asc"}]
    return {
        "filter": {"bool": {"filter": others}} if others else {"match_all": {}},
        "aggs": {"values": {"terms": {"field": facet, "size": FACET_SIZE, "order": order}}},
    }


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


def autocomplete_body(index: IndexDefinition, query: AutocompleteQuery) -> dict | None:
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
    match = {"match": {f"{field.name}.autocomplete": {"query": " ".join(words), "operator": "and"}}}
    return {
        "query": {"bool": {"must": [match], "filter": [{"terms": {"audience": sorted(query.audience)}}]}},
        "sort": [{"_score": {"order": "desc"}}, {"id": {"order": "asc"}}],
        "size": query.limit,
        "_source": [field.name],
    }
