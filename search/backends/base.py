"""The backend contract. Every backend passes the one suite in ``tests/search/contract/``.

A backend stores documents per index (``IndexDefinition.name``) and answers queries over them. It
never reads our models: documents come built (``IndexDefinition.documents``), results go out as ids.
Writes are upserts by id; a write for a document the backend already holds at that ``version`` may
be skipped. Everything it raises for an unreachable or failing engine is ``SearchUnavailable``.
"""

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable

from ..indexes.base import IndexDefinition
from ..types import AutocompleteQuery, Document, SearchQuery, SearchResults, Suggestion


class SearchUnavailable(Exception):
    """The search engine cannot be reached or failed; callers retry writes and show reads as down."""


class InvalidQuery(ValueError):
    """A query names a field, facet or sort its index does not declare, or mixes them wrongly
    (e.g. ``distance`` without ``Near``): a programming error, not the user's input."""


class SearchBackend(ABC):
    def __init__(self, alias: str, options: dict):
        self.alias = alias
        self.options = options

    @abstractmethod
    def index(self, index: IndexDefinition, documents: Iterable[Document]) -> None:
        """Add or replace these documents (bulk)."""

    @abstractmethod
    def delete(self, index: IndexDefinition, ids: Iterable[int]) -> None:
        """Remove these ids; ids it does not hold are ignored."""

    @abstractmethod
    def search(self, index: IndexDefinition, query: SearchQuery) -> SearchResults: ...

    @abstractmethod
    def autocomplete(self, index: IndexDefinition, query: AutocompleteQuery) -> tuple[Suggestion, ...]: ...

    @abstractmethod
    def rebuild(
        self,
        index: IndexDefinition,
        documents: Iterable[Document],
        *,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        """Build the index anew from ``documents`` beside the live one, then swap it in atomically:
        readers see the old index until the swap, then the new one, never an empty or half one.
        ``progress(n)`` is called as each batch of n documents is written."""

    @abstractmethod
    def refresh(self, index: IndexDefinition) -> None:
        """Make every write so far visible to searches (a no-op where writes are visible at once)."""

    @abstractmethod
    def versions(self, index: IndexDefinition) -> dict[int, str]:
        """Every held id with its document's version: what the reconciler compares."""

    @abstractmethod
    def check(self) -> None:
        """Raise ``SearchUnavailable`` unless the engine answers (the readiness check)."""

    @abstractmethod
    def drop(self, index: IndexDefinition) -> None:
        """Remove the index and everything in it (tests, and a rebuild's leftovers)."""
