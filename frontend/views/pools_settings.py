"""Pool settings pages: the organisation's pools as cards, a new pool, and one pool's settings with
its tiers and its requirement editor (add, edit, remove, move up and down).

Every member sees the pools and their settings; owners and admins (``manage_settings``) change them,
the others read the same page without the controls. The services check the role again; their
refusals are shown on the page with their status."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from marketplace.core.exceptions import DomainError, InvalidInput, NotFound
from marketplace.organisations.models import PoolMembership
from marketplace.organisations.permissions import require_org_permission
from marketplace.organisations.requirements.kinds import KINDS
from marketplace.organisations.selectors import pool_settings as reads
from marketplace.organisations.services import pool_settings as pool_services
from marketplace.organisations.services import requirements as requirement_services

from ..forms.organisations import add_domain_error
from ..forms.pools_settings import KindForm, PoolSettingsForm, RequirementForm, TierForm
from .helpers import render_page
from .organisations import organisation_page

MANAGE = "manage_settings"


def _pool_url(pool) -> str:
    return reverse("frontend:organisation_pool_settings", args=[pool.organisation.slug, pool.pk])


def _pool(shell: dict, pool_id: int):
    try:
        return reads.pool_of(shell["organisation"], pool_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


SEEN_BY = {
    "public": "Any worker sees it",
    "invitees": "Invited workers see it",
    "organisation": "Only the organisation sees it",
}
JOINED_BY = {
    "apply": "workers apply",
    "invitation": "joined by invitation",
    "added": "the organisation adds members",
}
TONES = {"active": "success", "suspended": "error", "awaiting_review": "info", "invited": "plain"}


def _described(pool):
    """The pool's kind in words, and its member counts as badges (label, n, tone)."""
    pool.kind_words = f"{SEEN_BY[pool.visibility]} · {JOINED_BY[pool.join_policy]}"
    counts = getattr(pool, "status_counts", {})
    pool.count_rows = [
        {"label": PoolMembership.Status(status).label, "n": n, "tone": TONES.get(status, "warning")}
        for status, n in counts.items()
    ]
    return pool


def _settings_initial(pool) -> dict:
    fields = ("name", "description", "visibility", "join_policy", "auto_enforce", "on_expiry")
    return {field: getattr(pool, field) for field in fields}


# ---- the list ------------------------------------------------------------------------------------


@organisation_page("pools")
def pools(request: HttpRequest, shell: dict) -> HttpResponse:
    return render_page(
        request,
        "frontend/pools/settings_list.html",
        {**shell, "pools": [_described(pool) for pool in reads.pools_of(shell["organisation"])]},
    )


@require_http_methods(["GET", "POST"])
@organisation_page("pools", needs=MANAGE)
def pool_new(request: HttpRequest, shell: dict) -> HttpResponse:
    form = PoolSettingsForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                pool = pool_services.pool_create(
                    acting_user=request.user, organisation=shell["organisation"], **form.cleaned_data
                )
            except DomainError as exc:
                add_domain_error(form, exc)
                status = exc.status
            else:
                messages.success(request, f"The pool “{pool.name}” is created: add its tiers and rules.")
                return redirect(_pool_url(pool))
    return render_page(request, "frontend/pools/settings_new.html", {**shell, "form": form}, status=status)


# ---- one pool: settings, tiers, requirements ------------------------------------------------------


def _render_pool(request, shell, pool, *, status=200, form=None, tier_form=None, tier_id=None):
    """The pool's page; ``tier_form`` shown again with its errors: the new tier's, or ``tier_id``'s."""
    can_manage = MANAGE in shell["org_perms"]
    tiers = reads.tiers_of(pool)
    for tier in tiers:
        if tier.pay_rate_minor is not None:
            tier.pay_rate_display = f"{tier.pay_rate_minor / 100:,.2f}"

    def edit_form(tier):
        if tier_form is not None and tier.pk == tier_id:
            return tier_form
        return TierForm(initial=TierForm.initial_for(tier), prefix=f"tier-{tier.pk}")

    return render_page(
        request,
        "frontend/pools/settings_pool.html",
        {
            **shell,
            "pool": _described(pool),
            "can_manage": can_manage,
            "form": form or PoolSettingsForm(initial=_settings_initial(pool)),
            "tiers": [(tier, edit_form(tier)) for tier in tiers],
            "tier_form": TierForm(prefix="tier-new") if tier_form is None or tier_id else tier_form,
            "tier_id": tier_id,
            "requirements": reads.requirements_of(pool),
            "kind_form": KindForm(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@organisation_page("pools")
def pool_settings(request: HttpRequest, shell: dict, pool_id: int) -> HttpResponse:
    pool = _pool(shell, pool_id)
    if request.method == "GET":
        return _render_pool(request, shell, pool)
    form = PoolSettingsForm(request.POST)
    try:
        require_org_permission(request.user, shell["organisation"], MANAGE)
    except DomainError as exc:
        return _refused(request, shell, pool, exc)
    if not form.is_valid():
        return _render_pool(request, shell, pool, form=form, status=400)
    try:
        pool = pool_services.pool_update(acting_user=request.user, pool=pool, **form.cleaned_data)
    except DomainError as exc:
        add_domain_error(form, exc)
        return _render_pool(request, shell, _pool(shell, pool_id), form=form, status=exc.status)
    messages.success(request, "Pool settings saved.")
    return redirect(_pool_url(pool))


def _tier_answer(request, shell, pool, form: TierForm, service, success: str, tier_id=None) -> HttpResponse:
    shown = {"tier_form": form, "tier_id": tier_id}
    try:
        # Who may act first (403 before 400), as the services do.
        require_org_permission(request.user, shell["organisation"], MANAGE)
        if not form.is_valid():
            return _render_pool(request, shell, pool, status=400, **shown)
        ids = {} if tier_id is None else {"tier_id": tier_id}
        tier = service(acting_user=request.user, pool=pool, **ids, **form.tier_fields())
    except DomainError as exc:
        add_domain_error(form, exc)
        return _render_pool(request, shell, pool, status=exc.status, **shown)
    messages.success(request, success.format(tier=tier.name))
    return redirect(_pool_url(pool) + "#tiers")


@require_POST
@organisation_page("pools")
def tier_add(request: HttpRequest, shell: dict, pool_id: int) -> HttpResponse:
    pool = _pool(shell, pool_id)
    form = TierForm(request.POST, prefix="tier-new")
    return _tier_answer(request, shell, pool, form, pool_services.tier_create, "The tier “{tier}” is added.")


@require_POST
@organisation_page("pools")
def tier_edit(request: HttpRequest, shell: dict, pool_id: int, tier_id: int) -> HttpResponse:
    pool = _pool(shell, pool_id)
    form = TierForm(request.POST, prefix=f"tier-{tier_id}")
    return _tier_answer(
        request, shell, pool, form, pool_services.tier_update, "The tier “{tier}” is saved.", tier_id=tier_id
    )


def _refused(request, shell, pool, exc: DomainError) -> HttpResponse:
    messages.error(request, exc.message)
    return _render_pool(request, shell, pool, status=exc.status)


@require_POST
@organisation_page("pools")
def tier_remove(request: HttpRequest, shell: dict, pool_id: int, tier_id: int) -> HttpResponse:
    pool = _pool(shell, pool_id)
    try:
        pool_services.tier_delete(acting_user=request.user, pool=pool, tier_id=tier_id)
    except DomainError as exc:
        return _refused(request, shell, pool, exc)
    messages.success(request, "The tier is removed.")
    return redirect(_pool_url(pool) + "#tiers")


# ---- requirements ---------------------------------------------------------------------------------


def _requirement_form(pool, kind: str, data=None, initial=None) -> RequirementForm:
    return RequirementForm(
        data,
        kind=kind,
        initial=initial,
        categories=reads.skill_categories() if kind == "industry" else (),
        pools=reads.other_pools(pool) if kind == "pool_membership" else (),
    )


def _render_requirement(request, shell, pool, form, *, requirement=None, status=200) -> HttpResponse:
    city = None
    if form.uses_city:
        city = reads.city_of(form.data.get("city") if form.is_bound else form.initial.get("city"))
    partial = request.headers.get("HX-Request") and request.method == "GET"
    return render_page(
        request,
        f"frontend/pools/{'_settings_requirement_fields' if partial else 'settings_requirement'}.html",
        {
            **shell,
            "pool": pool,
            "form": form,
            "kind": form.kind,
            "kind_label": KINDS[form.kind].label,
            "requirement": requirement,
            "city": city,
        },
        status=status,
    )


def _show_refusal(form: RequirementForm, exc: DomainError) -> None:
    """The service names the settings by their config names; the form's city field is "city"."""
    exc.fields = {form.field_for(name): errors for name, errors in exc.fields.items()}
    add_domain_error(form, exc)


@require_http_methods(["GET", "POST"])
@organisation_page("pools", needs=MANAGE)
def requirement_new(request: HttpRequest, shell: dict, pool_id: int) -> HttpResponse:
    pool = _pool(shell, pool_id)
    kind_form = KindForm(request.POST if request.method == "POST" else request.GET)
    if not kind_form.is_valid() and request.method == "GET" and request.headers.get("HX-Request"):
        return HttpResponse("")  # "Choose a kind…" chosen again: no fields to show
    if not kind_form.is_valid():
        messages.error(request, "Choose the kind of requirement to add.")
        return _render_pool(request, shell, pool, status=400)
    kind = kind_form.cleaned_data["kind"]
    if request.method == "GET":
        return _render_requirement(request, shell, pool, _requirement_form(pool, kind))
    form = _requirement_form(pool, kind, request.POST)
    if not form.is_valid():
        return _render_requirement(request, shell, pool, form, status=400)
    try:
        requirement_services.requirement_add(
            acting_user=request.user,
            pool=pool,
            kind=kind,
            config=form.config(),
            reminder_days=form.reminder_days(),
        )
    except DomainError as exc:
        _show_refusal(form, exc)
        return _render_requirement(request, shell, pool, form, status=exc.status)
    messages.success(request, f"Requirement added: {KINDS[kind].label}.")
    return redirect(_pool_url(pool) + "#requirements")


@require_http_methods(["GET", "POST"])
@organisation_page("pools", needs=MANAGE)
def requirement_edit(request: HttpRequest, shell: dict, pool_id: int, requirement_id: int) -> HttpResponse:
    pool = _pool(shell, pool_id)
    requirement = reads.requirement_of(pool, requirement_id)
    initial = RequirementForm.initial_for(requirement)
    if request.method == "GET":
        form = _requirement_form(pool, requirement.kind, initial=initial)
        return _render_requirement(request, shell, pool, form, requirement=requirement)
    form = _requirement_form(pool, requirement.kind, request.POST, initial=initial)
    if not form.is_valid():
        return _render_requirement(request, shell, pool, form, requirement=requirement, status=400)
    days = form.reminder_days()
    try:
        requirement_services.requirement_update(
            acting_user=request.user,
            pool=pool,
            requirement_id=requirement.pk,
            config=form.config(),
            reminder_days=... if days is None else days,
        )
    except DomainError as exc:
        _show_refusal(form, exc)
        return _render_requirement(request, shell, pool, form, requirement=requirement, status=exc.status)
    messages.success(request, "Requirement saved.")
    return redirect(_pool_url(pool) + "#requirements")


@require_POST
@organisation_page("pools")
def requirement_remove(request: HttpRequest, shell: dict, pool_id: int, requirement_id: int) -> HttpResponse:
    pool = _pool(shell, pool_id)
    try:
        requirement_services.requirement_remove(
            acting_user=request.user, pool=pool, requirement_id=requirement_id
        )
    except DomainError as exc:
        return _refused(request, shell, pool, exc)
    messages.success(request, "Requirement removed.")
    return redirect(_pool_url(pool) + "#requirements")


@require_POST
@organisation_page("pools")
def requirement_move(request: HttpRequest, shell: dict, pool_id: int, requirement_id: int) -> HttpResponse:
    pool = _pool(shell, pool_id)
    direction = request.POST.get("direction")
    try:
        require_org_permission(request.user, shell["organisation"], MANAGE)
        if direction not in ("up", "down"):
            raise InvalidInput("Move it up or down.", code="direction_invalid")
        requirement_services.requirement_move(
            acting_user=request.user, pool=pool, requirement_id=requirement_id, up=direction == "up"
        )
    except DomainError as exc:
        return _refused(request, shell, pool, exc)
    return redirect(_pool_url(pool) + f"#requirement-{requirement_id}")
