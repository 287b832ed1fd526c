"""Reads for the pool settings pages and API: an organisation's pools with their member counts per
status, one pool's tiers and requirement set with a sentence per rule. The caller has already
resolved the organisation for the viewer (``organisation_for_member`` or an API key's own)."""

from collections import defaultdict

from django.db.models import Count, Prefetch

from marketplace.accounts.models import City, Skill
from marketplace.core.exceptions import NotFound

from ..models import Organisation, PoolMembership, PoolTier, Requirement, TalentPool
from ..requirements.sentences import Names, describe


def pools_of(organisation: Organisation, *, pool_id: int | None = None) -> list[TalentPool]:
    """The organisation's pools (the default first, then by name; only ``pool_id`` if given), each
    with ``status_counts`` (live statuses only, {status: n}), ``requirement_count`` and its tiers:
    three queries in all, whatever the number of pools."""
    pools = TalentPool.objects.filter(organisation=organisation)
    if pool_id is not None:
        pools = pools.filter(pk=pool_id)
    pools = list(
        pools.annotate(requirement_count=Count("requirements")).prefetch_related(
            Prefetch("tiers", queryset=PoolTier.objects.order_by("priority", "name"))
        )
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        PoolMembership.objects.filter(pool__in=[pool.pk for pool in pools], status__in=PoolMembership.LIVE)
        .values_list("pool_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for pool_id, status, n in rows:
        counts[pool_id][status] = n
    for pool in pools:
        pool.status_counts = {
            status: counts[pool.pk][status] for status in PoolMembership.LIVE if status in counts[pool.pk]
        }
    return pools


def pool_settings_of(organisation: Organisation, pool_id: int) -> TalentPool:
    """One pool as ``pools_of`` gives it, with ``requirement_list`` (its rules, described)."""
    found = pools_of(organisation, pool_id=pool_id)
    if not found:
        raise NotFound("No such pool in this organisation.", code="pool_not_found")
    pool = found[0]
    pool.requirement_list = requirements_of(pool)
    return pool


def pool_of(organisation: Organisation, pool_id: int) -> TalentPool:
    """One of the organisation's pools; another organisation's answers as an unknown id does."""
    pool = (
        TalentPool.objects.filter(organisation=organisation, pk=pool_id)
        .select_related("organisation")
        .first()
    )
    if pool is None:
        raise NotFound("No such pool in this organisation.", code="pool_not_found")
    return pool


def tiers_of(pool: TalentPool) -> list[PoolTier]:
    return list(pool.tiers.annotate(member_count=Count("members")).order_by("priority", "name"))


def names_for(requirements) -> Names:
    """The city and pool names ``requirements`` mention (a query each, none when unneeded)."""
    city_ids = {r.config.get("base_city_id") for r in requirements if r.kind == "travel_distance"}
    pool_ids = {r.config.get("pool_id") for r in requirements if r.kind == "pool_membership"}
    cities = {}
    if city_ids:
        cities = {c.pk: f"{c.name}, {c.country_code}" for c in City.objects.filter(pk__in=city_ids)}
    pools = dict(TalentPool.objects.filter(pk__in=pool_ids).values_list("pk", "name")) if pool_ids else {}
    return Names(cities, pools)


def requirements_of(pool: TalentPool) -> list[Requirement]:
    """The pool's rules in order, each with ``sentence`` (what the editor lists)."""
    requirements = list(Requirement.objects.filter(pool=pool).order_by("position", "pk"))
    described(requirements)
    return requirements


def described(requirements: list[Requirement]) -> list[Requirement]:
    """Sets ``sentence`` on each of ``requirements`` (the names they need read at once)."""
    names = names_for(requirements)
    for requirement in requirements:
        requirement.sentence = describe(
            requirement.kind, requirement.config, requirement.reminder_days, names
        )
    return requirements


def requirement_of(pool: TalentPool, requirement_id: int) -> Requirement:
    requirement = Requirement.objects.filter(pool=pool, pk=requirement_id).first()
    if requirement is None:
        raise NotFound("No such requirement in this pool.", code="requirement_not_found")
    return described([requirement])[0]


def other_pools(pool: TalentPool) -> list[TalentPool]:
    """The organisation's other pools: what a "member of another pool" rule may name."""
    return list(TalentPool.objects.filter(organisation_id=pool.organisation_id).exclude(pk=pool.pk))


def city_of(city_id) -> City | None:
    """The city a form names by id (None for none, or for what is not a city's id)."""
    try:
        return City.objects.filter(pk=int(city_id)).first() if city_id else None
    except (TypeError, ValueError):
        return None


def skill_categories() -> list[str]:
    """The skill taxonomy's categories, for the industry rule."""
    return list(Skill.objects.order_by("category").values_list("category", flat=True).distinct())
