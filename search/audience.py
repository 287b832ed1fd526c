"""Who may find a document, as tokens: a document lists the tokens of its audience, a viewer holds
tokens, and a query finds a document only when they share one. The rules mirror the visibility
selectors (``accounts.selectors._visible_profiles``, ``jobs.selectors.jobs_visible_to``), and
results are hydrated through those selectors again, so visibility holds twice.

Tokens: ``public`` (everyone), ``staff``, ``user:<id>`` (that person: a profile's owner, a job's
poster, invitees and hires), ``member:<org>`` (the organisation's members), ``pool:<org>`` (the
freelancers with an active membership in one of the organisation's pools).
"""

from marketplace.organisations.models import Membership, PoolMembership

PUBLIC = "public"
STAFF = "staff"


def user_token(user_id: int) -> str:
    return f"user:{user_id}"


def member_token(organisation_id: int) -> str:
    return f"member:{organisation_id}"


def pool_token(organisation_id: int) -> str:
    return f"pool:{organisation_id}"


def viewer_audience(viewer) -> frozenset[str]:
    """The viewer's tokens (two queries for a logged-in person, none for a visitor)."""
    if not getattr(viewer, "is_authenticated", False):
        return frozenset({PUBLIC})
    tokens = {PUBLIC, user_token(viewer.pk)}
    if viewer.is_staff:
        tokens.add(STAFF)
    tokens.update(
        member_token(org)
        for org in Membership.objects.filter(user=viewer).values_list("organisation_id", flat=True)
    )
    active = PoolMembership.objects.filter(freelancer=viewer, status=PoolMembership.Status.ACTIVE)
    tokens.update(pool_token(org) for org in active.values_list("pool__organisation_id", flat=True))
    return frozenset(tokens)
