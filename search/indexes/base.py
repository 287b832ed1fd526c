"""What an index declares: its fields, sorts and ranking. Only declared fields can be searched,
filtered, faceted or sorted; a backend maps them to its own storage."""

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from ..types import Document, FieldValue


class Kind(StrEnum):
    TEXT = "text"  # full text, English stemming; ``boost`` weighs a match
    KEYWORD = "keyword"  # exact values (a str or a tuple of them): ``Terms`` filters, facets
    NUMBER = "number"  # int or float: ``Range`` filters, sorts, ranking


@dataclass(frozen=True)
class Field:
    name: str
    kind: Kind
    boost: float = 1.0  # text: how much a match here weighs against the other text fields
    highlight: bool = False  # text: hits carry its highlighted fragment
    autocomplete: bool = False  # text: ``AutocompleteQuery`` may ask for it
    facet: bool = False  # keyword: ``SearchQuery.facets`` may count it


@dataclass(frozen=True)
class Sort:
    """``field`` None: the special sorts ``relevance`` (rank score, highest first) and ``distance``
    (nearest first; needs ``Near``). Ties go to the lower id. Missing values sort last either way."""

    name: str
    field: str | None = None
    descending: bool = False


@dataclass(frozen=True)
class RankBoost:
    """``weight * min(value, scale) / scale`` added to the rank factor; a missing value adds 0."""

    field: str
    scale: float
    weight: float


@dataclass(frozen=True)
class IndexDefinition:
    """An index: ``documents(ids)`` builds the documents of those of ``ids`` that belong in it (the
    others are to be deleted from it); ``indexable_ids()`` answers every id that belongs in it.

    Rank score (sort ``relevance``) = text relevance * (``rank_base`` + Σ boosts); the text
    relevance is the backend's own (1 when the query has no text).
    """

    name: str
    fields: tuple[Field, ...]
    sorts: tuple[Sort, ...]
    documents: Callable[[Sequence[int]], list[Document]]
    indexable_ids: Callable[[], Iterable[int]]
    rank_base: float = 1.0
    rank_boosts: tuple[RankBoost, ...] = ()

    def field(self, name: str) -> Field:
        for declared in self.fields:
            if declared.name == name:
                return declared
        raise KeyError(f"{self.name} declares no field {name!r}")

    def fields_of(self, kind: Kind) -> tuple[Field, ...]:
        return tuple(declared for declared in self.fields if declared.kind == kind)

    def sort(self, name: str) -> Sort:
        for declared in self.sorts:
            if declared.name == name:
                return declared
        raise KeyError(f"{self.name} declares no sort {name!r}")


def document(
    *, id: int, fields: dict[str, FieldValue], audience: Iterable[str], location: tuple[float, float] | None
) -> Document:
    """A document with its version: a digest of all it holds, so equal content has equal versions."""
    audience = frozenset(audience)
    content = json.dumps([fields, sorted(audience), location], sort_keys=True, default=str)
    version = hashlib.sha1(content.encode(), usedforsecurity=False).hexdigest()
    return Document(id=id, fields=fields, audience=audience, location=location, version=version)
