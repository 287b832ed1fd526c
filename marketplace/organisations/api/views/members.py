"""The pool managers' API: a pool's member list (filters, paginated) and one member's file, the review
queue across the organisation's pools, and the reviewers' actions.

Reads: any member of the organisation (and its API keys, which never see evidence or credentials);
writes and the queue: ``manage_pool`` (owners, admins, hiring managers). Who may act is settled
before a body is read: 404 outside the organisation (and for a pool, member, rule or override that is
not there), 403 ``role_forbids`` for the other roles."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from marketplace.core.exceptions import NotFound
from marketplace.core.rest.authentication import is_api_key_request
from marketplace.core.rest.schema import SESSION_ONLY_NOTE, errors
from marketplace.core.rest.views import ApiView

from ... import selectors
from ...permissions import SEE_POOL_CONTACTS, has_org_permission, require_org_permission
from ...selectors import members as member_selectors
from ...services import membership_admin, overrides, review
from .. import member_serializers as s
from .base import ORG_READ_NOTE, ORG_WRITE_NOTE, organisation_to_read

_WRITE_403 = "`role_forbids`, `not_a_member` (staff outside it), `api_key_read_only`"
_MEMBER_404 = "`organisation_not_found`, `pool_not_found`, `pool_membership_not_found`"


def _context(request, organisation) -> dict:
    managing = not is_api_key_request(request) and has_org_permission(
        request.user, organisation, SEE_POOL_CONTACTS
    )
    return {"show_contacts": managing or is_api_key_request(request), "show_evidence": managing}


def _member_file(request, organisation, membership) -> dict:
    context = _context(request, organisation)
    found = member_selectors.member_file(membership, with_credentials=context["show_evidence"])
    return s.MemberFileSerializer(found, context=context).data


def _to_manage(request, slug: str, pool_id: int):
    """The organisation and pool for a manager's write: 404 non-members, 403 other roles, then 404 an
    unknown pool."""
    organisation = selectors.organisation_to_write(slug=slug, user=request.user)
    require_org_permission(request.user, organisation, "manage_pool")
    return organisation, member_selectors.pool_of(organisation, pool_id)


def _filters(request) -> member_selectors.MemberFilters:
    serializer = s.MemberFilterSerializer(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    data = serializer.validated_data
    return member_selectors.MemberFilters(
        statuses=tuple(sorted(data.get("status", ()))),
        tier=data.get("tier"),
        failing_rule=data.get("failing_rule"),
        expiring_within=data.get("expiring_within"),
        q=data.get("q", ""),
    )


class PoolMemberListView(ApiView):
    api_key_readable = True

    @extend_schema(
        tags=["pool members"],
        summary="A pool's members",
        description="Newest first, 25 a page by default. Filters: `status` (any of, repeated; default "
        "every live status), `tier`, `failing_rule` (a requirement id the member fails or let expire), "
        "`expiring_within` (days: a passing result lapses, or a granted override ends, by then), `q` "
        "(name or handle; email address too for `manage_pool`). Email addresses for `manage_pool` and API "
        "keys." + ORG_READ_NOTE,
        parameters=[s.MemberFilterSerializer],
        responses={
            200: s.MemberRowSerializer(many=True),
            **errors(400, 403, s404="`organisation_not_found`, `pool_not_found`"),
        },
    )
    def get(self, request, slug: str, pool_id: int):
        organisation, _ = organisation_to_read(request, slug)
        pool = member_selectors.pool_of(organisation, pool_id)
        context = _context(request, organisation)
        members = member_selectors.pool_members(
            pool, _filters(request), search_contacts=context["show_contacts"]
        )
        return self.paginated(members, s.MemberRowSerializer, load=member_selectors.member_rows, **context)

    @extend_schema(
        tags=["pool members"],
        summary="Add a worker to a pool",
        description="By the handle of a freelancer profile you can see. The member awaits the requirements "
        "(active at once in a pool without requirements) and is evaluated. Needs `manage_pool`. 400 "
        "`freelancer_not_found`; 409 `already_in_pool`." + ORG_WRITE_NOTE,
        request=s.MemberAddSerializer,
        responses={
            201: s.MemberFileSerializer,
            **errors(
                400, 403, 404, s403=_WRITE_403, s409="`already_in_pool`", s429="`pool_invites_inviter_limit`"
            ),
        },
    )
    def post(self, request, slug: str, pool_id: int):
        organisation, pool = _to_manage(request, slug, pool_id)
        data = self.parsed(s.MemberAddSerializer)
        membership = membership_admin.member_add(
            acting_user=request.user,
            pool=pool,
            freelancer_handle=data["freelancer_handle"],
            reason=data["reason"],
        )
        body = _member_file(request, organisation, member_selectors.member_of_pool(pool, membership.pk))
        return Response(body, status=status.HTTP_201_CREATED)


class PoolMemberDetailView(ApiView):
    api_key_readable = True

    @extend_schema(
        tags=["pool members"],
        summary="One pool member's file",
        description='Each rule\'s result with its reason ("why not eligible"), the status history '
        "(newest first, with who and why), overrides, signatures and reminders sent; the worker's "
        "credentials for this organisation and the results' evidence only for `manage_pool` (null for "
        "other roles and API keys)." + ORG_READ_NOTE,
        responses={200: s.MemberFileSerializer, **errors(403, s404=_MEMBER_404)},
    )
    def get(self, request, slug: str, pool_id: int, membership_id: int):
        organisation, _ = organisation_to_read(request, slug)
        pool = member_selectors.pool_of(organisation, pool_id)
        return Response(
            _member_file(request, organisation, member_selectors.member_of_pool(pool, membership_id))
        )


def _member_action(name: str, summary: str, description: str, body, act, codes: dict):
    """A POST on one member: who may act, then the body, then ``act(user, membership, data)``; the
    answer is the member's file as it now is."""

    class View(ApiView):
        api_key_readable = True  # keys read; their writes answer api_key_read_only

        @extend_schema(
            tags=["pool members"],
            summary=summary,
            description=description + " Needs `manage_pool`." + ORG_WRITE_NOTE,
            request=body,
            responses={
                200: s.MemberFileSerializer,
                **errors(400, 403, 404, s403=_WRITE_403, s404=_MEMBER_404, **codes),
            },
        )
        def post(self, request, slug: str, pool_id: int, membership_id: int, **ids):
            organisation, pool = _to_manage(request, slug, pool_id)
            membership = member_selectors.member_of_pool(pool, membership_id)
            act(request.user, membership, self.parsed(body) if body else {}, **ids)
            return Response(
                _member_file(request, organisation, member_selectors.member_of_pool(pool, membership_id))
            )

    View.__name__ = View.__qualname__ = name
    return View


_ILLEGAL = {"s409": "`illegal_transition`"}
_RULES = {"s409": "`illegal_transition`, `rules_not_met` (the message names the rules)"}

MemberApproveView = _member_action(
    "MemberApproveView",
    "Approve a member awaiting review",
    "Verifies the pending credentials the results rest on, evaluates again, and makes the member active "
    "if every rule passes; otherwise 409 `rules_not_met` and nothing changes. `reason` optional.",
    s.ReviewReasonSerializer,
    lambda user, m, data: membership_admin.membership_approve(
        acting_user=user, membership_id=m.pk, reason=data["reason"]
    ),
    _RULES,
)
MemberSendBackView = _member_action(
    "MemberSendBackView",
    "Send a member back to the requirements",
    "From awaiting review; `reason` required (400 `reason_required`), the worker sees it.",
    s.ReviewReasonSerializer,
    lambda user, m, data: membership_admin.membership_send_back(
        acting_user=user, membership_id=m.pk, reason=data["reason"]
    ),
    _ILLEGAL,
)
MemberSuspendView = _member_action(
    "MemberSuspendView",
    "Suspend an active member",
    "`reason` required. A manager's suspension is lifted only by a reinstatement, never by the rules.",
    s.ReviewReasonSerializer,
    lambda user, m, data: membership_admin.membership_suspend(
        acting_user=user, membership_id=m.pk, reason=data["reason"]
    ),
    _ILLEGAL,
)
MemberReinstateView = _member_action(
    "MemberReinstateView",
    "Reinstate a suspended member",
    "Only if every rule passes or a granted pool override covers the failing ones (409 `rules_not_met`).",
    s.ReviewReasonSerializer,
    lambda user, m, data: membership_admin.membership_reinstate(
        acting_user=user, membership_id=m.pk, reason=data["reason"]
    ),
    _RULES,
)
MemberRemoveView = _member_action(
    "MemberRemoveView",
    "Remove a member",
    "`reason` required; the worker sees it.",
    s.ReviewReasonSerializer,
    lambda user, m, data: membership_admin.membership_remove(
        acting_user=user, membership_id=m.pk, reason=data["reason"]
    ),
    _ILLEGAL,
)
MemberTierView = _member_action(
    "MemberTierView",
    "Set a member's tier",
    "One of the pool's tiers (400 `tier_not_in_pool`), or null for none.",
    s.MemberTierChoiceSerializer,
    lambda user, m, data: membership_admin.membership_set_tier(
        acting_user=user, membership_id=m.pk, tier_id=data["tier"]
    ),
    {"s409": "`membership_not_live`"},
)
MemberRuleApproveView = _member_action(
    "MemberRuleApproveView",
    "Approve one failed rule of a member",
    "With a `reason` (required). Only a failed rule (409 `rule_not_failing`): the approval holds while "
    "the same credential is the evidence, and a pending credential it rests on is verified. An expired "
    "rule needs a newer upload first (a newer one short of a minimum is what a failed result names).",
    s.ReviewReasonSerializer,
    lambda user, m, data, requirement_id: review.rule_approve(
        acting_user=user, membership_id=m.pk, requirement_id=requirement_id, reason=data["reason"]
    ),
    {"s409": "`rule_not_failing`, `rule_has_no_evidence` (nothing uploaded or signed for it)"},
)


def _override_of(membership, override_id: int):
    if not membership.overrides.filter(pk=override_id).exists():
        raise NotFound("No such override.", code="override_not_found")
    return override_id


MemberOverrideGrantView = _member_action(
    "MemberOverrideGrantView",
    "Grant a member's override request",
    "For `days` (1 to 90) with a `reason`: a pool override makes the member active while it lasts.",
    s.MemberOverrideGrantSerializer,
    lambda user, m, data, override_id: overrides.override_grant(
        acting_user=user,
        membership_id=m.pk,
        override_id=_override_of(m, override_id),
        days=data["days"],
        reason=data["reason"],
    ),
    _ILLEGAL,
)
MemberOverrideDenyView = _member_action(
    "MemberOverrideDenyView",
    "Deny a member's override request",
    "With a `reason`; a pool override's member goes back to the requirements.",
    s.ReviewReasonSerializer,
    lambda user, m, data, override_id: overrides.override_deny(
        acting_user=user, membership_id=m.pk, override_id=_override_of(m, override_id), reason=data["reason"]
    ),
    _ILLEGAL,
)


class CredentialDecisionView(ApiView):
    """Verify or reject one credential uploaded for the organisation."""

    decision = "verify"

    def post(self, request, slug: str, credential_id: int):
        organisation = selectors.organisation_to_write(slug=slug, user=request.user)
        require_org_permission(request.user, organisation, "manage_pool")
        if not organisation.credentials.filter(pk=credential_id).exists():
            raise NotFound("No such credential.", code="credential_not_found")
        reason = self.parsed(s.ReviewReasonSerializer)["reason"]
        service = review.credential_verify if self.decision == "verify" else review.credential_reject
        credential = service(acting_user=request.user, credential_id=credential_id, reason=reason)
        return Response(s.ReviewedCredentialSerializer(credential).data)


_CREDENTIAL_ERRORS = errors(
    400,
    403,
    404,
    s403="`role_forbids`, `not_a_member`",
    s404="`organisation_not_found`, `credential_not_found`",
    s409="`illegal_transition`",
)


class CredentialVerifyView(CredentialDecisionView):
    decision = "verify"

    @extend_schema(
        tags=["pool members"],
        summary="Verify a credential",
        description="A pending upload becomes verified (the worker's older verified one of the same kind, "
        "name, form and coverage is superseded); the worker's memberships are evaluated again, which can "
        "reinstate a member the rules suspended. `reason` optional. Needs `manage_pool`." + SESSION_ONLY_NOTE,
        request=s.ReviewReasonSerializer,
        responses={200: s.ReviewedCredentialSerializer, **_CREDENTIAL_ERRORS},
    )
    def post(self, request, slug: str, credential_id: int):
        return super().post(request, slug, credential_id)


class CredentialRejectView(CredentialDecisionView):
    decision = "reject"

    @extend_schema(
        tags=["pool members"],
        summary="Reject a credential",
        description="`reason` required (400 `reason_required`), the worker sees it. The worker's memberships "
        "are evaluated again. Needs `manage_pool`." + SESSION_ONLY_NOTE,
        request=s.ReviewReasonSerializer,
        responses={200: s.ReviewedCredentialSerializer, **_CREDENTIAL_ERRORS},
    )
    def post(self, request, slug: str, credential_id: int):
        return super().post(request, slug, credential_id)


class ReviewQueueView(ApiView):
    @extend_schema(
        tags=["pool members"],
        summary="The review queue",
        description="Across the organisation's pools, oldest first, one `section` a page: `review` "
        "(members awaiting review), `overrides` (override requests), `credentials` (uploads to check), "
        "`flagged` (members flagged by an expiry, or failing a rule on a credential). `counts` gives "
        "every section's size. Needs `manage_pool`; API keys are refused (403 `api_key_not_allowed`)."
        + SESSION_ONLY_NOTE,
        parameters=[
            OpenApiParameter("section", str, enum=list(member_selectors.QUEUE_SECTIONS)),
            OpenApiParameter("page", int),
        ],
        responses={200: s.ReviewQueuePageSerializer, **errors(400, 403, s404="`organisation_not_found`")},
    )
    def get(self, request, slug: str):
        organisation = selectors.organisation_to_write(slug=slug, user=request.user)
        require_org_permission(request.user, organisation, "manage_pool")
        section = request.query_params.get("section", "review")
        if section not in member_selectors.QUEUE_SECTIONS:
            section = "review"
        queue = member_selectors.review_queue(organisation)
        page = self.paginate_queryset(queue[section])
        response = self.get_paginated_response(member_selectors.queue_items(section, page, organisation))
        response.data["counts"] = {key: rows.count() for key, rows in queue.items()}
        return response
