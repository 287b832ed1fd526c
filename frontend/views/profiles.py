"""Freelancer and client profiles: editing one's own (with avatar and portfolio), and the public page."""

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from marketplace.accounts import selectors
from marketplace.accounts.services.profiles import (
    avatar_remove,
    avatar_set,
    client_profile_update,
    freelancer_profile_update,
    portfolio_item_create,
    portfolio_item_delete,
    portfolio_item_update,
)
from marketplace.core.exceptions import DomainError, NotFound
from marketplace.core.money import minor_to_major
from marketplace.organisations import selectors as org_selectors
from messaging.selectors.conversations import shared_work_side
from messaging.selectors.moderation import block_exists
from messaging.services.conversations import conversation_direct

from ..forms.accounts import (
    LANGUAGE_NAMES,
    ClientProfileForm,
    FreelancerProfileForm,
    ImageUploadForm,
    PortfolioItemForm,
)
from ..review_facts import profile_reputation


def _refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
    """A page the rules refuse (e.g. a client opening the freelancer profile editor)."""
    return render(request, "frontend/accounts/refused.html", {"error": exc}, status=exc.status)


def _apply_domain_error(form, exc: DomainError) -> None:
    for field, message in exc.fields.items():
        form.add_error(field if field in form.fields else None, message)
    if not exc.fields:
        form.add_error(None, exc.message)


def _image_url(image, rendition: str) -> str | None:
    return image.url_for(rendition) if image is not None else None


def _uploaded_bytes(form, field: str = "image") -> bytes | None:
    upload = form.cleaned_data.get(field)
    return None if upload is None else upload.read()


# --- Freelancer profile ---------------------------------------------------------------------------


def _profile_edit_page(request, profile, *, form=None, avatar_form=None, status: int = 200) -> HttpResponse:
    skills = selectors.skills_by_category()
    if form is None:
        form = FreelancerProfileForm(initial=FreelancerProfileForm.initial_from(profile), skills=skills)
    city = getattr(form, "cleaned_data", {}).get("city") if form.is_bound else profile.city
    selected_skills = {str(pk) for pk in (form["skills"].value() or [])}
    skill_groups: dict[str, list] = {}
    for skill in skills:
        skill_groups.setdefault(skill.category, []).append((skill, str(skill.pk) in selected_skills))
    selected_languages = set(form["languages"].value() or [])
    languages = sorted(
        ((code, name, code in selected_languages) for code, name in LANGUAGE_NAMES.items()),
        key=lambda language: (not language[2], language[1]),
    )
    context = {
        "profile": profile,
        "form": form,
        "avatar_form": avatar_form or ImageUploadForm(),
        "avatar_url": _image_url(profile.avatar, "square_256"),
        "skill_groups": [
            {"category": category, "skills": group, "selected": sum(1 for _, checked in group if checked)}
            for category, group in skill_groups.items()
        ],
        "selected_skill_count": len(selected_skills),
        "languages": languages,
        "city": city,
        "upload_max_bytes": settings.UPLOAD_MAX_BYTES,
    }
    return render(request, "frontend/profiles/edit.html", context, status=status)


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    try:
        profile = selectors.freelancer_profile_of(request.user)
    except DomainError as exc:
        return _refused(request, exc)
    if request.method != "POST":
        return _profile_edit_page(request, profile)
    form = FreelancerProfileForm(request.POST, skills=selectors.skills_by_category())
    if not form.is_valid():
        return _profile_edit_page(request, profile, form=form, status=400)
    try:
        freelancer_profile_update(user=request.user, data=form.to_input())
    except DomainError as exc:
        _apply_domain_error(form, exc)
        return _profile_edit_page(request, profile, form=form, status=exc.status)
    messages.success(request, "Your profile is saved.")
    return redirect("frontend:profile_edit")


@login_required
@require_POST
def profile_avatar(request: HttpRequest) -> HttpResponse:
    try:
        profile = selectors.freelancer_profile_of(request.user)
    except DomainError as exc:
        return _refused(request, exc)
    avatar_form = ImageUploadForm(request.POST, request.FILES)
    if not avatar_form.is_valid():
        return _profile_edit_page(request, profile, avatar_form=avatar_form, status=400)
    try:
        avatar_set(user=request.user, data=_uploaded_bytes(avatar_form))
    except DomainError as exc:
        _apply_domain_error(avatar_form, exc)
        return _profile_edit_page(request, profile, avatar_form=avatar_form, status=exc.status)
    messages.success(request, "Your new photo is saved.")
    return redirect("frontend:profile_edit")


@login_required
@require_POST
def profile_avatar_remove(request: HttpRequest) -> HttpResponse:
    try:
        avatar_remove(user=request.user)
    except DomainError as exc:
        return _refused(request, exc)
    messages.success(request, "Your photo is removed.")
    return redirect("frontend:profile_edit")


# --- Client profile -------------------------------------------------------------------------------


@login_required
def client_profile_edit(request: HttpRequest) -> HttpResponse:
    try:
        profile = selectors.client_profile_of(request.user)
    except DomainError as exc:
        return _refused(request, exc)
    status = 200
    if request.method == "POST":
        form = ClientProfileForm(request.POST)
        if form.is_valid():
            try:
                client_profile_update(user=request.user, **form.cleaned_data)
            except DomainError as exc:
                _apply_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, "Your client profile is saved.")
                return redirect("frontend:client_profile_edit")
        else:
            status = 400
        city = getattr(form, "cleaned_data", {}).get("city")
    else:
        form = ClientProfileForm(
            initial={"company_name": profile.company_name, "website": profile.website, "city": profile.city}
        )
        city = profile.city
    return render(
        request,
        "frontend/profiles/client_edit.html",
        {"form": form, "profile": profile, "city": city},
        status=status,
    )


# --- Portfolio ------------------------------------------------------------------------------------


@login_required
def portfolio(request: HttpRequest) -> HttpResponse:
    try:
        profile = selectors.freelancer_profile_of(request.user)
    except DomainError as exc:
        return _refused(request, exc)
    status = 200
    form = PortfolioItemForm()
    if request.method == "POST":
        form = PortfolioItemForm(request.POST, request.FILES)
        status = _portfolio_form_submit(request, form, portfolio_item_create, "is added to your portfolio")
        if status is None:
            return redirect("frontend:portfolio")
    items = [
        (item, _image_url(item.image, "width_640")) for item in selectors.portfolio_items_of(request.user)
    ]
    context = {"profile": profile, "items": items, "form": form}
    return render(request, "frontend/profiles/portfolio.html", context, status=status)


def _portfolio_form_submit(request: HttpRequest, form: PortfolioItemForm, save, done: str) -> int | None:
    """Save a portfolio item through ``save`` (a service); None once saved, else the status to show."""
    if not form.is_valid():
        return 400
    data = form.cleaned_data
    try:
        save(
            user=request.user,
            title=data["title"],
            description=data["description"],
            url=data["url"],
            image_data=_uploaded_bytes(form),
        )
    except DomainError as exc:
        _apply_domain_error(form, exc)
        return exc.status
    messages.success(request, f"“{data['title']}” {done}.")
    return None


@login_required
def portfolio_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    try:
        profile = selectors.freelancer_profile_of(request.user)
        item = selectors.portfolio_item_of(request.user, item_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        return _refused(request, exc)
    status = 200
    if request.method == "POST":
        form = PortfolioItemForm(request.POST, request.FILES)
        status = _portfolio_form_submit(
            request, form, partial(portfolio_item_update, item_id=item.pk), "is saved"
        )
        if status is None:
            return redirect("frontend:portfolio")
    else:
        form = PortfolioItemForm(
            initial={"title": item.title, "description": item.description, "url": item.url}
        )
    context = {
        "profile": profile,
        "item": item,
        "image_url": _image_url(item.image, "width_640"),
        "form": form,
    }
    return render(request, "frontend/profiles/portfolio_edit.html", context, status=status)


@login_required
@require_POST
def portfolio_delete(request: HttpRequest, item_id: int) -> HttpResponse:
    try:
        portfolio_item_delete(user=request.user, item_id=item_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        return _refused(request, exc)
    messages.success(request, "The portfolio item is deleted.")
    return redirect("frontend:portfolio")


# --- Public profile and the city search -----------------------------------------------------------


def _public_profile(request: HttpRequest, handle: str):
    try:
        return selectors.profile_for_viewer(handle=handle, viewer=request.user)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _profile_page(
    request: HttpRequest, profile, *, status: int = 200, message_error: str = ""
) -> HttpResponse:
    viewer = request.user
    is_owner = viewer.is_authenticated and profile.user_id == viewer.pk
    pool_organisations = (
        [] if is_owner else list(org_selectors.organisations_where_user_can(viewer, "manage_pool"))
    )
    blocked = (
        viewer.is_authenticated
        and not is_owner
        and block_exists(blocker_id=viewer.pk, blocked_id=profile.user_id)
    )
    context = {
        "profile": profile,
        "is_owner": is_owner,
        "avatar_url": _image_url(profile.avatar, "square_256"),
        "portfolio": [(item, _image_url(item.image, "width_640")) for item in profile.portfolio_items.all()],
        "rate": minor_to_major(profile.hourly_rate_minor, profile.currency),
        "languages": [LANGUAGE_NAMES.get(code, code) for code in profile.languages],
        "local_timezone": profile.city.timezone if profile.city else profile.user.timezone,
        "pool_organisations": pool_organisations,
        "blocked": blocked,
        # A direct conversation is for people who already share a proposal or a contract.
        "can_message": viewer.is_authenticated
        and not is_owner
        and not blocked
        and shared_work_side(viewer.pk, profile.user_id) is not None,
        "message_error": message_error,
        # The rating, the job success score and the newest published reviews (with replies).
        **profile_reputation(profile.user),
        "jss_min_contracts": settings.JSS_MIN_ENDED_CONTRACTS,
    }
    return render(request, "frontend/profiles/public.html", context, status=status)


def freelancer(request: HttpRequest, handle: str) -> HttpResponse:
    return _profile_page(request, _public_profile(request, handle))


@login_required
@require_POST
def message_direct(request: HttpRequest, handle: str) -> HttpResponse:
    """Open (or go back to) the direct conversation with this freelancer; a refusal (no shared
    work, a block) comes back on the profile with its status."""
    profile = _public_profile(request, handle)
    try:
        conversation = conversation_direct(acting_user=request.user, other_user_id=profile.user_id)
    except DomainError as exc:
        return _profile_page(request, profile, status=exc.status, message_error=exc.message)
    return redirect("frontend:conversation", conversation.pk)


@login_required
@require_GET
def cities(request: HttpRequest) -> HttpResponse:
    # city_name: the job search's city box (its form has its own q).
    query = request.GET.get("q") or request.GET.get("city_name", "")
    context = {"cities": selectors.cities_matching(query), "query": query.strip()}
    return render(request, "frontend/includes/city_options.html", context)
