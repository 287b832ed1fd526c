"""Find work: the job search page (``/jobs/``) for freelancers, answered by the jobs index
(``search.jobs.results``), with live facet counts (htmx), highlighted snippets and pages; and the
person's saved searches (save, run, rename, alerts on or off, delete).

Anonymous visitors' answers are cached briefly (``frontend.public_pages``, the ``jobs.find_work``
list, which every write to the jobs index bumps: ``search.public_lists``). A search engine that is
down shows a friendly message, never an error page.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect

from marketplace.accounts.selectors import skill_names
from marketplace.core.exceptions import DomainError, NotFound
from marketplace.jobs.models import BudgetType, Category, ExperienceLevel, LocationType
from marketplace.jobs.public_lists import FIND_WORK
from search import selectors as search_selectors
from search.backends import SearchUnavailable
from search.jobs.params import JobSearchForm, parameters_of
from search.jobs.results import MAX_PAGE, PER_PAGE, JobSearch, search_jobs_page
from search.services.saved_searches import saved_search_create, saved_search_delete, saved_search_update

from ..public_pages import cached_public_page
from ..refusals import flash_unless_refused
from .helpers import query_without_page

SKILLS_SHOWN = 12  # the most frequent skills; the ticked ones are always shown too
LABELS = {
    "category": dict(Category.choices),
    "budget_type": dict(BudgetType.choices),
    "experience_level": dict(ExperienceLevel.choices),
    "location_type": dict(LocationType.choices),
}


class _Counted:
    """What ``Paginator`` needs of a list it never reads: its length (the engine's total)."""

    def __init__(self, total: int):
        self.total = total

    def count(self) -> int:
        return self.total


def _page(rows: list, number: int, total: int) -> Page:
    """The results as a Django ``Page`` (the pagination include's shape), at most ``MAX_PAGE`` pages."""
    return Page(rows, number, Paginator(_Counted(min(total, MAX_PAGE * PER_PAGE)), PER_PAGE))


def _page_number(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("page", 1))
    except ValueError:
        return 1


def _facets(found, form: JobSearchForm, skill_names: dict[str, str]) -> dict[str, list[dict]]:
    """Each facet's values with their counts and whether chosen; chosen values with no job left
    stay listed (count 0), so they can be unticked."""
    chosen = {
        "skills": set(form["skills"].value() or ()),
        "category": set(form["category"].value() or ()),
        "budget_type": {form["budget_type"].value() or ""},
        "experience_level": set(form["experience_level"].value() or ()),
        "location_type": set(form["location_type"].value() or ()),
    }
    facets = {}
    for field, picked in chosen.items():
        counts = {facet.value: facet.count for facet in (found.facets.get(field, ()) if found else ())}
        values = list(counts)
        if field == "skills":
            values = values[:SKILLS_SHOWN]
        values += [value for value in sorted(picked) if value and value not in values]
        labels = skill_names if field == "skills" else LABELS[field]
        facets[field] = [
            {
                "value": value,
                "label": labels.get(value, value),
                "count": counts.get(value, 0),
                "checked": value in picked,
            }
            for value in values
            if value in labels
        ]
    return facets


def _results(found) -> list[dict]:
    """Each row with its highlighted title and snippet (the engine's html: escaped text and
    ``<mark>`` only, per ``search.types.Hit``) and its distance."""
    results = []
    for job in found.rows:
        hit = found.hits[job.pk]
        marked = {field: mark_safe(html) for field, html in hit.highlights}  # noqa: S308 (escaped + <mark>)
        results.append(
            {
                "job": job,
                "title_html": marked.get("title"),
                "snippet_html": marked.get("description"),
                "distance_km": hit.distance_km,
            }
        )
    return results


@cached_public_page(FIND_WORK)
def find_work(request: HttpRequest) -> HttpResponse:
    """Open jobs the viewer may see (anonymous visitors: public ones), searched, filtered and paged."""
    form = JobSearchForm(request.GET or None)
    search = JobSearch()
    live = request.htmx and not request.htmx.boosted
    if form.is_bound:
        if not form.is_valid() and live:
            # An error is a page of its own ("Error:" in the title, focus on the summary), as
            # without script: the live update would change neither.
            return HttpResponseClientRedirect(request.get_full_path())
        search = form.search()  # a parameter in error is shown beside the results of the others
    found, number, unavailable = None, 1, False
    try:
        found, number = search_jobs_page(viewer=request.user, search=search, page=_page_number(request))
    except SearchUnavailable:
        unavailable = True
    facet_slugs = {facet.value for facet in (found.facets.get("skills", ()) if found else ())}
    facet_slugs |= set(search.skills)  # the ticked ones that are real skills
    names = skill_names(facet_slugs)
    params = parameters_of(request.GET)
    context = {
        "form": form,
        "search": search,
        "unavailable": unavailable,
        "results": _results(found) if found else [],
        "page": _page(found.rows if found else [], number, found.total if found else 0),
        "total": found.total if found else 0,
        "facets": _facets(found, form, names),
        "city": form.cleaned_data.get("city") if form.is_bound else None,
        "query": query_without_page(request),
        "search_query": urlencode(params, doseq=True),
        "suggested_name": _suggested_name(search, params),
    }
    return render(
        request, "frontend/work/_search_update.html" if live else "frontend/work/find.html", context
    )


def _suggested_name(search: JobSearch, params: dict) -> str:
    if search.text:
        return search.text[:80]
    return "My job search" if not params else "Jobs: " + ", ".join(sorted(params))[:74]


# ---- saved searches ----------------------------------------------------------------------------------


def _saved_or_404(request: HttpRequest, pk: int):
    try:
        return search_selectors.saved_search_of(pk=pk, user=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _search_url(params: dict) -> str:
    query = urlencode(params, doseq=True)
    return reverse("frontend:find_work") + (f"?{query}" if query else "")


@login_required
def saved_searches(request: HttpRequest) -> HttpResponse:
    rows = [
        {"saved": saved, "url": _search_url(saved.params)}
        for saved in search_selectors.saved_searches_of(request.user)
    ]
    return render(request, "frontend/work/saved_searches.html", {"rows": rows})


@login_required
@require_POST
def saved_search_new(request: HttpRequest) -> HttpResponse:
    """Saves the search of the page's hidden ``query`` (its own query string) under ``name``."""
    params = parameters_of(QueryDict(request.POST.get("query", "")))
    try:
        saved = saved_search_create(
            acting_user=request.user, name=request.POST.get("name", ""), params=params
        )
    except DomainError as exc:
        flash_unless_refused(request, exc)
        return redirect(_search_url(params))
    messages.success(request, f"Saved “{saved.name}”. New jobs that match it will be announced to you.")
    return redirect("frontend:saved_searches")


@login_required
@require_POST
def saved_search_rename(request: HttpRequest, pk: int) -> HttpResponse:
    saved = _saved_or_404(request, pk)
    try:
        saved = saved_search_update(
            acting_user=request.user, saved_search=saved, name=request.POST.get("name", "")
        )
    except DomainError as exc:
        flash_unless_refused(request, exc)
    else:
        messages.success(request, f"Renamed to “{saved.name}”.")
    return redirect("frontend:saved_searches")


@login_required
@require_POST
def saved_search_alerts(request: HttpRequest, pk: int) -> HttpResponse:
    saved = _saved_or_404(request, pk)
    alerts = request.POST.get("alerts") == "on"
    saved_search_update(acting_user=request.user, saved_search=saved, alerts=alerts)
    if alerts:
        messages.success(request, f"Alerts are on for “{saved.name}”: new matching jobs will be announced.")
    else:
        messages.success(request, f"Alerts are off for “{saved.name}”.")
    return redirect("frontend:saved_searches")


@login_required
@require_POST
def saved_search_remove(request: HttpRequest, pk: int) -> HttpResponse:
    saved = _saved_or_404(request, pk)
    saved_search_delete(acting_user=request.user, saved_search=saved)
    messages.success(request, f"Deleted “{saved.name}”.")
    return redirect("frontend:saved_searches")
