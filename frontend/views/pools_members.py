"""The pool managers' pages: a pool's members (filters, CSV), one member's file with the reviewers'
actions, and the review queue across the organisation's pools.

Any member of the organisation reads the list and the files (results and reasons, never credentials
or the evidence's numbers); the actions, the queue and the credentials need ``manage_pool``. The
services check again; a refusal is shown on the page with its status."""

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from marketplace.core.exceptions import DomainError, NotFound
from marketplace.organisations.models import PoolMembership
from marketplace.organisations.permissions import SEE_POOL_CONTACTS, has_org_permission
from marketplace.organisations.selectors import members as member_selectors
from marketplace.organisations.services import membership_admin, overrides, review

from ..forms.organisations import PoolInviteForm
from ..forms.pools_members import (
    MemberAddForm,
    MemberFilterForm,
    OverrideGrantForm,
    ReviewReasonForm,
    TierForm,
)
from .helpers import render_page
from .organisations import organisation_page

PER_PAGE = 50
CSV_CHUNK = 500


def _pool(shell: dict, pool_id: int):
    try:
        return member_selectors.pool_of(shell["organisation"], pool_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _member(pool, membership_id: int):
    try:
        return member_selectors.member_of_pool(pool, membership_id)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def _managing(request: HttpRequest, shell: dict) -> bool:
    return has_org_permission(request.user, shell["organisation"], SEE_POOL_CONTACTS)


def _filtered(request: HttpRequest, shell: dict, pool):
    form = MemberFilterForm(request.GET or None, pool=pool, search_contacts=_managing(request, shell))
    members = member_selectors.pool_members(pool, form.filters(), search_contacts=_managing(request, shell))
    return form, members


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@organisation_page("pools")
def pool_members(request: HttpRequest, shell: dict, pool_id: int) -> HttpResponse:
    return _render_members(request, shell, pool_id)


def _render_members(
    request: HttpRequest, shell: dict, pool_id: int, *, add_form=None, status=200
) -> HttpResponse:
    pool = _pool(shell, pool_id)
    form, members = _filtered(request, shell, pool)
    page = Paginator(members.values_list("pk", flat=True), PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = member_selectors.member_rows(page.object_list)
    query = _query_without_page(request)
    return render_page(
        request,
        "frontend/pools/members_list.html",
        {
            **shell,
            "pool": pool,
            "form": form,
            "page": page,
            "rows": page.object_list,
            "query": f"{query}&" if query else "",
            "csv_query": query,
            "filtered": bool(request.GET.dict().keys() - {"page"}),
            "show_contacts": _managing(request, shell),
            "add_form": add_form or MemberAddForm(),
            "invite_form": PoolInviteForm(),
        },
        status=status,
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    """A cell a spreadsheet shows as text: never a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_rows(pool, members, show_contacts: bool):
    requirements = list(pool.requirements.all())
    yield [
        "Name",
        "Handle",
        *(["Email"] if show_contacts else []),
        "Status",
        "Tier",
        "Flagged",
        "Failing rules",
        "First failing reason",
        "Next lapse",
        "Override until",
        *(member_selectors.requirement_label(r) for r in requirements),
    ]
    ids = list(members.values_list("pk", flat=True))
    for start in range(0, len(ids), CSV_CHUNK):
        for row in member_selectors.member_rows(ids[start : start + CSV_CHUNK]):
            m = row.membership
            profile = getattr(m.freelancer, "freelancer_profile", None) if m.freelancer_id else None
            results = [row.result_for(r.pk) for r in requirements]
            yield [
                _cell(x)
                for x in [
                    m.freelancer.get_full_name() if m.freelancer_id else "Invited freelancer",
                    profile.handle if profile else "",
                    *([m.freelancer.email if m.freelancer_id else m.email] if show_contacts else []),
                    m.get_status_display(),
                    m.tier.name if m.tier else "",
                    "yes" if m.flagged_at else "",
                    len(row.failing),
                    row.first_failing_reason,
                    row.next_lapse.isoformat() if row.next_lapse else "",
                    row.override.expires_at.date().isoformat() if row.override else "",
                    *(r.get_status_display() if r else "" for r in results),
                ]
            ]


@organisation_page("pools")
def pool_members_csv(request: HttpRequest, shell: dict, pool_id: int) -> HttpResponse:
    pool = _pool(shell, pool_id)
    _, members = _filtered(request, shell, pool)
    writer = csv.writer(_Echo())
    rows = _csv_rows(pool, members, _managing(request, shell))
    response = StreamingHttpResponse((writer.writerow(row) for row in rows), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="pool-{pool.pk}-members.csv"'
    return response


@require_POST
@organisation_page("pools", needs="manage_pool")
def pool_member_add(request: HttpRequest, shell: dict, pool_id: int) -> HttpResponse:
    pool = _pool(shell, pool_id)
    form = MemberAddForm(request.POST)
    if not form.is_valid():
        return _render_members(request, shell, pool_id, add_form=form, status=400)
    try:
        membership = membership_admin.member_add(
            acting_user=request.user, pool=pool, freelancer_handle=form.cleaned_data["freelancer_handle"]
        )
    except DomainError as exc:
        form.add_error("freelancer_handle", exc.message)
        return _render_members(request, shell, pool_id, add_form=form, status=exc.status)
    messages.success(request, f"{membership.freelancer.get_full_name()} is added to {pool.name}.")
    return redirect(
        "frontend:pool_member", slug=shell["organisation"].slug, pool_id=pool.pk, membership_id=membership.pk
    )


# ---- one member ---------------------------------------------------------------------------------


def _render_member(request: HttpRequest, shell: dict, pool, membership, *, status: int = 200) -> HttpResponse:
    managing = _managing(request, shell)
    found = member_selectors.member_file(membership, with_credentials=managing)
    labels = dict(PoolMembership.Status.choices)
    for change in found.history:
        change.from_label = labels.get(change.from_status, change.from_status)
        change.to_label = labels.get(change.to_status, change.to_status)
    return render_page(
        request,
        "frontend/pools/members_detail.html",
        {
            **shell,
            "pool": pool,
            "member": membership,
            "file": found,
            "row": found.row,
            "show_contacts": managing,
            "tier_form": TierForm(initial={"tier": membership.tier_id}, pool=pool),
            "max_override_days": OverrideGrantForm.base_fields["days"].max_value,
        },
        status=status,
    )


@organisation_page("pools")
def pool_member(request: HttpRequest, shell: dict, pool_id: int, membership_id: int) -> HttpResponse:
    pool = _pool(shell, pool_id)
    return _render_member(request, shell, pool, _member(pool, membership_id))


def _reason(request: HttpRequest) -> str:
    form = ReviewReasonForm(request.POST)
    return form.cleaned_data["reason"] if form.is_valid() else ""


ACTIONS = {
    # action: (service call, success message)
    "approve": (
        lambda user, m, request: membership_admin.membership_approve(
            acting_user=user, membership_id=m.pk, reason=_reason(request)
        ),
        "Approved: the member is active.",
    ),
    "send-back": (
        lambda user, m, request: membership_admin.membership_send_back(
            acting_user=user, membership_id=m.pk, reason=_reason(request)
        ),
        "Sent back to the requirements.",
    ),
    "suspend": (
        lambda user, m, request: membership_admin.membership_suspend(
            acting_user=user, membership_id=m.pk, reason=_reason(request)
        ),
        "The member is suspended.",
    ),
    "reinstate": (
        lambda user, m, request: membership_admin.membership_reinstate(
            acting_user=user, membership_id=m.pk, reason=_reason(request)
        ),
        "The member is reinstated.",
    ),
    "remove": (
        lambda user, m, request: membership_admin.membership_remove(
            acting_user=user, membership_id=m.pk, reason=_reason(request)
        ),
        "The member is removed from the pool.",
    ),
    "tier": (
        lambda user, m, request: membership_admin.membership_set_tier(
            acting_user=user, membership_id=m.pk, tier_id=_tier(request, m)
        ),
        "The tier is saved.",
    ),
}


def _tier(request: HttpRequest, membership) -> int | None:
    form = TierForm(request.POST, pool=membership.pool)
    return form.cleaned_data["tier"] if form.is_valid() else None


def _act(
    request: HttpRequest, shell: dict, pool_id: int, membership_id: int, call, success: str
) -> HttpResponse:
    pool = _pool(shell, pool_id)
    membership = _member(pool, membership_id)
    try:
        call(request.user, membership)
    except DomainError as exc:
        messages.error(request, exc.message)
        return _render_member(request, shell, pool, _member(pool, membership_id), status=exc.status)
    messages.success(request, success)
    return redirect(
        "frontend:pool_member", slug=shell["organisation"].slug, pool_id=pool.pk, membership_id=membership_id
    )


@require_POST
@organisation_page("pools", needs="manage_pool")
def pool_member_action(
    request: HttpRequest, shell: dict, pool_id: int, membership_id: int, action: str
) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("No such action.")
    service, success = ACTIONS[action]
    return _act(request, shell, pool_id, membership_id, lambda user, m: service(user, m, request), success)


@require_POST
@organisation_page("pools", needs="manage_pool")
def pool_member_rule_approve(
    request: HttpRequest, shell: dict, pool_id: int, membership_id: int, requirement_id: int
) -> HttpResponse:
    return _act(
        request,
        shell,
        pool_id,
        membership_id,
        lambda user, m: review.rule_approve(
            acting_user=user, membership_id=m.pk, requirement_id=requirement_id, reason=_reason(request)
        ),
        "The rule is approved for this member.",
    )


@require_POST
@organisation_page("pools", needs="manage_pool")
def pool_member_override(
    request: HttpRequest, shell: dict, pool_id: int, membership_id: int, override_id: int, decision: str
) -> HttpResponse:
    if decision not in ("grant", "deny"):
        raise Http404("No such decision.")

    def decide(user, membership):
        if not membership.overrides.filter(pk=override_id).exists():
            raise NotFound("No such override.", code="override_not_found")
        if decision == "deny":
            return overrides.override_deny(
                acting_user=user,
                membership_id=membership.pk,
                override_id=override_id,
                reason=_reason(request),
            )
        form = OverrideGrantForm(request.POST)
        days = form.cleaned_data["days"] if form.is_valid() else 0
        return overrides.override_grant(
            acting_user=user,
            membership_id=membership.pk,
            override_id=override_id,
            days=days,
            reason=_reason(request),
        )

    return _act(
        request,
        shell,
        pool_id,
        membership_id,
        decide,
        "The override is granted." if decision == "grant" else "The override is denied.",
    )


# ---- credentials and the review queue ---------------------------------------------------------------


@require_POST
@organisation_page("pools", needs="manage_pool")
def credential_decide(request: HttpRequest, shell: dict, credential_id: int, decision: str) -> HttpResponse:
    organisation = shell["organisation"]
    if decision not in ("verify", "reject") or not organisation.credentials.filter(pk=credential_id).exists():
        raise Http404("No such credential.")
    service = review.credential_verify if decision == "verify" else review.credential_reject
    try:
        service(acting_user=request.user, credential_id=credential_id, reason=_reason(request))
    except DomainError as exc:
        messages.error(request, exc.message)
        return _render_queue(request, shell, status=exc.status)
    messages.success(
        request, "The credential is verified." if decision == "verify" else "The credential is rejected."
    )
    back = request.POST.get("back", "")
    if back.startswith(f"/organisations/{organisation.slug}/pools/"):
        return redirect(back)
    return redirect("frontend:pool_review", slug=organisation.slug)


@organisation_page("pools", needs="manage_pool")
def review_queue(request: HttpRequest, shell: dict) -> HttpResponse:
    return _render_queue(request, shell)


def _render_queue(request: HttpRequest, shell: dict, *, status: int = 200) -> HttpResponse:
    organisation = shell["organisation"]
    queue = member_selectors.review_queue(organisation)
    section = request.GET.get("section", "review")
    if section not in queue:
        section = "review"
    page = Paginator(queue[section], PER_PAGE).get_page(request.GET.get("page"))
    items = member_selectors.queue_items(section, page.object_list, organisation)
    path = reverse("frontend:pool_review", args=[organisation.slug])
    tabs = [(key, label, queue[key].count()) for key, label in member_selectors.QUEUE_SECTIONS.items()]
    return render_page(
        request,
        "frontend/pools/members_review.html",
        {
            **shell,
            "queue_tabs": tabs,
            "section": section,
            "section_label": member_selectors.QUEUE_SECTIONS[section],
            "path": path,
            "page": page,
            "items": items,
            "query": f"section={section}&",
        },
        status=status,
    )
