"""Reads of organisations, their members, invitations, API keys and talent pools, already filtered
to what the viewer may see (or raising the 404 of an unknown organisation)."""

from django.db.models import Q, QuerySet
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.core.exceptions import NotFound

from ..models import Invitation, Membership, Organisation, OrganisationAPIKey, PoolMembership


def memberships_of(user: User) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__name")


def organisation_for_member(*, slug: str, user) -> tuple[Organisation, Membership | None]:
    """The organisation and the viewer's membership; staff see any organisation (membership None)."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None or not getattr(user, "is_authenticated", False):
        raise NotFound("No such organisation.", code="organisation_not_found")
    membership = Membership.objects.filter(organisation=organisation, user=user).first()
    if membership is None and not user.is_staff:
        raise NotFound("No such organisation.", code="organisation_not_found")
    return organisation, membership


def members_of(organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("joined_at", "pk")
    )


def invitations_pending(organisation: Organisation) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        organisation=organisation, status=Invitation.Status.PENDING
    ).select_related("invited_by")


def pool_memberships_of(organisation: Organisation, *, live_only: bool = True) -> QuerySet[PoolMembership]:
    memberships = PoolMembership.objects.filter(pool__organisation=organisation).select_related(
        "freelancer__freelancer_profile__avatar", "freelancer__freelancer_profile__city", "invited_by"
    )
    if live_only:
        memberships = memberships.filter(status__in=PoolMembership.LIVE)
    return memberships.order_by("status", "-invited_at", "-pk")


def pool_memberships_addressed_to(user: User) -> QuerySet[PoolMembership]:
    """The user's pool memberships: those naming their account, and invitations to their address
    that nobody has answered yet (an invitation by address names no account until then)."""
    if not getattr(user, "is_authenticated", False):
        return PoolMembership.objects.none()
    by_address = Q(freelancer__isnull=True, email=user.email.strip().lower())
    return PoolMembership.objects.filter(Q(freelancer=user) | by_address)


def pool_memberships_for_freelancer(user: User) -> QuerySet[PoolMembership]:
    return (
        pool_memberships_addressed_to(user)
        .filter(status__in=PoolMembership.LIVE)
        .select_related("pool__organisation", "invited_by")
        .order_by("status", "-invited_at")
    )


def api_keys_of(organisation: Organisation) -> QuerySet[OrganisationAPIKey]:
    return (
        OrganisationAPIKey.objects.filter(organisation=organisation)
        .select_related("created_by")
        .order_by("-created")
    )


def organisations_where_user_can(user, codename: str) -> QuerySet[Organisation]:
    """Organisations in which ``user``'s role grants ``organisations.<codename>`` (one query)."""
    if not getattr(user, "is_authenticated", False) or user.is_suspended:
        return Organisation.objects.none()
    return Organisation.objects.filter(
        organisationuserobjectpermission__user=user,
        organisationuserobjectpermission__permission__codename=codename,
    ).order_by("name")


def invitation_state_for(invitation: Invitation, viewer) -> str:
    """What the invitation page says to ``viewer``: "open" (may accept or decline), "closed"
    (already accepted, declined or revoked), "expired", "other_address" (logged in as someone
    other than the invitee) or "anonymous". The services enforce the same rules on accept/decline."""
    if invitation.status != Invitation.Status.PENDING:
        return "closed"
    if invitation.expires_at <= timezone.now():
        return "expired"
    if not getattr(viewer, "is_authenticated", False):
        return "anonymous"
    if invitation.email.lower() != viewer.email.lower():
        return "other_address"
    return "open"


# --- Reads for the REST API (marketplace/organisations/api) ----------------------------------------


def organisation_by_slug(slug: str) -> Organisation:
    """An organisation by slug, whoever asks (for an API key's or a job's own checks)."""
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise NotFound("No such organisation.", code="organisation_not_found")
    return organisation


def organisation_to_write(*, slug: str, user) -> Organisation:
    """An organisation for a write by ``user``: its members and staff get it, and the service then
    decides what the role allows (403 ``role_forbids``); everyone else gets the 404 of an unknown
    slug, so a write reveals no more than a read that an organisation exists."""
    organisation, _ = organisation_for_member(slug=slug, user=user)
    return organisation


def api_key_usable(secret: str) -> OrganisationAPIKey | None:
    """The organisation API key ``secret`` belongs to, unless it is unknown, revoked or expired."""
    prefix, _, _ = secret.partition(".")
    api_key = (
        OrganisationAPIKey.objects.get_usable_keys()
        .select_related("organisation")
        .filter(prefix=prefix)
        .first()
    )
    if api_key is None or not api_key.is_valid(secret) or api_key.has_expired:
        return None
    return api_key


def organisation_for_api_key(*, slug: str, api_key: OrganisationAPIKey) -> Organisation:
    """An API key sees its own organisation and no other (which answers as if it did not exist)."""
    if api_key.organisation.slug != slug:
        raise NotFound("No such organisation.", code="organisation_not_found")
    return api_key.organisation
