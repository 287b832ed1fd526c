"""Job search for freelancers: validated parameters, the ``SearchQuery`` they make on the jobs index,
and the search itself, answered by the engine for the viewer's audience and hydrated through
``jobs_visible_to(viewer)`` (open jobs only) and ``job_rows``.

Parameters arrive as people type them (``JobSearchForm`` in ``search.jobs.params``); a ``JobSearch`` holds
them checked and converted: budgets in minor units, the city as a point. Budget bounds follow the jobs
index's rule: "at least X" is ``budget_high >= X`` and "at most Y" is ``budget_low <= Y``, for fixed
prices and hourly ranges alike (``jobs.selectors.jobs_matching`` filters the same way).
"""

from dataclasses import dataclass, replace
from datetime import datetime

from django.core import signing
from django.utils import timezone

from marketplace.jobs.models import Job
from marketplace.jobs.selectors import job_rows, jobs_visible_to

from ..audience import viewer_audience
from ..selectors import Found, search_visible
from ..types import Near, Range, SearchQuery, Terms

INDEX = "jobs"
FACETS = ("skills", "category", "budget_type", "location_type", "experience_level")
PER_PAGE = 20
# Deep pages by number stop here; the API's cursor goes on however deep.
MAX_PAGE = 250
REMOTE, NEAR, REMOTE_OR_NEAR = "remote", "near", "remote_or_near"
CURSOR_SALT = "search.jobs.cursor"


@dataclass(frozen=True)
class JobSearch:
    """One job search, checked: what ``JobSearchForm.search()`` answers and saved searches rerun."""

    text: str = ""
    skills: tuple[str, ...] = ()  # skill slugs; a job needs any of them
    budget_min: int | None = None  # minor units
    budget_max: int | None = None
    currency: str = ""
    budget_type: str = ""
    posted_within_days: int | None = None
    min_client_rating: float | None = None
    categories: tuple[str, ...] = ()
    experience_levels: tuple[str, ...] = ()
    location_types: tuple[str, ...] = ()
    location: str = ""  # "", REMOTE, NEAR or REMOTE_OR_NEAR
    near: tuple[float, float] | None = None  # the chosen city's (latitude, longitude)
    radius_km: int | None = None
    sort: str = ""  # "" picks relevance with text, distance near a city, else newest
    opened_since: datetime | None = None  # saved-search alerts: only jobs opened from then on

    @property
    def effective_sort(self) -> str:
        if self.sort:
            return self.sort
        if self.text:
            return "relevance"
        return "distance" if self.location == NEAR else "newest"

    @property
    def filtered(self) -> bool:
        """Whether anything narrows the list (the page says "match these filters" then)."""
        return self != JobSearch(sort=self.sort)

    def query(
        self,
        audience: frozenset[str],
        *,
        limit: int = PER_PAGE,
        offset: int = 0,
        after: tuple | None = None,
        facets: tuple[str, ...] = FACETS,
        highlight: bool = True,
        now: datetime | None = None,
    ) -> SearchQuery:
        return SearchQuery(
            audience=audience,
            text=self.text,
            terms=self._terms(),
            ranges=self._ranges(now or timezone.now()),
            near=self._near(),
            facets=facets,
            sort=self.effective_sort,
            limit=limit,
            offset=offset,
            after=after,
            highlight=highlight,
        )

    def _terms(self) -> tuple[Terms, ...]:
        location_types = (Job.LocationType.REMOTE,) if self.location == REMOTE else self.location_types
        chosen = (
            ("skills", self.skills),
            ("category", self.categories),
            ("budget_type", (self.budget_type,) if self.budget_type else ()),
            ("experience_level", self.experience_levels),
            ("location_type", tuple(location_types)),
            ("currency", (self.currency,) if self.currency else ()),
        )
        return tuple(Terms(field, tuple(values)) for field, values in chosen if values)

    def _ranges(self, now: datetime) -> tuple[Range, ...]:
        ranges = []
        if self.budget_min is not None:
            ranges.append(Range("budget_high", gte=self.budget_min))
        if self.budget_max is not None:
            ranges.append(Range("budget_low", lte=self.budget_max))
        since = []
        if self.posted_within_days:
            since.append(int(now.timestamp()) - self.posted_within_days * 86_400)
        if self.opened_since is not None:
            since.append(int(self.opened_since.timestamp()))
        if since:
            ranges.append(Range("opened", gte=max(since)))
        if self.min_client_rating is not None:
            ranges.append(Range("client_rating", gte=self.min_client_rating))
        return tuple(ranges)

    def _near(self) -> Near | None:
        if self.location not in (NEAR, REMOTE_OR_NEAR) or self.near is None:
            return None
        latitude, longitude = self.near
        return Near(latitude, longitude, float(self.radius_km or 50), self.location == REMOTE_OR_NEAR)


def search_jobs(
    *,
    viewer,
    search: JobSearch,
    limit: int = PER_PAGE,
    offset: int = 0,
    after: tuple | None = None,
    facets: tuple[str, ...] = FACETS,
    highlight: bool = True,
) -> Found:
    """The open jobs ``viewer`` may see that match ``search``: one page of rows (``job_rows``),
    their hits, the total and the facets. Raises ``SearchUnavailable`` when the engine is down."""
    query = search.query(
        viewer_audience(viewer), limit=limit, offset=offset, after=after, facets=facets, highlight=highlight
    )
    visible = jobs_visible_to(viewer).filter(status=Job.Status.OPEN)
    return search_visible(index=INDEX, query=query, visible=visible, load=job_rows)


def search_jobs_page(*, viewer, search: JobSearch, page: int, per_page: int = PER_PAGE) -> tuple[Found, int]:
    """Page ``page`` (1-based) of the results, or the last page when ``page`` is past the end:
    (found, the page number answered)."""
    page = max(1, min(page, MAX_PAGE))
    found = search_jobs(viewer=viewer, search=search, limit=per_page, offset=(page - 1) * per_page)
    last = max(1, min(MAX_PAGE, -(-found.total // per_page)))
    if page > last:
        page = last
        found = search_jobs(viewer=viewer, search=search, limit=per_page, offset=(page - 1) * per_page)
    return found, page


def encode_cursor(search: JobSearch, after: tuple | None) -> str | None:
    """An opaque, signed cursor for the API's next page: bound to the sort it was made under, so a
    tampered or mismatched one is refused instead of reaching the engine."""
    if after is None:
        return None
    return signing.dumps(
        {"sort": search.effective_sort, "after": list(after)}, salt=CURSOR_SALT, compress=True
    )


def decode_cursor(search: JobSearch, cursor: str) -> tuple | None:
    """The ``after`` of a cursor from ``encode_cursor``; None when it is not one for this sort."""
    try:
        data = signing.loads(cursor, salt=CURSOR_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("sort") != search.effective_sort:
        return None
    after = data.get("after")
    return tuple(after) if isinstance(after, list) else None


def for_alerts(search: JobSearch, *, opened_since: datetime) -> JobSearch:
    """The same search as an alert asks it: newest first, only jobs opened from ``opened_since``."""
    return replace(search, sort="newest", opened_since=opened_since)
