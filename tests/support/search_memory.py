"""A search backend that keeps documents in memory, for the tests of the pipeline around the
engines (receivers, the outbox, the reconciler, the rebuild command). It answers what the pipeline
uses (writes, ``versions``, ``check``) and nothing of searching, which the contract suite covers on
the real engines. ``gate``: an optional ``threading.Event`` pair that ``index`` waits on, for race
tests (``entered`` set on arrival, then it waits for ``release``)."""

import threading
from collections.abc import Callable, Iterable

from search.backends import SearchBackend
from search.indexes import IndexDefinition
from search.models import PendingIndexUpdate
from search.types import Document

PATH = "tests.support.search_memory.MemorySearchBackend"


class MemorySearchBackend(SearchBackend):
    def __init__(self, alias: str, options: dict):
        super().__init__(alias, options)
        self.held: dict[str, dict[int, Document]] = {}
        self.entered: threading.Event | None = None
        self.release: threading.Event | None = None

    def documents(self, name: str) -> dict[int, Document]:
        return self.held.get(name, {})

    def index(self, index: IndexDefinition, documents: Iterable[Document]) -> None:
        documents = list(documents)
        if self.entered is not None:
            self.entered.set()
            assert self.release.wait(timeout=30), "the test never released the send"
        self.held.setdefault(index.name, {}).update({document.id: document for document in documents})

    def delete(self, index: IndexDefinition, ids: Iterable[int]) -> None:
        for object_id in ids:
            self.held.get(index.name, {}).pop(object_id, None)

    def search(self, index, query):
        raise NotImplementedError("the memory backend does not search")

    def autocomplete(self, index, query):
        raise NotImplementedError("the memory backend does not search")

    def rebuild(
        self,
        index: IndexDefinition,
        documents: Iterable[Document],
        *,
        progress: Callable[[int], None] | None = None,
    ) -> None:
        built: dict[int, Document] = {}
        for document in documents:
            built[document.id] = document
            if progress is not None:
                progress(1)
        self.held[index.name] = built

    def refresh(self, index: IndexDefinition) -> None:
        pass

    def versions(self, index: IndexDefinition) -> dict[int, str]:
        return {object_id: document.version for object_id, document in self.documents(index.name).items()}

    def check(self) -> None:
        pass

    def drop(self, index: IndexDefinition) -> None:
        self.held.pop(index.name, None)


def pending(index: str) -> set[int]:
    """The ids of ``index`` waiting in the outbox."""
    return set(PendingIndexUpdate.objects.filter(index=index).values_list("object_id", flat=True))


def pending_cleared() -> None:
    PendingIndexUpdate.objects.all().delete()
