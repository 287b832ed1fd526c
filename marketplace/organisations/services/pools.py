"""Talent pool membership: an organisation invites, the freelancer accepts or declines, either
side can end it. Only active memberships make pool-only profiles (and later, pool jobs) visible."""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.accounts.selectors import profiles_visible_to
from marketplace.core.audit import audit_record
from marketplace.core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied, RateLimited
from marketplace.core.mail import send_site_email
from marketplace.core.transitions import transition

from .. import events
from ..models import Organisation, PoolMembership, TalentPool
from ..permissions import membership_of, require_org_permission
from ..selectors import pool_memberships_addressed_to
from .joining import membership_joined


def default_pool(organisation: Organisation) -> TalentPool:
    return TalentPool.objects.get(organisation=organisation, is_default=True)


def _pool_of(organisation: Organisation, pool_id: int) -> TalentPool:
    pool = TalentPool.objects.filter(organisation=organisation, pk=pool_id).first()
    if pool is None:
        raise InvalidInput(
            "That pool is not one of this organisation's.",
            code="pool_not_found",
            fields={"pool": ["Choose one of the organisation's pools."]},
        )
    return pool


def _send_pool_invitation_email(membership_id: int) -> None:
    """To the address the inviter typed (or the handle's account): the same words whether or not
    an account has that address, since who holds it answers when logged in with it."""
    membership = PoolMembership.objects.select_related("pool__organisation", "freelancer").get(
        pk=membership_id
    )
    send_site_email(
        to=membership.email or membership.freelancer.email,
        subject=f"{membership.pool.organisation.name} invited you to its talent pool",
        template="organisations/email/pool_invitation.txt",
        context={"membership": membership},
    )


def _freelancer_by_handle(acting_user: User, freelancer_handle: str) -> User:
    """The freelancer of a profile the inviter can see (the profile page's invite button), so the
    page need not publish the freelancer's email; a profile they cannot see is not found."""
    profile = profiles_visible_to(acting_user).filter(handle=freelancer_handle).first()
    freelancer = profile.user if profile is not None else None
    if freelancer is None or freelancer.is_suspended or not freelancer.is_freelancer:
        raise InvalidInput(
            "No freelancer profile matches this handle.",
            code="freelancer_not_found",
            fields={"freelancer_handle": ["No freelancer with this handle."]},
        )
    return freelancer


def _require_below_invitation_limits(acting_user: User, organisation: Organisation) -> None:
    """At most ``POOL_INVITES_PER_INVITER_PER_DAY`` invitations by one person and
    ``POOL_INVITES_PER_ORGANISATION_PER_DAY`` to one organisation's pools in any 24 hours (each
    invitation emails someone who did not ask). Counted with the inviter's and the organisation's
    rows locked, in that order, so two requests cannot both take the last place."""
    User.objects.select_for_update().filter(pk=acting_user.pk).first()
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    since = timezone.now() - timedelta(hours=24)
    recent = PoolMembership.objects.filter(invited_at__gte=since)
    if recent.filter(invited_by=acting_user).count() >= settings.POOL_INVITES_PER_INVITER_PER_DAY:
        raise RateLimited(
            f"You have sent {settings.POOL_INVITES_PER_INVITER_PER_DAY} talent pool invitations in the "
            "last 24 hours, the limit. Try again later.",
            code="pool_invites_inviter_limit",
        )
    limit = settings.POOL_INVITES_PER_ORGANISATION_PER_DAY
    if recent.filter(pool__organisation=organisation).count() >= limit:
        raise RateLimited(
            f"{organisation.name} has sent {limit} talent pool invitations in the last 24 hours, the "
            "limit. Try again later.",
            code="pool_invites_organisation_limit",
        )


@transaction.atomic
def pool_invite(
    *,
    acting_user: User,
    organisation: Organisation,
    freelancer_email: str = "",
    freelancer_handle: str = "",
    message: str = "",
    pool_id: int | None = None,
) -> PoolMembership:
    """Invite by the address typed (stored as typed, never matched to an account here) or by the
    handle of a profile the inviter can see, to the pool ``pool_id`` of the organisation (its
    default pool when None). The answer is the same for any well-formed address."""
    require_org_permission(acting_user, organisation, "manage_pool")
    if freelancer_handle:
        freelancer, email = _freelancer_by_handle(acting_user, freelancer_handle), ""
    else:
        freelancer, email = None, freelancer_email.strip().lower()
        if not email:
            raise InvalidInput(
                "Enter the freelancer's email address.",
                code="freelancer_email_required",
                fields={"freelancer_email": ["Enter an email address."]},
            )
    pool = default_pool(organisation) if pool_id is None else _pool_of(organisation, pool_id)
    _require_below_invitation_limits(acting_user, organisation)
    try:
        with transaction.atomic():
            membership = PoolMembership.objects.create(
                pool=pool, freelancer=freelancer, email=email, invited_by=acting_user, message=message
            )
    except IntegrityError as exc:
        raise Conflict(
            f"{email or freelancer_handle} is already invited to or in this pool.", code="already_in_pool"
        ) from exc
    audit_record(
        actor=acting_user,
        action="pool.invite",
        target=organisation,
        summary=f"Invited {membership.invitee} to the pool “{pool.name}”",
        pool=pool.pk,
    )
    transaction.on_commit(partial(_send_pool_invitation_email, membership.pk))
    transaction.on_commit(
        partial(events.pool_member_invited.send, sender=PoolMembership, membership_id=membership.pk)
    )
    return membership


def _own_membership(user: User, membership_id: int) -> PoolMembership:
    """One of the user's own: theirs by account, or an invitation to the address they log in with
    (allauth makes them verify it first)."""
    membership = (
        pool_memberships_addressed_to(user)
        .select_related("pool__organisation")
        .filter(pk=membership_id)
        .first()
    )
    if membership is None:
        raise NotFound("No such pool invitation.", code="pool_membership_not_found")
    return membership


@transaction.atomic
def pool_membership_accept(*, acting_user: User, membership_id: int) -> PoolMembership:
    membership = _own_membership(acting_user, membership_id)
    if acting_user.is_suspended or not acting_user.is_freelancer:
        raise PermissionDenied(
            "Talent pools are for freelancers: turn on “works as a freelancer” in your account first.",
            code="not_a_freelancer",
        )
    try:
        with transaction.atomic():
            locked = PoolMembership.objects.select_for_update().select_related("pool__organisation")
            return membership_joined(
                locked.get(pk=membership.pk),
                actor=acting_user,
                reason="Accepted the invitation.",
                responded_at=timezone.now(),
                freelancer=acting_user,
            )
    except IntegrityError as exc:
        raise Conflict(
            "You are already in this talent pool (or invited to it another way).", code="already_in_pool"
        ) from exc


@transaction.atomic
def pool_membership_decline(*, acting_user: User, membership_id: int) -> PoolMembership:
    membership = _own_membership(acting_user, membership_id)
    return transition(
        membership,
        PoolMembership.Status.DECLINED,
        actor=acting_user,
        responded_at=timezone.now(),
        freelancer=acting_user,
    )


def pool_membership_to_end(*, acting_user: User, membership_id: int) -> PoolMembership:
    """The pool membership ``acting_user`` may end: the freelancer's own, or one of an organisation
    whose pool they manage (403 ``role_forbids`` for its other members). To anyone outside the
    organisation (staff aside) a membership answers as an unknown id does."""
    membership = PoolMembership.objects.select_related("pool__organisation").filter(pk=membership_id).first()
    if membership is None:
        raise NotFound("No such pool membership.", code="pool_membership_not_found")
    organisation = membership.pool.organisation
    if membership.freelancer_id != acting_user.pk:
        if membership_of(acting_user, organisation) is None and not acting_user.is_staff:
            raise NotFound("No such pool membership.", code="pool_membership_not_found")
        require_org_permission(acting_user, organisation, "manage_pool")
    return membership


@transaction.atomic
def pool_membership_end(*, acting_user: User, membership_id: int, reason: str = "") -> PoolMembership:
    """The freelancer leaves, or a pool manager of the organisation ends (or withdraws) it."""
    membership = pool_membership_to_end(acting_user=acting_user, membership_id=membership_id)
    organisation = membership.pool.organisation
    membership = transition(
        membership,
        PoolMembership.Status.ENDED,
        actor=acting_user,
        reason=reason,
        ended_at=timezone.now(),
        ended_by=acting_user,
        end_reason=reason,
    )
    audit_record(
        actor=acting_user,
        action="pool.end",
        target=organisation,
        summary=f"Pool membership {membership.pk} ended",
        freelancer=membership.freelancer_id,
    )
    return membership
