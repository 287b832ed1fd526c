"""Pools and their tiers, as owners and admins set them up (``manage_settings``).

A pool's settings change under its row lock, with an audit entry; a change that alters what the
requirement results do to members (auto-enforce, the expiry action) re-evaluates the pool's live
members after commit (``queue_pool_reevaluate``). Pools are not deleted (the default one least of
all): an organisation stops using one by removing its members.

Tiers: a tier that live members are on is not deleted (409 ``tier_in_use``): their pay rate and
priority would change under them without anyone deciding it; move them to another tier first."""

from django.conf import settings
from django.db import IntegrityError, transaction

from marketplace.core.audit import audit_record
from marketplace.core.exceptions import Conflict, InvalidInput, NotFound
from marketplace.core.task_queue import queue_task_on_commit

from ..models import Organisation, PoolMembership, PoolTier, TalentPool
from ..permissions import require_org_permission

NAME_MAX = TalentPool._meta.get_field("name").max_length
DESCRIPTION_MAX = TalentPool._meta.get_field("description").max_length
TIER_NAME_MAX = PoolTier._meta.get_field("name").max_length
TIER_PRIORITY_MAX = 100
PAY_RATE_MAX_MINOR = 100_000_00  # $100,000 an hour: a typo, not a rate
# Settings whose change alters what the stored results do to members.
ENFORCEMENT = ("auto_enforce", "on_expiry")


def queue_pool_reevaluate(pool: TalentPool) -> None:
    """After commit: evaluate the pool's live members again and make the moves (tasks.py)."""
    queue_task_on_commit("organisations.pool_reevaluate", pool.pk)


def pool_to_change(acting_user, pool: TalentPool) -> TalentPool:
    """``pool`` locked for a settings change by ``acting_user`` (403 unless ``manage_settings``)."""
    require_org_permission(acting_user, pool.organisation, "manage_settings")
    locked = TalentPool.objects.select_for_update().select_related("organisation").filter(pk=pool.pk).first()
    if locked is None:
        raise NotFound("No such pool in this organisation.", code="pool_not_found")
    return locked


def _clean_pool(changes: dict) -> dict:
    """The settings in ``changes`` checked; ``InvalidInput`` names each bad one."""
    errors, clean = {}, {}
    if "name" in changes:
        name = " ".join(str(changes["name"]).split())
        if not name:
            errors["name"] = ["Give the pool a name."]
        elif len(name) > NAME_MAX:
            errors["name"] = [f"At most {NAME_MAX} characters."]
        clean["name"] = name
    if "description" in changes:
        description = str(changes["description"]).strip()
        if len(description) > DESCRIPTION_MAX:
            errors["description"] = [f"At most {DESCRIPTION_MAX} characters."]
        clean["description"] = description
    for field, choices in (
        ("visibility", TalentPool.Visibility),
        ("join_policy", TalentPool.JoinPolicy),
        ("on_expiry", TalentPool.OnExpiry),
    ):
        if field in changes:
            if changes[field] not in choices.values:
                errors[field] = [f"Choose one of {', '.join(choices.values)}."]
            clean[field] = changes[field]
    if "auto_enforce" in changes:
        if not isinstance(changes["auto_enforce"], bool):
            errors["auto_enforce"] = ["True or false."]
        clean["auto_enforce"] = changes["auto_enforce"]
    if errors:
        raise InvalidInput("Some pool settings are not valid.", code="pool_invalid", fields=errors)
    return clean


def _require_consistent(pool: TalentPool) -> None:
    """Workers cannot apply to a pool they cannot see."""
    if (
        pool.visibility == TalentPool.Visibility.ORGANISATION
        and pool.join_policy == TalentPool.JoinPolicy.APPLY
    ):
        raise InvalidInput(
            "Workers cannot apply to a pool that only the organisation sees: make it visible to "
            "workers, or let people join by invitation or by being added.",
            code="pool_policy_mismatch",
            fields={"join_policy": ["Workers cannot see this pool to apply."]},
        )


def _require_name_free(pool: TalentPool) -> None:
    taken = TalentPool.objects.filter(organisation_id=pool.organisation_id, name__iexact=pool.name)
    if taken.exclude(pk=pool.pk).exists():
        raise Conflict(
            f"This organisation already has a pool called “{pool.name}”.",
            code="pool_name_taken",
            fields={"name": ["Another pool has this name."]},
        )


@transaction.atomic
def pool_create(
    *,
    acting_user,
    organisation: Organisation,
    name: str,
    description: str = "",
    visibility: str = TalentPool.Visibility.INVITEES,
    join_policy: str = TalentPool.JoinPolicy.INVITATION,
    auto_enforce: bool = True,
    on_expiry: str = TalentPool.OnExpiry.SUSPEND,
) -> TalentPool:
    require_org_permission(acting_user, organisation, "manage_settings")
    # The organisation's row serialises pool creation, so two pools cannot take one name at once.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    fields = _clean_pool(
        {
            "name": name,
            "description": description,
            "visibility": visibility,
            "join_policy": join_policy,
            "auto_enforce": auto_enforce,
            "on_expiry": on_expiry,
        }
    )
    pool = TalentPool(organisation=organisation, **fields)
    _require_consistent(pool)
    _require_name_free(pool)
    pool.save()
    audit_record(
        actor=acting_user,
        action="pool.create",
        target=organisation,
        summary=f"Created the pool “{pool.name}”",
        pool=pool.pk,
        settings=fields,
    )
    return pool


@transaction.atomic
def pool_update(*, acting_user, pool: TalentPool, **changes) -> TalentPool:
    """Change some of a pool's settings (those named; the others stay). The default pool's
    settings change like any other's."""
    unknown = set(changes) - {"name", "description", "visibility", "join_policy", "auto_enforce", "on_expiry"}
    if unknown:
        raise TypeError(f"pool_update() got unknown settings: {', '.join(sorted(unknown))}")
    pool = pool_to_change(acting_user, pool)
    fields = _clean_pool(changes)
    changed = {field: value for field, value in fields.items() if getattr(pool, field) != value}
    if not changed:
        return pool
    previous = {field: getattr(pool, field) for field in changed}
    for field, value in changed.items():
        setattr(pool, field, value)
    _require_consistent(pool)
    if "name" in changed:
        Organisation.objects.select_for_update().filter(pk=pool.organisation_id).first()
        _require_name_free(pool)
    pool.save(update_fields=list(changed))
    audit_record(
        actor=acting_user,
        action="pool.update",
        target=pool.organisation,
        summary=f"Pool “{pool.name}”: changed {', '.join(sorted(changed))}",
        pool=pool.pk,
        previous=previous,
        changed=changed,
    )
    if set(changed) & set(ENFORCEMENT):
        queue_pool_reevaluate(pool)
    return pool


# ---- tiers ---------------------------------------------------------------------------------------


def _clean_tier(changes: dict) -> dict:
    errors, clean = {}, {}
    if "name" in changes:
        name = " ".join(str(changes["name"]).split())
        if not name:
            errors["name"] = ["Give the tier a name."]
        elif len(name) > TIER_NAME_MAX:
            errors["name"] = [f"At most {TIER_NAME_MAX} characters."]
        clean["name"] = name
    if "priority" in changes:
        priority = changes["priority"]
        if (
            isinstance(priority, bool)
            or not isinstance(priority, int)
            or not 1 <= priority <= TIER_PRIORITY_MAX
        ):
            errors["priority"] = [f"A whole number from 1 (offered work first) to {TIER_PRIORITY_MAX}."]
        clean["priority"] = priority
    if "pay_rate_minor" in changes:
        rate = changes["pay_rate_minor"]
        if rate is not None and (
            isinstance(rate, bool) or not isinstance(rate, int) or not 0 <= rate <= PAY_RATE_MAX_MINOR
        ):
            errors["pay_rate_minor"] = [f"From 0 to {PAY_RATE_MAX_MINOR} cents, or none."]
        clean["pay_rate_minor"] = rate
    if "currency" in changes:
        if changes["currency"] not in settings.CURRENCIES:
            errors["currency"] = [f"Choose one of {', '.join(settings.CURRENCIES)}."]
        clean["currency"] = changes["currency"]
    if errors:
        raise InvalidInput("Some tier settings are not valid.", code="tier_invalid", fields=errors)
    return clean


def _save_tier(tier: PoolTier, **kwargs) -> None:
    try:
        with transaction.atomic():
            tier.save(**kwargs)
    except IntegrityError as exc:
        raise Conflict(
            f"This pool already has a tier called “{tier.name}”.",
            code="tier_name_taken",
            fields={"name": ["Another tier of this pool has this name."]},
        ) from exc


def _tier_of(pool: TalentPool, tier_id: int) -> PoolTier:
    tier = PoolTier.objects.select_for_update().filter(pool=pool, pk=tier_id).first()
    if tier is None:
        raise NotFound("No such tier in this pool.", code="tier_not_found")
    return tier


@transaction.atomic
def tier_create(
    *,
    acting_user,
    pool: TalentPool,
    name: str,
    priority: int = 1,
    pay_rate_minor: int | None = None,
    currency: str = "USD",
) -> PoolTier:
    pool = pool_to_change(acting_user, pool)
    fields = _clean_tier(
        {"name": name, "priority": priority, "pay_rate_minor": pay_rate_minor, "currency": currency}
    )
    tier = PoolTier(pool=pool, **fields)
    _save_tier(tier)
    audit_record(
        actor=acting_user,
        action="pool.tier.create",
        target=pool.organisation,
        summary=f"Pool “{pool.name}”: added the tier “{tier.name}”",
        pool=pool.pk,
        tier=tier.pk,
    )
    return tier


@transaction.atomic
def tier_update(*, acting_user, pool: TalentPool, tier_id: int, **changes) -> PoolTier:
    """Change some of a tier's attributes (name, priority, pay_rate_minor, currency)."""
    unknown = set(changes) - {"name", "priority", "pay_rate_minor", "currency"}
    if unknown:
        raise TypeError(f"tier_update() got unknown fields: {', '.join(sorted(unknown))}")
    pool = pool_to_change(acting_user, pool)
    tier = _tier_of(pool, tier_id)
    fields = _clean_tier(changes)
    changed = {field: value for field, value in fields.items() if getattr(tier, field) != value}
    if not changed:
        return tier
    for field, value in changed.items():
        setattr(tier, field, value)
    _save_tier(tier, update_fields=list(changed))
    audit_record(
        actor=acting_user,
        action="pool.tier.update",
        target=pool.organisation,
        summary=f"Pool “{pool.name}”: changed the tier “{tier.name}” ({', '.join(sorted(changed))})",
        pool=pool.pk,
        tier=tier.pk,
        changed=changed,
    )
    return tier


@transaction.atomic
def tier_delete(*, acting_user, pool: TalentPool, tier_id: int) -> None:
    """Refused (409 ``tier_in_use``) while live members are on the tier."""
    pool = pool_to_change(acting_user, pool)
    tier = _tier_of(pool, tier_id)
    members = tier.members.filter(status__in=PoolMembership.LIVE).count()
    if members:
        raise Conflict(
            f"{members} member{'s are' if members != 1 else ' is'} on the tier “{tier.name}”. "
            "Move them to another tier (or to none) first.",
            code="tier_in_use",
        )
    name = tier.name
    tier.delete()
    audit_record(
        actor=acting_user,
        action="pool.tier.delete",
        target=pool.organisation,
        summary=f"Pool “{pool.name}”: removed the tier “{name}”",
        pool=pool.pk,
        tier=tier_id,
    )
