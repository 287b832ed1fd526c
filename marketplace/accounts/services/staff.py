"""Support staff's moderation of accounts: suspension and verification badges, all audited."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from marketplace.core.audit import audit_record
from marketplace.core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied

from ..models import Badge, User


def _require_staff(acting_user: User) -> None:
    if not (acting_user.is_authenticated and acting_user.is_staff):
        raise PermissionDenied("Only support staff can do this.", code="staff_only")


def _locked_user(user_id: int) -> User:
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        raise NotFound("No such user.", code="user_not_found")
    return user


@transaction.atomic
def user_suspend(*, acting_user: User, user_id: int, reason: str) -> User:
    _require_staff(acting_user)
    if not reason.strip():
        raise InvalidInput("Say why: the user will read this reason.", code="reason_required")
    user = _locked_user(user_id)
    if user.pk == acting_user.pk:
        raise Conflict("You cannot suspend yourself.", code="cannot_suspend_self")
    if user.is_suspended:
        raise Conflict("This user is already suspended.", code="already_suspended")
    user.suspended_at = timezone.now()
    user.suspension_reason = reason.strip()
    user.save(update_fields=["suspended_at", "suspension_reason"])
    audit_record(
        actor=acting_user, action="user.suspend", target=user, summary=f"Suspended: {reason.strip()}"
    )
    return user


@transaction.atomic
def user_reinstate(*, acting_user: User, user_id: int, note: str = "") -> User:
    _require_staff(acting_user)
    user = _locked_user(user_id)
    if not user.is_suspended:
        raise Conflict("This user is not suspended.", code="not_suspended")
    user.suspended_at = None
    user.suspension_reason = ""
    user.save(update_fields=["suspended_at", "suspension_reason"])
    audit_record(
        actor=acting_user, action="user.reinstate", target=user, summary=f"Reinstated. {note}".strip()
    )
    return user


@transaction.atomic
def badge_grant(*, acting_user: User, user_id: int, kind: str) -> Badge:
    _require_staff(acting_user)
    if kind not in Badge.Kind.values:
        raise InvalidInput(f"Unknown badge {kind!r}.", code="unknown_badge")
    user = _locked_user(user_id)
    try:
        with transaction.atomic():
            badge = Badge.objects.create(user=user, kind=kind, granted_by=acting_user)
    except IntegrityError as exc:
        raise Conflict("The user already has this badge.", code="badge_already_granted") from exc
    audit_record(
        actor=acting_user, action="badge.grant", target=user, summary=f"Granted {badge.get_kind_display()}"
    )
    return badge


@transaction.atomic
def badge_revoke(*, acting_user: User, user_id: int, kind: str) -> None:
    _require_staff(acting_user)
    user = _locked_user(user_id)
    deleted, _ = Badge.objects.filter(user=user, kind=kind).delete()
    if not deleted:
        raise NotFound("The user does not have this badge.", code="badge_not_found")
    audit_record(
        actor=acting_user, action="badge.revoke", target=user, summary=f"Revoked {Badge.Kind(kind).label}"
    )
