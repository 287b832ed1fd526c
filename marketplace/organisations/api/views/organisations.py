"""Organisations, their members, invitations and talent pools.

Reads go through ``organisation_to_read`` (members and staff; an API key its own organisation; 404
for everyone else). Writes go through ``selectors.organisation_to_write`` (the same 404 for
non-members) and let the service decide what the role allows: 403 ``role_forbids``, 409 for the
rules of state (``last_owner`` …). A write with a body asks the service's own role check first
(``_organisation_to_change``), so that who may not act hears 404 or 403 before any 400 about the body.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response

from marketplace.core.rest.authentication import is_api_key_request
from marketplace.core.rest.schema import SESSION_ONLY_NOTE, errors
from marketplace.core.rest.views import ApiView

from ... import selectors
from ...permissions import (
    SEE_PENDING_INVITATIONS,
    SEE_POOL_CONTACTS,
    has_org_permission,
    require_org_permission,
)
from ...services import organisations, pools
from .. import serializers as s
from .base import ORG_READ_NOTE, ORG_WRITE_NOTE, organisation_to_read

_READ_ERRORS = errors(403, s404="`organisation_not_found`")


def _shows_pool_contacts(request, organisation) -> bool:
    """The pool page's rule: email addresses for pool managers (and the organisation's API keys,
    which only owners and admins, themselves pool managers, can make)."""
    return is_api_key_request(request) or has_org_permission(request.user, organisation, SEE_POOL_CONTACTS)


_WRITE_403 = "`role_forbids`, `not_a_member` (staff outside it), `api_key_read_only`"


def _organisation_to_change(request, slug: str, codename: str):
    """The organisation for a write with a body: 404 for non-members, then the role check the service
    makes again (403 ``role_forbids``, ``not_a_member`` for staff), both before the body is parsed."""
    organisation = selectors.organisation_to_write(slug=slug, user=request.user)
    require_org_permission(request.user, organisation, codename)
    return organisation


class OrganisationListView(ApiView):
    api_key_readable = True

    @extend_schema(
        tags=["organisations"],
        summary="Your organisations",
        description="The organisations you are a member of, by name, with your role in each. With an API "
        "key: just the key's organisation.",
        responses={200: s.OrganisationSerializer(many=True), **errors(403)},
    )
    def get(self, request):
        if is_api_key_request(request):
            page = self.paginate_queryset([request.auth.organisation])
            return self.get_paginated_response(s.OrganisationSerializer(page, many=True).data)
        page = self.paginate_queryset(selectors.memberships_of(request.user))
        roles = {membership.organisation_id: membership.role for membership in page}
        data = s.OrganisationSerializer(
            [membership.organisation for membership in page], many=True, context={"roles": roles}
        ).data
        return self.get_paginated_response(data)

    @extend_schema(
        tags=["organisations"],
        summary="Create an organisation",
        description="You become its owner; it gets a default talent pool. 403 `account_suspended` for a "
        "suspended account; API keys are refused (403 `api_key_read_only`).",
        request=s.OrganisationInputSerializer,
        responses={201: s.OrganisationSerializer, **errors(400, 403, s400="`name_required`")},
    )
    def post(self, request):
        data = self.parsed(s.OrganisationInputSerializer)
        organisation = organisations.organisation_create(
            acting_user=request.user, name=data["name"], website=data["website"]
        )
        body = s.OrganisationSerializer(organisation, context={"roles": {organisation.pk: "owner"}}).data
        return Response(body, status=status.HTTP_201_CREATED)


class OrganisationDetailView(ApiView):
    api_key_readable = True

    @extend_schema(
        tags=["organisations"],
        summary="An organisation",
        description="With your role and what it allows." + ORG_READ_NOTE,
        responses={200: s.OrganisationSerializer, **_READ_ERRORS},
    )
    def get(self, request, slug: str):
        organisation, membership = organisation_to_read(request, slug)
        roles = {organisation.pk: membership.role} if membership else {}
        return Response(s.OrganisationSerializer(organisation, context={"roles": roles}).data)

    @extend_schema(
        tags=["organisations"],
        summary="Change an organisation's settings",
        description="Name and website; send only what changes. Needs `manage_settings` (owners, admins)."
        + ORG_WRITE_NOTE,
        request=s.OrganisationInputSerializer,
        responses={
            200: s.OrganisationSerializer,
            **errors(400, 403, 404, s400="`name_required`", s403=_WRITE_403),
        },
    )
    def patch(self, request, slug: str):
        organisation = _organisation_to_change(request, slug, "manage_settings")
        data = self.parsed(s.OrganisationInputSerializer, partial=True)
        organisation = organisations.organisation_update(
            acting_user=request.user,
            organisation=organisation,
            name=data.get("name", organisation.name),
            website=data.get("website", organisation.website),
        )
        _, membership = selectors.organisation_for_member(slug=organisation.slug, user=request.user)
        roles = {organisation.pk: membership.role} if membership else {}
        return Response(s.OrganisationSerializer(organisation, context={"roles": roles}).data)


class MemberListView(ApiView):
    api_key_readable = True

    @extend_schema(
        tags=["organisations"],
        summary="An organisation's members",
        description="In the order they joined, paginated." + ORG_READ_NOTE,
        responses={200: s.MemberSerializer(many=True), **_READ_ERRORS},
    )
    def get(self, request, slug: str):
        organisation, _ = organisation_to_read(request, slug)
        return self.paginated(selectors.members_of(organisation), s.MemberSerializer)


class MemberDetailView(ApiView):
    api_key_readable = True  # reads none, but a key's write is refused with api_key_read_only

    @extend_schema(
        tags=["organisations"],
        summary="Change a member's role",
        description="Needs `manage_members` (owners, admins); making or unmaking an owner needs "
        "`manage_owners` (owners). The last owner cannot be demoted: 409 `last_owner`; make someone else "
        "an owner first. 404 `member_not_found` if the id is not a member of this organisation."
        + ORG_WRITE_NOTE,
        request=s.MemberRoleSerializer,
        responses={
            200: s.MemberSerializer,
            **errors(
                400,
                403,
                404,
                s403=_WRITE_403,
                s404="`organisation_not_found`, `member_not_found`",
                s409="`last_owner`",
            ),
        },
    )
    def patch(self, request, slug: str, membership_id: int):
        organisation = _organisation_to_change(request, slug, "manage_members")
        role = self.parsed(s.MemberRoleSerializer)["role"]
        membership = organisations.member_role_change(
            acting_user=request.user,
            organisation=organisation,
            membership_id=membership_id,
            role=role,
        )
        return Response(s.MemberSerializer(membership).data)

    @extend_schema(
        tags=["organisations"],
        summary="Remove a member, or leave",
        description="Any member may remove themself (leave). Removing someone else needs `manage_members`, "
        "and `manage_owners` to remove an owner. The last owner can neither leave nor be removed: 409 "
        "`last_owner`." + ORG_WRITE_NOTE,
        responses={
            204: OpenApiResponse(description="Removed."),
            **errors(
                403,
                404,
                s403=_WRITE_403,
                s404="`organisation_not_found`, `member_not_found`",
                s409="`last_owner`",
            ),
        },
    )
    def delete(self, request, slug: str, membership_id: int):
        organisations.member_remove(
            acting_user=request.user,
            organisation=selectors.organisation_to_write(slug=slug, user=request.user),
            membership_id=membership_id,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationListView(ApiView):
    api_key_readable = True

    @extend_schema(
        tags=["invitations"],
        summary="An organisation's pending invitations",
        description="Newest first, paginated. Accepted, declined and revoked ones are not listed. Like "
        "the Invitations page, for the roles that manage members (owners, admins): other members get 403 "
        "`role_forbids`, staff who are not members 403 `not_a_member`; an organisation API key reads its "
        "own." + ORG_READ_NOTE,
        responses={
            200: s.InvitationSerializer(many=True),
            **errors(403, 404, s403="`role_forbids`, `not_a_member`", s404="`organisation_not_found`"),
        },
    )
    def get(self, request, slug: str):
        organisation, _ = organisation_to_read(request, slug)
        if not is_api_key_request(request):
            require_org_permission(request.user, organisation, SEE_PENDING_INVITATIONS)
        return self.paginated(selectors.invitations_pending(organisation), s.InvitationSerializer)

    @extend_schema(
        tags=["invitations"],
        summary="Invite someone by email",
        description="Emails a link that works for existing accounts and for new sign-ups; the response "
        "carries the token once. Needs `manage_members`; inviting an owner needs `manage_owners`. 409 "
        "`already_member`, `already_invited`." + ORG_WRITE_NOTE,
        request=s.InvitationInputSerializer,
        responses={
            201: s.InvitationCreatedSerializer,
            **errors(400, 403, 404, s403=_WRITE_403, s409="`already_member`, `already_invited`"),
        },
    )
    def post(self, request, slug: str):
        organisation = _organisation_to_change(request, slug, "manage_members")
        data = self.parsed(s.InvitationInputSerializer)
        invitation = organisations.invitation_create(
            acting_user=request.user,
            organisation=organisation,
            email=data["email"],
            role=data["role"],
        )
        return Response(s.InvitationCreatedSerializer(invitation).data, status=status.HTTP_201_CREATED)


class InvitationDetailView(ApiView):
    api_key_readable = True  # reads none, but a key's write is refused with api_key_read_only

    @extend_schema(
        tags=["invitations"],
        summary="Revoke a pending invitation",
        description="The link stops working. Needs `manage_members`. 409 `illegal_transition` if it was "
        "already accepted, declined or revoked." + ORG_WRITE_NOTE,
        responses={
            204: OpenApiResponse(description="Revoked."),
            **errors(
                403,
                404,
                s403=_WRITE_403,
                s404="`organisation_not_found`, `invitation_not_found`",
                s409="`illegal_transition`",
            ),
        },
    )
    def delete(self, request, slug: str, invitation_id: int):
        organisations.invitation_revoke(
            acting_user=request.user,
            organisation=selectors.organisation_to_write(slug=slug, user=request.user),
            invitation_id=invitation_id,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


_INVITATION_RESPONSE_ERRORS = errors(
    403,
    404,
    s403="`invitation_email_mismatch` (logged in with another address)",
    s404="`invitation_not_found`",
    s409="`invitation_closed`, `invitation_expired`",
)


class InvitationAcceptView(ApiView):
    @extend_schema(
        tags=["invitations"],
        summary="Accept an invitation",
        description="The token comes from the invitation email. You must be logged in with the address "
        "it was sent to; you join with the invited role." + SESSION_ONLY_NOTE,
        request=None,
        responses={200: s.JoinedSerializer, **_INVITATION_RESPONSE_ERRORS},
    )
    def post(self, request, token: str):
        membership = organisations.invitation_accept(acting_user=request.user, token=token)
        return Response(s.JoinedSerializer(membership).data)


class InvitationDeclineView(ApiView):
    @extend_schema(
        tags=["invitations"],
        summary="Decline an invitation",
        description="You must be logged in with the address it was sent to." + SESSION_ONLY_NOTE,
        request=None,
        responses={200: s.InvitationResultSerializer, **_INVITATION_RESPONSE_ERRORS},
    )
    def post(self, request, token: str):
        invitation = organisations.invitation_decline(acting_user=request.user, token=token)
        return Response(s.InvitationResultSerializer(invitation).data)


class PoolView(ApiView):
    api_key_readable = True

    @extend_schema(
        tags=["pools"],
        summary="An organisation's talent pool",
        description="Live memberships of the default pool: `invited` (awaiting the freelancer) and "
        "`active`, paginated. Email addresses are shown only to the roles that manage the pool (owners, "
        "admins, hiring managers) and to the organisation's API keys; for other members they are null."
        + ORG_READ_NOTE,
        responses={200: s.PoolMembershipSerializer(many=True), **_READ_ERRORS},
    )
    def get(self, request, slug: str):
        organisation, _ = organisation_to_read(request, slug)
        return self.paginated(
            selectors.pool_memberships_of(organisation),
            s.PoolMembershipSerializer,
            show_contacts=_shows_pool_contacts(request, organisation),
        )

    @extend_schema(
        tags=["pools"],
        summary="Invite a freelancer to the talent pool",
        description="By the email of their freelancer account; they are emailed and accept or decline. "
        "Needs `manage_pool` (owners, admins, hiring managers). 400 `freelancer_not_found`; 409 "
        "`already_in_pool`." + ORG_WRITE_NOTE,
        request=s.PoolInviteSerializer,
        responses={
            201: s.PoolMembershipSerializer,
            **errors(
                400,
                403,
                404,
                s400="`freelancer_not_found`, `pool_not_found`",
                s403=_WRITE_403,
                s409="`already_in_pool`",
            ),
        },
    )
    def post(self, request, slug: str):
        organisation = _organisation_to_change(request, slug, "manage_pool")
        data = self.parsed(s.PoolInviteSerializer)
        membership = pools.pool_invite(
            acting_user=request.user,
            organisation=organisation,
            freelancer_email=data["freelancer_email"],
            message=data["message"],
            pool_id=data["pool"],
        )
        body = s.PoolMembershipSerializer(membership, context={"show_contacts": True}).data
        return Response(body, status=status.HTTP_201_CREATED)


class PoolMembershipEndView(ApiView):
    @extend_schema(
        tags=["pools"],
        summary="End a pool membership (or withdraw an invitation)",
        description="Either side may end it: the freelancer, or a member with `manage_pool` in the pool's "
        "organisation (403 `role_forbids` for its other members). 404 `pool_membership_not_found` for an "
        "unknown id and for everyone else; 409 `illegal_transition` if it already ended or "
        "was declined." + SESSION_ONLY_NOTE,
        request=s.PoolEndSerializer,
        responses={
            200: s.PoolMembershipSerializer,
            **errors(
                400,
                403,
                404,
                s403="`role_forbids`",
                s404="`pool_membership_not_found`",
                s409="`illegal_transition`",
            ),
        },
    )
    def post(self, request, membership_id: int):
        # Who may end it (404, 403) is asked before the body is read; the service asks again.
        pools.pool_membership_to_end(acting_user=request.user, membership_id=membership_id)
        reason = self.parsed(s.PoolEndSerializer)["reason"]
        membership = pools.pool_membership_end(
            acting_user=request.user, membership_id=membership_id, reason=reason
        )
        # Only the freelancer and the pool's managers get this far.
        return Response(s.PoolMembershipSerializer(membership, context={"show_contacts": True}).data)
