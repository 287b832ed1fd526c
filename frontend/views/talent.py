"""Find talent: the search page (htmx swaps the results and facets as the filters change), its
suggestions as one types, the city picker's choices, and inviting a found freelancer to a job.

Who may search: as the profiles list and ``/api/profiles/`` — anyone; visitors find public profiles,
logged-in people also the pool-only profiles of their organisations' pools, staff everything.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from marketplace.accounts.selectors import cities_matching
from marketplace.core.exceptions import DomainError
from search.backends import SearchUnavailable
from search.talent.invites import invite_from_search, jobs_to_invite_to
from search.talent.params import DEFAULT_RADIUS_KM, TalentSearchForm
from search.talent.results import talent_search, talent_suggestions

from .helpers import safe_next

RADIUS_CHOICES = (10, 25, 50, 100, 250, 500)


class InviteFromSearchForm(forms.Form):
    job = forms.IntegerField(min_value=1, label="Job")
    handle = forms.SlugField(max_length=60, widget=forms.HiddenInput)
    message = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), label="Message"
    )


def _query_without(request: HttpRequest, *names: str) -> str:
    """The current filters as a query string without ``names``, ending in ``&`` when not empty."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    encoded = params.urlencode()
    return f"{encoded}&" if encoded else ""


def _with_typed_city(request: HttpRequest):
    """The query, with a city typed but not picked from the suggestions (no script, say) read as the
    largest city of that name."""
    typed, params = request.GET.get("city_q", "").strip(), request.GET
    if typed and not params.get("near"):
        city = cities_matching(typed.split(",")[0], limit=1).first()
        if city is not None:
            params = params.copy()
            params["near"] = str(city.geonameid)
    return params


@require_GET
def talent(request: HttpRequest) -> HttpResponse:
    """The page, or for htmx only its results and facets (the filters form stays as the person left it)."""
    form = TalentSearchForm(_with_typed_city(request), viewer=request.user)
    found, unavailable, status = None, False, 200
    if not form.is_valid():
        status = 400
    else:
        try:
            found = talent_search(viewer=request.user, form=form)
        except SearchUnavailable:
            unavailable, status = True, 503
    if found:
        for profile in found.profiles:
            profile.avatar_url = profile.avatar.url_for("square_256") if profile.avatar else None
    city = form.cleaned_data.get("near") if form.is_valid() else None
    radius = (form.cleaned_data.get("radius") if form.is_valid() else None) or DEFAULT_RADIUS_KM
    context = {
        "form": form,
        "found": found,
        "unavailable": unavailable,
        "city": city,
        "radius": radius,
        "query": _query_without(request, "page", "after"),
        "page_numbers": range(1, (found.pages if found else 0) + 1),
        "facet_groups": [
            (name, legend, found.facets[name] if found else [])
            for name, legend in (
                ("country", "Country"),
                ("availability", "Availability"),
                ("badges", "Verified"),
            )
        ],
        "radius_choices": sorted({*RADIUS_CHOICES, radius}),
        "rating_choices": ("3", "4", "4.5"),
        "jss_choices": ("70", "80", "90"),
        "jobs": jobs_to_invite_to(request.user),
        "invite_form": InviteFromSearchForm(),
    }
    template = "frontend/talent/_results.html" if request.htmx else "frontend/talent/search.html"
    return render(request, template, context, status=status)


@require_GET
def talent_suggest(request: HttpRequest) -> HttpResponse:
    """Suggestions under the search box: skills (each adds its filter) and people (their profiles)."""
    prefix = request.GET.get("q", "")
    try:
        suggestions = talent_suggestions(viewer=request.user, prefix=prefix)
    except SearchUnavailable:
        suggestions = None
    context = {"suggestions": suggestions, "query": _query_without(request, "q", "page", "after")}
    return render(request, "frontend/talent/_suggestions.html", context)


@require_GET
def talent_cities(request: HttpRequest) -> HttpResponse:
    """The city picker's choices by GeoNames id (public reference data, as ``/api/cities/``)."""
    query = request.GET.get("city_q", "")
    context = {"cities": cities_matching(query), "query": query.strip(), "talent_near": True}
    return render(request, "frontend/includes/city_options.html", context)


@login_required
@require_POST
def talent_invite(request: HttpRequest) -> HttpResponse:
    """Invite a found freelancer to one of the viewer's open jobs. htmx gets the result's invite panel
    back with the outcome in it; a plain form post goes back to the search with a message."""
    form = InviteFromSearchForm(request.POST)
    ok, text = False, "Choose one of your open jobs."
    if form.is_valid():
        data = form.cleaned_data
        try:
            invitation = invite_from_search(
                acting_user=request.user, job_id=data["job"], handle=data["handle"], message=data["message"]
            )
        except DomainError as exc:
            text = exc.message
        else:
            ok = True
            text = (
                f"{invitation.freelancer.get_full_name()} is invited to propose on “{invitation.job.title}”."
            )
    if request.htmx:
        context = {"ok": ok, "text": text, "handle": request.POST.get("handle", "")}
        return render(request, "frontend/talent/_invite_result.html", context)
    (messages.success if ok else messages.error)(request, text)
    return redirect(safe_next(request) or "frontend:talent")
