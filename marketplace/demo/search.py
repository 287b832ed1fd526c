"""The search indexes after seeding: built anew from every row, so the demo's people and jobs are
found at once whatever the receivers sent while seeding (and a database seeded before search
existed, or a search file that was removed, is indexed on the next ``make run``)."""

from search.backends import SearchUnavailable
from search.indexes import all_indexes
from search.services.indexing import index_rebuild


def search_rebuild() -> dict[str, int] | str:
    """How many documents each index holds now, or why the engine could not build them."""
    try:
        return {definition.name: index_rebuild(index=definition.name) for definition in all_indexes()}
    except SearchUnavailable as exc:
        return str(exc)
