"""The indexes, by name: ``index_named("talent")``, ``all_indexes()``."""

from .base import Field, IndexDefinition, Kind, RankBoost, Sort
from .jobs import jobs_index
from .talent import talent_index

_BUILDERS = {"talent": talent_index, "jobs": jobs_index}


def index_named(name: str) -> IndexDefinition:
    return _BUILDERS[name]()


def all_indexes() -> list[IndexDefinition]:
    return [build() for build in _BUILDERS.values()]


__all__ = ["Field", "IndexDefinition", "Kind", "RankBoost", "Sort", "all_indexes", "index_named"]
