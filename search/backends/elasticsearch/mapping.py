"""What an Elasticsearch index holds, declared with elasticsearch-dsl: the analyzers, the mapping built
from the ``IndexDefinition``, and the stored form of a document. No client here: ``backend`` creates
the index from ``index_for`` with its own.

Every document holds its declared fields under their own names, plus ``id`` (long: the tie-break of
every sort), ``audience`` (keyword: the tokens that may find it), ``location`` (geo_point) and
``version`` (keyword, for the reconciler).
"""

from elasticsearch_dsl import Double, GeoPoint, Index, Keyword, Long, Mapping, Text, analyzer, token_filter

from ...indexes.base import IndexDefinition, Kind
from ...types import Document

AUTOCOMPLETE_MAX_GRAM = 20

# Autocomplete indexes every prefix of a word (up to 20 letters) and cuts the words typed to as many,
# so a prefix finds the words it begins.
AUTOCOMPLETE = analyzer(
    "autocomplete",
    tokenizer="standard",
    filter=[
        "lowercase",
        "asciifolding",
        token_filter("autocomplete_prefixes", "edge_ngram", min_gram=1, max_gram=AUTOCOMPLETE_MAX_GRAM),
    ],
)
AUTOCOMPLETE_SEARCH = analyzer(
    "autocomplete_search",
    tokenizer="standard",
    filter=[
        "lowercase",
        "asciifolding",
        token_filter("autocomplete_truncate", "truncate", length=AUTOCOMPLETE_MAX_GRAM),
    ],
)


def _field(kind: Kind, autocomplete: bool):
    if kind == Kind.KEYWORD:
        return Keyword()
    if kind == Kind.NUMBER:
        return Double()
    if not autocomplete:
        return Text(analyzer="english")
    return Text(
        analyzer="english",
        fields={"autocomplete": Text(analyzer=AUTOCOMPLETE, search_analyzer=AUTOCOMPLETE_SEARCH)},
    )


def mapping(index: IndexDefinition) -> Mapping:
    declared = Mapping()
    declared.meta("dynamic", "strict")
    declared.field("id", Long())
    declared.field("audience", Keyword())
    declared.field("location", GeoPoint())
    declared.field("version", Keyword())
    for field in index.fields:
        declared.field(field.name, _field(field.kind, field.autocomplete))
    return declared


def index_for(index: IndexDefinition, name: str) -> Index:
    """The index ``name`` (one generation) with its settings and mapping. Both autocomplete analyzers
    are declared on every index, used by a field or not, so all generations share one analysis."""
    generation = Index(name)
    generation.analyzer(AUTOCOMPLETE)
    generation.analyzer(AUTOCOMPLETE_SEARCH)
    generation.mapping(mapping(index))
    return generation


def source(document: Document) -> dict:
    """The stored form of a document: values of None are left out (missing, as the engine sees it)."""
    stored = {name: value for name, value in document.fields.items() if value is not None}
    stored.update(id=document.id, audience=sorted(document.audience), version=document.version)
    if document.location is not None:
        stored["location"] = {"lat": document.location[0], "lon": document.location[1]}
    return stored
