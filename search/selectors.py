"""Reads: a search answered by the engine, then hydrated through a visibility selector.

The engine already keeps each viewer to their audience; hydrating through the app's own selector
(``profiles_visible_to``, ``jobs_visible_to``) checks every hit again, so a stale index copy can
show a row to nobody who may not see it. A hit the selector drops is left out (and logged: the
reconciler will catch the drift).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import structlog
from django.db.models import QuerySet

from marketplace.core.exceptions import NotFound

from .backends import get_search_backend
from .indexes import index_named
from .models import SavedSearch
from .types import FacetCount, Hit, SearchQuery

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class Found:
    """``rows``: the page's objects in the engine's order, each visible to the viewer; ``hits``:
    the engine's hit for each row by id (highlights, distance); ``total`` and ``facets`` as the
    engine counted them for this viewer; ``next_after``: the cursor of the page's last hit, or
    None on the last page."""

    rows: list[Any]
    hits: Mapping[int, Hit]
    total: int
    facets: Mapping[str, tuple[FacetCount, ...]]
    next_after: tuple | None


def search_visible(*, index: str, query: SearchQuery, visible: QuerySet, load: Callable[..., list]) -> Found:
    """Run ``query`` on ``index``; ``load(ids, within=visible)`` the hits into rows, in order, keeping
    only those ``visible`` holds (one query checks and loads). Raises ``SearchUnavailable`` when the
    engine is down."""
    results = get_search_backend().search(index_named(index), query)
    ids = [hit.id for hit in results.hits]
    rows = load(ids, within=visible) if ids else []
    allowed = {row.pk for row in rows}
    if len(allowed) < len(ids):
        log.warning("search.hits_not_visible", index=index, dropped=sorted(set(ids) - allowed))
    # Past a cursor the engine does not say how many are left: a full page may be followed by none.
    more = len(results.hits) == query.limit and (
        query.after is not None or query.offset + query.limit < results.total
    )
    return Found(
        rows=rows,
        hits={hit.id: hit for hit in results.hits if hit.id in allowed},
        total=results.total,
        facets=results.facets,
        next_after=results.hits[-1].cursor if more and results.hits else None,
    )


def saved_searches_of(user) -> QuerySet[SavedSearch]:
    """The person's saved job searches, newest first."""
    return SavedSearch.objects.filter(user=user).order_by("-created_at", "-pk")


def saved_search_of(*, pk: int, user) -> SavedSearch:
    """One of the person's saved searches; anyone else's answers as none (``NotFound``)."""
    found = saved_searches_of(user).filter(pk=pk).first()
    if found is None:
        raise NotFound("No such saved search.", code="saved_search_not_found")
    return found
