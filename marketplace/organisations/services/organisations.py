"""Organisations, members and their roles, invitations by email, and API keys.

Roles become django-guardian object permissions here (and only here): every change of role
rewrites the member's rows in the direct foreign-key permission table in the same transaction.
The last owner can neither leave nor be demoted; owners are locked in primary-key order before
counting them, so two owners demoting each other at once cannot leave the organisation ownerless.
"""

import hashlib
import secrets
from datetime import timedelta
from functools import partial

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from marketplace.accounts.models import User
from marketplace.core.audit import audit_record
from marketplace.core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied
from marketplace.core.mail import send_site_email
from marketplace.core.transitions import transition

from .. import events
from ..models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationAPIKey,
    OrganisationUserObjectPermission,
    Role,
    TalentPool,
)
from ..permissions import ROLE_PERMISSIONS, require_org_permission

INVITATION_LIFETIME = timedelta(days=14)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _membership_changed(organisation: Organisation, user_id: int) -> None:
    """Tell the higher apps, after commit, that what this member may read and do changed."""
    transaction.on_commit(
        partial(
            events.membership_changed.send,
            sender=Membership,
            organisation_id=organisation.pk,
            user_id=user_id,
        )
    )


def _grant_role(organisation: Organisation, user: User, role: str) -> None:
    OrganisationUserObjectPermission.objects.filter(content_object=organisation, user=user).delete()
    content_type = ContentType.objects.get_for_model(Organisation)
    permissions = Permission.objects.filter(content_type=content_type, codename__in=ROLE_PERMISSIONS[role])
    OrganisationUserObjectPermission.objects.bulk_create(
        OrganisationUserObjectPermission(content_object=organisation, user=user, permission=permission)
        for permission in permissions
    )


def _unique_slug(name: str) -> str:
    base = slugify(name)[:60] or "organisation"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def organisation_create(*, acting_user: User, name: str, website: str = "") -> Organisation:
    if acting_user.is_suspended:
        raise PermissionDenied("A suspended account cannot create organisations.", code="account_suspended")
    if not name.strip():
        raise InvalidInput("Give the organisation a name.", code="name_required")
    organisation = Organisation.objects.create(
        name=name.strip(), slug=_unique_slug(name), website=website, created_by=acting_user
    )
    Membership.objects.create(organisation=organisation, user=acting_user, role=Role.OWNER)
    _grant_role(organisation, acting_user, Role.OWNER)
    suffix = " talent pool"
    room = TalentPool._meta.get_field("name").max_length - len(suffix)
    TalentPool.objects.create(
        organisation=organisation, name=f"{organisation.name[:room].rstrip()}{suffix}", is_default=True
    )
    audit_record(
        actor=acting_user, action="organisation.create", target=organisation, summary=f"Created {name}"
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, acting_user: User, organisation: Organisation, name: str, website: str
) -> Organisation:
    require_org_permission(acting_user, organisation, "manage_settings")
    if not name.strip():
        raise InvalidInput("Give the organisation a name.", code="name_required")
    organisation.name = name.strip()
    organisation.website = website
    organisation.save(update_fields=["name", "website"])
    audit_record(
        actor=acting_user, action="organisation.update", target=organisation, summary="Settings changed"
    )
    return organisation


def _lock_owners(organisation: Organisation) -> list[Membership]:
    return list(
        Membership.objects.select_for_update()
        .filter(organisation=organisation, role=Role.OWNER)
        .order_by("pk")
    )


def _member(organisation: Organisation, membership_id: int) -> Membership:
    membership = (
        Membership.objects.select_for_update()
        .select_related("user")
        .filter(pk=membership_id, organisation=organisation)
    ).first()
    if membership is None:
        raise NotFound("No such member in this organisation.", code="member_not_found")
    return membership


@transaction.atomic
def member_role_change(
    *, acting_user: User, organisation: Organisation, membership_id: int, role: str
) -> Membership:
    if role not in Role.values:
        raise InvalidInput(f"Unknown role {role!r}.", code="unknown_role", fields={"role": ["Unknown role."]})
    require_org_permission(acting_user, organisation, "manage_members")
    owners = _lock_owners(organisation)
    membership = _member(organisation, membership_id)
    if Role.OWNER in (membership.role, role):
        require_org_permission(acting_user, organisation, "manage_owners")
    if membership.role == role:
        return membership
    if membership.role == Role.OWNER and len(owners) == 1:
        raise Conflict(
            "This is the organisation's only owner. Make someone else an owner first.", code="last_owner"
        )
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    _grant_role(organisation, membership.user, role)
    _membership_changed(organisation, membership.user_id)
    audit_record(
        actor=acting_user,
        action="member.role_change",
        target=organisation,
        summary=f"{membership.user.email}: {previous} → {role}",
        member=membership.user_id,
        previous=previous,
        role=role,
    )
    return membership


@transaction.atomic
def member_remove(*, acting_user: User, organisation: Organisation, membership_id: int) -> None:
    """Remove a member; any member may remove themself (leave), except the last owner."""
    owners = _lock_owners(organisation)
    membership = _member(organisation, membership_id)
    if membership.user_id != acting_user.pk:
        require_org_permission(acting_user, organisation, "manage_members")
        if membership.role == Role.OWNER:
            require_org_permission(acting_user, organisation, "manage_owners")
    if membership.role == Role.OWNER and len(owners) == 1:
        raise Conflict(
            "The last owner cannot leave or be removed. Make someone else an owner first.", code="last_owner"
        )
    OrganisationUserObjectPermission.objects.filter(
        content_object=organisation, user=membership.user
    ).delete()
    membership.delete()
    _membership_changed(organisation, membership.user_id)
    audit_record(
        actor=acting_user,
        action="member.remove",
        target=organisation,
        summary=f"{membership.user.email} left"
        if membership.user_id == acting_user.pk
        else f"Removed {membership.user.email}",
        member=membership.user_id,
    )


def _send_invitation_email(invitation_id: int, token: str) -> None:
    invitation = Invitation.objects.select_related("organisation", "invited_by").get(pk=invitation_id)
    send_site_email(
        to=invitation.email,
        subject=f"You are invited to join {invitation.organisation.name}",
        template="organisations/email/invitation.txt",
        context={
            "invitation": invitation,
            "accept_path": reverse("frontend:invitation", kwargs={"token": token}),
        },
    )


@transaction.atomic
def invitation_create(*, acting_user: User, organisation: Organisation, email: str, role: str) -> Invitation:
    require_org_permission(acting_user, organisation, "manage_members")
    if role not in Role.values:
        raise InvalidInput(f"Unknown role {role!r}.", code="unknown_role", fields={"role": ["Unknown role."]})
    if role == Role.OWNER:
        require_org_permission(acting_user, organisation, "manage_owners")
    email = email.strip()
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise Conflict(
            f"{email} is already a member.", code="already_member", fields={"email": ["Already a member."]}
        )
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            invitation = Invitation.objects.create(
                organisation=organisation,
                email=email,
                role=role,
                token_hash=_token_hash(token),
                invited_by=acting_user,
                expires_at=timezone.now() + INVITATION_LIFETIME,
            )
    except IntegrityError as exc:
        raise Conflict(
            f"{email} already has a pending invitation.",
            code="already_invited",
            fields={"email": ["Already invited."]},
        ) from exc
    audit_record(
        actor=acting_user,
        action="invitation.create",
        target=organisation,
        summary=f"Invited {email} as {role}",
    )
    transaction.on_commit(partial(_send_invitation_email, invitation.pk, token))
    # The token is not stored; the caller gets it once (to show a copyable link), like the email.
    invitation.token = token
    return invitation


def invitation_by_token(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if invitation is None:
        raise NotFound("This invitation link is not valid.", code="invitation_not_found")
    return invitation


def _open_invitation_for(user: User, token: str) -> Invitation:
    invitation = invitation_by_token(token)
    if invitation.status != Invitation.Status.PENDING:
        raise Conflict(f"This invitation was already {invitation.status}.", code="invitation_closed")
    if invitation.expires_at <= timezone.now():
        raise Conflict("This invitation has expired. Ask for a new one.", code="invitation_expired")
    if invitation.email.lower() != user.email.lower():
        raise PermissionDenied(
            f"This invitation was sent to {invitation.email}; you are logged in as {user.email}.",
            code="invitation_email_mismatch",
        )
    return invitation


@transaction.atomic
def invitation_accept(*, acting_user: User, token: str) -> Membership:
    invitation = _open_invitation_for(acting_user, token)
    invitation = transition(
        invitation,
        Invitation.Status.ACCEPTED,
        actor=acting_user,
        accepted_by=acting_user,
        responded_at=timezone.now(),
    )
    organisation = invitation.organisation
    membership, created = Membership.objects.get_or_create(
        organisation=organisation, user=acting_user, defaults={"role": invitation.role}
    )
    if created:
        _grant_role(organisation, acting_user, invitation.role)
        _membership_changed(organisation, acting_user.pk)
        audit_record(
            actor=acting_user,
            action="member.join",
            target=organisation,
            summary=f"{acting_user.email} joined as {invitation.role}",
        )
    return membership


@transaction.atomic
def invitation_decline(*, acting_user: User, token: str) -> Invitation:
    invitation = _open_invitation_for(acting_user, token)
    return transition(invitation, Invitation.Status.DECLINED, actor=acting_user, responded_at=timezone.now())


@transaction.atomic
def invitation_revoke(*, acting_user: User, organisation: Organisation, invitation_id: int) -> Invitation:
    require_org_permission(acting_user, organisation, "manage_members")
    invitation = Invitation.objects.filter(pk=invitation_id, organisation=organisation).first()
    if invitation is None:
        raise NotFound("No such invitation.", code="invitation_not_found")
    invitation = transition(
        invitation, Invitation.Status.REVOKED, actor=acting_user, responded_at=timezone.now()
    )
    audit_record(
        actor=acting_user,
        action="invitation.revoke",
        target=organisation,
        summary=f"Revoked {invitation.email}",
    )
    return invitation


@transaction.atomic
def api_key_create(
    *, acting_user: User, organisation: Organisation, name: str
) -> tuple[OrganisationAPIKey, str]:
    """Returns the key row and the secret, which is shown once and stored only hashed."""
    require_org_permission(acting_user, organisation, "manage_api_keys")
    if not name.strip():
        raise InvalidInput("Name the key after the integration that will use it.", code="name_required")
    api_key, secret = OrganisationAPIKey.objects.create_key(
        name=name.strip(), organisation=organisation, created_by=acting_user
    )
    audit_record(
        actor=acting_user, action="api_key.create", target=organisation, summary=f"API key {api_key.prefix}"
    )
    return api_key, secret


@transaction.atomic
def api_key_revoke(*, acting_user: User, organisation: Organisation, key_id: str) -> None:
    require_org_permission(acting_user, organisation, "manage_api_keys")
    updated = OrganisationAPIKey.objects.filter(pk=key_id, organisation=organisation, revoked=False).update(
        revoked=True
    )
    if not updated:
        raise NotFound("No such active API key.", code="api_key_not_found")
    audit_record(
        actor=acting_user, action="api_key.revoke", target=organisation, summary=f"API key {key_id} revoked"
    )
