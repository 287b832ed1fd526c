"""What every backend refuses before it asks its engine: names a query uses that its index does not
declare, or declares as something else (``InvalidQuery``: a programming error, not user input)."""

from ..indexes.base import IndexDefinition, Kind, Sort
from ..types import SearchQuery
from .base import InvalidQuery


def checked_sort(index: IndexDefinition, query: SearchQuery) -> Sort:
    """Check ``query`` against ``index``; answers the declared sort it asks for."""

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
    return sort
