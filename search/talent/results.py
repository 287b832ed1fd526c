"""Talent search for a viewer: the checked parameters as a query on the talent index, answered
through ``search_visible`` (the engine keeps to the viewer's audience, ``profiles_visible_to`` checks
every hit again), and the facets labelled for people. The page and the API both call ``talent_search``.

Costs a fixed number of queries whatever the page holds: the viewer's audience (two), the search
itself, the visibility check, the page's rows (three: ``profile_rows``) and the skills' names (one).
"""

from dataclasses import dataclass

from django.db.models import Q

from marketplace.accounts.models import Badge, FreelancerProfile, Skill
from marketplace.accounts.reference_data import country_names
from marketplace.accounts.selectors import profile_rows, profiles_visible_to, skill_names

from ..audience import viewer_audience
from ..backends import get_search_backend
from ..indexes import index_named
from ..selectors import search_visible
from ..types import AutocompleteQuery, Near, Range, SearchQuery, Terms
from .params import DEFAULT_RADIUS_KM, MAX_PAGES, PER_PAGE, TalentSearchForm, encode_cursor

FACETS = ("skills", "country", "availability", "badges")
FACET_LIMIT = 12
AUTOCOMPLETE_LIMIT = 6


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class TalentPage:
    """``profiles``: the page's rows, each with ``hit`` (highlights, distance) set; ``page``: its number,
    or None past the numbered pages; ``pages``: how many numbered pages there are (at most
    ``MAX_PAGES``); ``next_after``: the signed cursor of the page after this one, or None at the end."""

    profiles: list
    total: int
    facets: dict[str, list[FacetValue]]
    page: int | None
    pages: int
    next_after: str | None


def talent_query(form: TalentSearchForm, audience: frozenset[str]) -> SearchQuery:
    data = form.cleaned_data
    terms = []
    if data.get("skills"):
        terms.append(
            Terms("skills", tuple(skill.slug for skill in data["skills"]), data["skills_match"] or "all")
        )
    for name in ("country", "availability"):
        if data.get(name):
            terms.append(Terms(name, tuple(data[name])))
    if data.get("badges"):
        terms.append(Terms("badges", tuple(data["badges"]), "all"))
    if data.get("currency"):
        terms.append(Terms("currency", (data["currency"],)))
    if data.get("pool"):
        terms.append(Terms("pools", (str(data["pool"].pk),)))
    ranges = []
    low, high = form.rate_minor(data.get("rate_min")), form.rate_minor(data.get("rate_max"))
    if low is not None or high is not None:
        ranges.append(Range("rate", low, high))
    if data.get("min_rating") is not None:
        ranges.append(Range("rating", float(data["min_rating"]), None))
    if data.get("min_jss") is not None:
        ranges.append(Range("jss", data["min_jss"], None))
    city = data.get("near")
    near = (
        Near(city.latitude, city.longitude, float(data.get("radius") or DEFAULT_RADIUS_KM)) if city else None
    )
    page = data.get("page") or 1
    return SearchQuery(
        audience=audience,
        text=data.get("q") or "",
        terms=tuple(terms),
        ranges=tuple(ranges),
        near=near,
        facets=FACETS,
        sort=data.get("sort") or "relevance",
        limit=PER_PAGE,
        offset=0 if data.get("after") else (page - 1) * PER_PAGE,
        after=data.get("after"),
        highlight=True,
    )


def talent_search(*, viewer, form: TalentSearchForm) -> TalentPage:
    """Search for ``viewer`` with a valid ``form``. Raises ``SearchUnavailable`` when the engine is down."""
    query = talent_query(form, viewer_audience(viewer))
    found = search_visible(
        index="talent", query=query, visible=profiles_visible_to(viewer), load=profile_rows
    )
    for profile in found.rows:
        profile.hit = found.hits[profile.pk]
        profile.highlight = dict(profile.hit.highlights)
    numbered = query.after is None
    return TalentPage(
        profiles=found.rows,
        total=found.total,
        facets=_labelled(found.facets, form.cleaned_data),
        page=(query.offset // PER_PAGE + 1) if numbered else None,
        pages=min(MAX_PAGES, -(-found.total // PER_PAGE)),
        next_after=encode_cursor(found.next_after) if found.next_after else None,
    )


def _labelled(facets, data: dict) -> dict[str, list[FacetValue]]:
    """Each facet's values (the most frequent first), with the values the viewer chose even when no
    profile is left with them, so they can be unticked."""
    chosen = {
        "skills": [skill.slug for skill in data.get("skills") or ()],
        "country": list(data.get("country") or ()),
        "availability": list(data.get("availability") or ()),
        "badges": list(data.get("badges") or ()),
    }
    counts = {name: [(c.value, c.count) for c in facets.get(name, ())][:FACET_LIMIT] for name in FACETS}
    for name, values in chosen.items():
        shown = {value for value, _ in counts[name]}
        counts[name] += [(value, 0) for value in values if value not in shown]
    slugs = [value for value, _ in counts["skills"]]
    labels = {
        "skills": skill_names(slugs),
        "country": country_names(),
        "availability": dict(FreelancerProfile.Availability.choices),
        "badges": dict(Badge.Kind.choices),
    }
    return {
        name: [
            FacetValue(value, labels[name].get(value, value), count, value in chosen[name])
            for value, count in counts[name]
        ]
        for name in FACETS
    }


@dataclass(frozen=True)
class Suggestions:
    skills: list  # Skill rows
    people: list  # FreelancerProfile rows the viewer may see


def talent_suggestions(*, viewer, prefix: str) -> Suggestions:
    """Skills of the taxonomy (public) with a word starting with ``prefix``, and the names of the
    people the viewer may find (the engine's audience, checked again through ``profiles_visible_to``).
    Raises ``SearchUnavailable`` for the names when the engine is down."""
    prefix = prefix.strip()[:50]
    if len(prefix) < 2 or "\x00" in prefix:
        return Suggestions([], [])
    skills = list(
        Skill.objects.filter(Q(name__istartswith=prefix) | Q(name__icontains=f" {prefix}")).order_by("name")[
            :AUTOCOMPLETE_LIMIT
        ]
    )
    query = AutocompleteQuery("name", prefix, viewer_audience(viewer), AUTOCOMPLETE_LIMIT)
    suggested = get_search_backend().autocomplete(index_named("talent"), query)
    ids = [suggestion.id for suggestion in suggested]
    visible = profiles_visible_to(viewer).filter(pk__in=ids).prefetch_related(None) if ids else []
    by_id = {profile.pk: profile for profile in visible}
    return Suggestions(skills, [by_id[pk] for pk in ids if pk in by_id])
