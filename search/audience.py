"""Who may find a document, as tokens: a document lists the tokens of its audience, a viewer holds
tokens, and a query finds a document only when they share one. The rules mirror the visibility
selectors (``accounts.selectors._visible_profiles``, ``jobs.selectors.jobs_visible_to``), and
results are hydrated through those selectors again, so visibility holds twice.

Tokens: ``public`` (everyone), ``staff``, ``user:<id>`` (that person: a profile's owner, a job's
poster, invitees and hires), ``member:<org>`` (the organisation's members), ``talentpool:<pool>``
(the pool's active members and the holders of an override for the whole pool) and ``pooljob:<job>``
(the holders of an override for that one pool job) — both from
``organisations.selectors.eligibility``, which the jobs selector asks too. Who holds them is
resolved when someone searches, so a membership that moves, or an override that runs out, changes
what its worker finds without touching the index.
"""

from marketplace.organisations.models import Membership
from marketplace.organisations.selectors.eligibility import job_override_job_ids, pool_ids_open_to

PUBLIC = "public"
STAFF = "staff"


def user_token(user_id: int) -> str:
    return f"user:{user_id}"


def member_token(organisation_id: int) -> str:
    return f"member:{organisation_id}"


def pool_token(pool_id: int) -> str:
    # Not "pool:": documents indexed before pools were several carry "pool:<organisation>".
    return f"talentpool:{pool_id}"


def pool_job_token(job_id: int) -> str:
    return f"pooljob:{job_id}"


def viewer_audience(viewer) -> frozenset[str]:
    """The viewer's tokens (three queries for a logged-in person, none for a visitor)."""
    if not getattr(viewer, "is_authenticated", False):
        return frozenset({PUBLIC})
    tokens = {PUBLIC, user_token(viewer.pk)}
    if viewer.is_staff:
        tokens.add(STAFF)
    tokens.update(
        member_token(org)
        for org in Membership.objects.filter(user=viewer).values_list("organisation_id", flat=True)
    )
    tokens.update(pool_token(row["pool_id"]) for row in pool_ids_open_to(viewer))
    tokens.update(pool_job_token(row["job_id"]) for row in job_override_job_ids(viewer))
    return frozenset(tokens)
