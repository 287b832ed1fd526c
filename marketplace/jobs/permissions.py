"""Who may act for the client side of a job, offer or contract.

A job posted by a client alone is theirs; a job posted for an organisation belongs to the
organisation, and its members act on it through their role's permissions (``manage_jobs`` to
edit, invite and sort proposals, ``make_offers`` to send offers). Services call these; pages
and the API never decide.
"""

from marketplace.accounts.models import Membership
from marketplace.accounts.permissions import require_org_permission
from marketplace.core.exceptions import PermissionDenied


def _refuse_if_suspended(user) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("Log in first.", code="not_authenticated")
    if user.is_suspended:
        raise PermissionDenied("Your account is suspended.", code="account_suspended")


def require_client_side(user, *, client_id: int, organisation, codename: str) -> None:
    """Refuse unless ``user`` acts for this client: the client themself, or a member of the
    organisation whose role grants ``codename``."""
    _refuse_if_suspended(user)
    if organisation is not None:
        require_org_permission(user, organisation, codename)
    elif user.pk != client_id:
        raise PermissionDenied("Only the client who posted this job can do that.", code="not_job_owner")


def require_job_control(user, job, codename: str = "manage_jobs") -> None:
    require_client_side(user, client_id=job.client_id, organisation=job.organisation, codename=codename)


def is_client_side(user, *, client_id: int, organisation_id: int | None) -> bool:
    """Sees the client's side of things (any role, viewers included)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.pk == client_id:
        return True
    return (
        organisation_id is not None
        and Membership.objects.filter(organisation_id=organisation_id, user=user).exists()
    )


def require_freelancer(user, freelancer_id: int, *, message: str) -> None:
    _refuse_if_suspended(user)
    if user.pk != freelancer_id:
        raise PermissionDenied(message, code="not_the_freelancer")
