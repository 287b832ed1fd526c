"""Talent pool membership: an organisation invites, the freelancer accepts or declines, either
side can end it. Only active memberships make pool-only profiles (and later, pool jobs) visible."""

from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from marketplace.core.audit import audit_record
from marketplace.core.exceptions import Conflict, InvalidInput, NotFound
from marketplace.core.transitions import transition

from ..models import Organisation, PoolMembership, TalentPool, User
from ..permissions import membership_of, require_org_permission


def default_pool(organisation: Organisation) -> TalentPool:
    return TalentPool.objects.get(organisation=organisation, is_default=True)


def _send_pool_invitation_email(membership_id: int) -> None:
    membership = PoolMembership.objects.select_related("pool__organisation", "freelancer").get(
        pk=membership_id
    )
    send_mail(
        subject=f"{membership.pool.organisation.name} invited you to its talent pool",
        message=render_to_string(
            "accounts/email/pool_invitation.txt", {"membership": membership, "base_url": settings.SITE_URL}
        ),
        from_email=None,
        recipient_list=[membership.freelancer.email],
    )


def _freelancer_to_invite(acting_user: User, freelancer_email: str, freelancer_handle: str) -> User:
    """By the address of their account, or by the handle of a profile the inviter can see (so the
    profile page's invite button need not publish the freelancer's email)."""
    if freelancer_handle:
        from ..selectors import profiles_visible_to

        profile = profiles_visible_to(acting_user).filter(handle=freelancer_handle).first()
        freelancer = profile.user if profile is not None else None
        wanted = "this profile"
    else:
        freelancer = User.objects.filter(email__iexact=freelancer_email.strip(), is_freelancer=True).first()
        wanted = freelancer_email
    if freelancer is None or freelancer.is_suspended or not freelancer.is_freelancer:
        raise InvalidInput(
            f"No freelancer account matches {wanted}. Ask them to sign up as a freelancer first.",
            code="freelancer_not_found",
            fields={"freelancer_email": ["No freelancer with this address."]},
        )
    return freelancer


@transaction.atomic
def pool_invite(
    *,
    acting_user: User,
    organisation: Organisation,
    freelancer_email: str = "",
    freelancer_handle: str = "",
    message: str = "",
) -> PoolMembership:
    require_org_permission(acting_user, organisation, "manage_pool")
    freelancer = _freelancer_to_invite(acting_user, freelancer_email, freelancer_handle)
    pool = default_pool(organisation)
    try:
        with transaction.atomic():
            membership = PoolMembership.objects.create(
                pool=pool, freelancer=freelancer, invited_by=acting_user, message=message
            )
    except IntegrityError as exc:
        raise Conflict(
            f"{freelancer.email} is already invited to or in this pool.", code="already_in_pool"
        ) from exc
    audit_record(
        actor=acting_user,
        action="pool.invite",
        target=organisation,
        summary=f"Invited {freelancer.email} to the pool",
    )
    transaction.on_commit(partial(_send_pool_invitation_email, membership.pk))
    return membership


def _own_membership(user: User, membership_id: int) -> PoolMembership:
    membership = PoolMembership.objects.select_related("pool__organisation").filter(pk=membership_id).first()
    if membership is None or membership.freelancer_id != user.pk:
        raise NotFound("No such pool invitation.", code="pool_membership_not_found")
    return membership


@transaction.atomic
def pool_membership_accept(*, acting_user: User, membership_id: int) -> PoolMembership:
    membership = _own_membership(acting_user, membership_id)
    return transition(
        membership, PoolMembership.Status.ACTIVE, actor=acting_user, responded_at=timezone.now()
    )


@transaction.atomic
def pool_membership_decline(*, acting_user: User, membership_id: int) -> PoolMembership:
    membership = _own_membership(acting_user, membership_id)
    return transition(
        membership, PoolMembership.Status.DECLINED, actor=acting_user, responded_at=timezone.now()
    )


@transaction.atomic
def pool_membership_end(*, acting_user: User, membership_id: int, reason: str = "") -> PoolMembership:
    """The freelancer leaves, or a pool manager of the organisation ends (or withdraws) it. To anyone
    outside the organisation (staff aside) a membership answers as an unknown id does."""
    membership = PoolMembership.objects.select_related("pool__organisation").filter(pk=membership_id).first()
    if membership is None:
        raise NotFound("No such pool membership.", code="pool_membership_not_found")
    organisation = membership.pool.organisation
    if membership.freelancer_id != acting_user.pk:
        if membership_of(acting_user, organisation) is None and not acting_user.is_staff:
            raise NotFound("No such pool membership.", code="pool_membership_not_found")
        require_org_permission(acting_user, organisation, "manage_pool")
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
