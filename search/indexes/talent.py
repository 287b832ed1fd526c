"""The talent index: freelancer profiles, for clients looking for someone to hire.

Document id: the profile's primary key. A profile belongs in the index while its user is active;
who finds it is its audience (``search.audience``): everyone when it is public, its owner's user is a
freelancer and not suspended; the members of the organisations whose pools hold the freelancer
(active membership) when it is pool-only and not suspended; always its owner and staff.
"""

from collections import defaultdict
from collections.abc import Sequence

from django.conf import settings
from django.db.models import Prefetch

from marketplace.accounts.models import Badge, FreelancerProfile, PortfolioItem
from marketplace.organisations.models import PoolMembership

from ..audience import PUBLIC, STAFF, member_token, user_token
from ..types import Document
from .base import Field, IndexDefinition, Kind, RankBoost, Sort, document

FIELDS = (
    Field("name", Kind.TEXT, boost=2.0, autocomplete=True),
    Field("headline", Kind.TEXT, boost=3.0, highlight=True),
    Field("skills_text", Kind.TEXT, boost=2.0),
    Field("portfolio", Kind.TEXT, boost=1.5),
    Field("bio", Kind.TEXT, boost=1.0, highlight=True),
    Field("skills", Kind.KEYWORD, facet=True),
    Field("country", Kind.KEYWORD, facet=True),
    Field("availability", Kind.KEYWORD, facet=True),
    Field("badges", Kind.KEYWORD, facet=True),
    Field("currency", Kind.KEYWORD),
    # Organisation ids whose pools hold the freelancer: a filter for an organisation's own members
    # only (the selector checks), never a facet, which would tell one organisation about another's.
    Field("pools", Kind.KEYWORD),
    Field("rate", Kind.NUMBER),  # hourly rate, minor units
    Field("rating", Kind.NUMBER),  # published reviews' average, 1-5
    Field("jss", Kind.NUMBER),  # job success score, 0-100, None until it is shown
    Field("updated", Kind.NUMBER),
)
SORTS = (
    Sort("relevance"),
    Sort("rate", "rate"),
    Sort("-rate", "rate", descending=True),
    Sort("distance"),
)


def _audience(profile: FreelancerProfile, pool_orgs: list[int]) -> set[str]:
    user = profile.user
    audience = {STAFF, user_token(user.pk)}
    if user.suspended_at is not None:
        return audience
    if profile.visibility == FreelancerProfile.Visibility.PUBLIC and user.is_freelancer:
        audience.add(PUBLIC)
    elif profile.visibility == FreelancerProfile.Visibility.POOL:
        audience.update(member_token(org) for org in pool_orgs)
    return audience


def talent_documents(ids: Sequence[int]) -> list[Document]:
    """Documents for those of ``ids`` that belong in the index (five queries, whatever the count)."""
    profiles = (
        FreelancerProfile.objects.filter(pk__in=list(ids), user__is_active=True)
        .select_related("user__freelancer_reputation", "city")
        .prefetch_related(
            "skills",
            Prefetch("portfolio_items", queryset=PortfolioItem.objects.only("profile_id", "title")),
            Prefetch("user__badges", queryset=Badge.objects.only("user_id", "kind")),
        )
    )
    profiles = list(profiles)
    pools = defaultdict(set)
    memberships = PoolMembership.objects.filter(
        freelancer_id__in=[profile.user_id for profile in profiles], status=PoolMembership.Status.ACTIVE
    ).values_list("freelancer_id", "pool__organisation_id")
    for freelancer_id, organisation_id in memberships:
        pools[freelancer_id].add(organisation_id)
    documents = []
    for profile in profiles:
        user = profile.user
        reputation = getattr(user, "freelancer_reputation", None)
        skills = sorted(profile.skills.all(), key=lambda skill: skill.name)
        pool_orgs = sorted(pools[user.pk])
        fields = {
            "name": user.full_name or profile.handle,
            "headline": profile.headline,
            "skills_text": " ".join(skill.name for skill in skills),
            "portfolio": " ".join(item.title for item in profile.portfolio_items.all()),
            "bio": profile.bio,
            "skills": tuple(skill.slug for skill in skills),
            "country": profile.city.country_code if profile.city else None,
            "availability": profile.availability,
            "badges": tuple(sorted(badge.kind for badge in user.badges.all())),
            "currency": profile.currency,
            "pools": tuple(str(org) for org in pool_orgs),
            "rate": profile.hourly_rate_minor,
            "rating": float(reputation.rating_avg)
            if reputation and reputation.rating_count and reputation.rating_avg is not None
            else None,
            "jss": reputation.job_success_score if reputation else None,
            "updated": int(profile.updated_at.timestamp()),
        }
        location = (profile.city.latitude, profile.city.longitude) if profile.city else None
        documents.append(
            document(id=profile.pk, fields=fields, audience=_audience(profile, pool_orgs), location=location)
        )
    return documents


def talent_indexable_ids():
    return FreelancerProfile.objects.filter(user__is_active=True).order_by("pk").values_list("pk", flat=True)


def talent_index() -> IndexDefinition:
    """The definition, with the ranking weights of the moment's settings (``SEARCH_RANKING``):
    relevance * (base + rating weight * rating/5 + JSS weight * JSS/100); see docs/search.md."""
    weights = settings.SEARCH_RANKING
    return IndexDefinition(
        name="talent",
        fields=FIELDS,
        sorts=SORTS,
        documents=talent_documents,
        indexable_ids=talent_indexable_ids,
        rank_base=weights["base"],
        rank_boosts=(
            RankBoost("rating", scale=5, weight=weights["rating"]),
            RankBoost("jss", scale=100, weight=weights["jss"]),
        ),
    )
