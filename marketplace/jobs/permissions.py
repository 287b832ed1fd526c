"""Who is on the client side of a job, offer or contract, and who may act for it: the one home of
that rule (selectors, services, pages and notifications all ask here).

A job posted by a client alone is theirs; a job posted for an organisation belongs to the
organisation, whose members all *see* its side of things (viewers included) and *act* on it
through their role's permissions (``manage_jobs`` to edit, invite and sort proposals,
``make_offers`` to send offers, ``fund_work``, ``approve_payments``). Services call the
``require_*`` checks; pages and the API never decide.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from marketplace.core.exceptions import PermissionDenied
from marketplace.organisations.models import Membership
from marketplace.organisations.permissions import ROLE_PERMISSIONS, require_org_permission


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


def is_client_side(user, row) -> bool:
    """Whether ``user`` sees the client's side of ``row`` (a job, offer or contract: anything with a
    ``client_id`` and an ``organisation_id``), any role, viewers included."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.pk == row.client_id:
        return True
    return (
        row.organisation_id is not None
        and Membership.objects.filter(organisation_id=row.organisation_id, user=user).exists()
    )


def client_side_q(viewer, prefix: str = "") -> Q:
    """The same rule as a filter: rows (``prefix`` leads to their ``client`` and ``organisation``)
    whose client side includes ``viewer``. The viewer's organisations are one ``IN`` list (hashed
    once per query), not a test per row, so the planner costs a scan with it for what it is."""
    member_of = Membership.objects.filter(user=viewer).values("organisation")
    return Q(**{f"{prefix}client": viewer}) | Q(**{f"{prefix}organisation__in": member_of})


@dataclass(frozen=True)
class ClientSideGrants:
    """What one user may do on the client side of many rows (jobs, offers, contracts), read once:
    for lists that show a control per row. The same rule as ``require_client_side``; the services
    check again when a control is used."""

    user_id: int | None
    by_organisation: dict[int, frozenset[str]] = field(default_factory=dict)

    def allow(self, row, codename: str) -> bool:
        if row.organisation_id is not None:
            return codename in self.by_organisation.get(row.organisation_id, frozenset())
        return self.user_id is not None and row.client_id == self.user_id


def client_side_grants(user) -> ClientSideGrants:
    """The user's grants: their own rows, and each organisation's by their role (one query); nothing
    for a suspended user or a visitor."""
    if not getattr(user, "is_authenticated", False) or user.is_suspended:
        return ClientSideGrants(None)
    roles = Membership.objects.filter(user=user).values_list("organisation_id", "role")
    return ClientSideGrants(user.pk, {org: ROLE_PERMISSIONS[role] for org, role in roles})


def roles_granting_any(codenames: Iterable[str]) -> list[str]:
    """The organisation roles whose permissions include at least one of ``codenames``."""
    wanted = set(codenames)
    return sorted(role for role, granted in ROLE_PERMISSIONS.items() if wanted & granted)


def client_side_ids(
    *, client_id: int, organisation_id: int | None, codename: str = "manage_jobs"
) -> set[int]:
    """Who on the client side is told of news: the client and, for an organisation, its members whose
    role grants ``codename``."""
    return client_side_ids_any(client_id=client_id, organisation_id=organisation_id, codenames=(codename,))


def client_side_ids_any(*, client_id: int, organisation_id: int | None, codenames: Iterable[str]) -> set[int]:
    """The client and, for an organisation, its members whose role grants any of ``codenames`` (one
    query): who acts on a proposal or a contract, say, where several permissions each act on it."""
    ids = {client_id}
    if organisation_id is not None:
        ids.update(
            Membership.objects.filter(
                organisation_id=organisation_id, role__in=roles_granting_any(codenames)
            ).values_list("user_id", flat=True)
        )
    return ids


def require_proposer(user) -> None:
    """Only an account that works as a freelancer (and is not suspended) sends proposals."""
    if not getattr(user, "is_authenticated", False) or user.is_suspended or not user.is_freelancer:
        raise PermissionDenied("Only freelancers can send proposals.", code="not_a_freelancer")


def require_freelancer(user, freelancer_id: int, *, message: str) -> None:
    _refuse_if_suspended(user)
    if user.pk != freelancer_id:
        raise PermissionDenied(message, code="not_the_freelancer")


def require_proposal_author(user, proposal, doing: str) -> None:
    """Only the proposal's freelancer edits, withdraws or attaches to it (403 ``not_the_freelancer``)."""
    require_freelancer(
        user, proposal.freelancer_id, message=f"Only the freelancer can {doing} this proposal."
    )


def require_offer_answerer(user, offer) -> None:
    """Only the offer's freelancer accepts or declines it (403 ``not_the_freelancer``)."""
    require_freelancer(user, offer.freelancer_id, message="Only the freelancer can answer this offer.")


def require_offer_control(user, offer) -> None:
    """The client side with ``make_offers`` sends and withdraws offers."""
    require_client_side(
        user, client_id=offer.client_id, organisation=offer.organisation, codename="make_offers"
    )
