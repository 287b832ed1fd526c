"""The neutral values every search backend takes and answers: frozen, so a query is a value.

No backend type leaks out of a backend module: pages, the API and the tasks speak only these.
Dates are whole seconds since the epoch (UTC); money is integer minor units; distances are km.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

# Every field value a document may hold: text, a keyword (or a list of them), a number, or nothing.
FieldValue = str | int | float | tuple[str, ...] | None


@dataclass(frozen=True)
class Document:
    """One object as an index holds it (built by the index definition, never by a backend).

    ``audience``: the tokens of the viewers who may find it (``search.audience``); a query finds
    the document only when it shares one of them. ``location``: (latitude, longitude) or None.
    ``version``: a digest of everything above, so the reconciler can tell a stale copy.
    """

    id: int
    fields: Mapping[str, FieldValue]
    audience: frozenset[str]
    location: tuple[float, float] | None = None
    version: str = ""


@dataclass(frozen=True)
class Terms:
    """Keep documents whose keyword field holds any (``match="any"``) or all (``"all"``) of ``values``."""

    field: str
    values: tuple[str, ...]
    match: str = "any"


@dataclass(frozen=True)
class Range:
    """Keep documents whose number field lies in [gte, lte]; a bound of None is open. A document
    without a value never matches a range."""

    field: str
    gte: int | float | None = None
    lte: int | float | None = None


@dataclass(frozen=True)
class Near:
    """Keep documents within ``radius_km`` (great-circle) of a point; with ``or_without_location``
    a document that has no location (remote work) matches too. Hits then carry their distance."""

    latitude: float
    longitude: float
    radius_km: float
    or_without_location: bool = False


@dataclass(frozen=True)
class SearchQuery:
    """What to find, for whom, and how to answer.

    ``text``: full text over the index's text fields (boosted; English stemming; a term of 5 or
    more letters also matches words one edit away). Every term must match, each in any text field
    ("django berlin" finds a Django developer whose bio says Berlin). Characters that are query syntax
    to an engine (quotes, ``*``, ``-``, ``:``, parentheses, ``OR``/``NEAR``) are plain text here and never
    an error. Empty: every document passes the text part and its relevance is 1.
    ``audience``: the viewer's tokens; always required, there is no "everyone".
    ``facets``: keyword fields to count; a facet's counts apply every filter except the ``Terms``
    on that same field (so choosing one value does not hide the others), and always the audience.
    ``sort``: one of the index's sorts. Paging: ``offset``/``limit``, or ``after`` (a hit's
    ``cursor`` from the previous page), which stays fast however deep.
    """

    audience: frozenset[str]
    text: str = ""
    terms: tuple[Terms, ...] = ()
    ranges: tuple[Range, ...] = ()
    near: Near | None = None
    facets: tuple[str, ...] = ()
    sort: str = "relevance"
    limit: int = 20
    offset: int = 0
    after: tuple | None = None
    highlight: bool = False


@dataclass(frozen=True)
class Hit:
    """A found document: its id, its highlighted fragments — ``(field, html)`` pairs, where html is
    the escaped text with matched words in ``<mark>``…``</mark>`` and no other markup — its distance
    from ``Near`` when the query had one, and the ``cursor`` that asks for the hits after it."""

    id: int
    highlights: tuple[tuple[str, str], ...] = ()
    distance_km: float | None = None
    cursor: tuple = ()


@dataclass(frozen=True)
class FacetCount:
    value: str
    count: int


@dataclass(frozen=True)
class SearchResults:
    """``total``: every document matching (not only this page). ``facets``: per asked field, its
    values with counts, most frequent first (ties by value), values with no document left out."""

    hits: tuple[Hit, ...]
    total: int
    facets: Mapping[str, tuple[FacetCount, ...]] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class AutocompleteQuery:
    """Documents whose ``field`` has a word starting with ``prefix`` (case-insensitive), for the
    audience; at most ``limit`` of them, the most relevant first."""

    field: str
    prefix: str
    audience: frozenset[str]
    limit: int = 8


@dataclass(frozen=True)
class Suggestion:
    id: int
    text: str
