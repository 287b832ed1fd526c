"""A pool's requirement set, as owners and admins edit it (``manage_settings``): add, change,
remove and reorder rules.

Each rule's settings are checked by ``requirements.kinds.clean_config``, then against the database
(the base city exists, the other pool is another pool of the same organisation, the countries and
skill categories exist). Every change is audited and, after commit, re-evaluates the pool's live
members (``organisations.pool_reevaluate``), who may move: a new rule a member fails sends an
awaiting-review member back to awaiting requirements, and an active one to the pool's expiry action
when it auto-enforces.

Agreements: the text a worker signed must not change under their signature, so a new title or text
needs a higher version (409 ``agreement_version_unchanged``); a higher version makes the earlier
signatures stop counting (the evaluator asks for one at the current version). A version never goes
down (409 ``agreement_version_lowered``). An agreement somebody signed is not removed (409
``requirement_signed``): the signatures are the record of what they agreed to."""

from django.db import transaction

from marketplace.accounts.models import City
from marketplace.accounts.reference_data import country_names
from marketplace.core.audit import audit_record
from marketplace.core.exceptions import Conflict, InvalidInput, NotFound

from ..models import Requirement, TalentPool
from ..permissions import require_org_permission
from ..requirements.kinds import DEFAULT_REMINDER_DAYS, clean_config
from ..requirements.sentences import describe
from ..selectors.pool_settings import names_for, skill_categories
from .pool_settings import pool_to_change, queue_pool_reevaluate

MAX_REQUIREMENTS = 30
REMINDER_DAYS_MAX = 365


def clean_reminder_days(raw) -> list[int]:
    """Distinct whole days from 1 to 365, longest first; None: the default 30, 14, 7, 1; [] none."""
    if raw is None:
        return list(DEFAULT_REMINDER_DAYS)
    items = raw.split(",") if isinstance(raw, str) else raw
    message = f"Whole numbers of days from 1 to {REMINDER_DAYS_MAX}, each once, e.g. 30, 14, 7, 1."
    if not isinstance(items, list | tuple):
        raise InvalidInput(message, code="reminder_days_invalid", fields={"reminder_days": [message]})
    days = []
    for item in items:
        if isinstance(item, str):
            item = item.strip()
            if not item:
                continue
            item = int(item) if item.isdigit() else None
        if isinstance(item, bool) or not isinstance(item, int) or not 1 <= item <= REMINDER_DAYS_MAX:
            raise InvalidInput(message, code="reminder_days_invalid", fields={"reminder_days": [message]})
        days.append(item)
    if len(set(days)) != len(days):
        raise InvalidInput(
            message, code="reminder_days_invalid", fields={"reminder_days": ["Each day once."]}
        )
    return sorted(days, reverse=True)


def _invalid(field: str, message: str, code: str = "requirement_invalid") -> InvalidInput:
    return InvalidInput(
        f"Some settings of this requirement are not valid: {message}", code=code, fields={field: [message]}
    )


def _check_references(pool: TalentPool, kind: str, config: dict) -> dict:
    """What ``clean_config`` cannot know: that the rows and names the settings point at exist."""
    if kind == "travel_distance" and not City.objects.filter(pk=config["base_city_id"]).exists():
        raise _invalid("base_city_id", "Choose the base city from the list.")
    if kind == "pool_membership":
        other = TalentPool.objects.filter(pk=config["pool_id"], organisation_id=pool.organisation_id).first()
        if other is None or other.pk == pool.pk:
            raise _invalid("pool_id", "Choose another pool of this organisation.", "requirement_pool_invalid")
        names_this = Requirement.objects.filter(pool=other, kind="pool_membership", config__pool_id=pool.pk)
        if names_this.exists():
            raise _invalid(
                "pool_id",
                f"“{other.name}” already requires membership of this pool: nobody could join either.",
                "requirement_pool_invalid",
            )
    if kind == "country":
        known = country_names()
        codes = [code.upper() for code in config["countries"]]
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise _invalid(
                "countries", f"Not a country code: {', '.join(unknown)} (use two letters, e.g. US)."
            )
        config = {**config, "countries": list(dict.fromkeys(codes))}
    if kind == "industry":
        known = {category.lower(): category for category in skill_categories()}
        unknown = [category for category in config["categories"] if category.lower() not in known]
        if unknown:
            raise _invalid("categories", f"Not a skill category: {', '.join(unknown)}.")
        config = {**config, "categories": list(dict.fromkeys(known[c.lower()] for c in config["categories"]))}
    return config


def _clean(pool: TalentPool, kind: str, config, reminder_days) -> tuple[dict, list[int]]:
    if not isinstance(config, dict):
        raise _invalid("config", "Give the settings as an object.")
    config = _check_references(pool, kind, clean_config(kind, config))
    return config, clean_reminder_days(reminder_days)


def _require_agreement_versioned(requirement: Requirement, config: dict) -> None:
    old, new = requirement.config, config
    if new["version"] < old["version"]:
        raise Conflict(
            f"The agreement is at version {old['version']}; a version never goes down.",
            code="agreement_version_lowered",
            fields={"version": [f"At least {old['version']}."]},
        )
    reworded = (new["title"], new["text"]) != (old["title"], old["text"])
    if reworded and new["version"] == old["version"]:
        raise Conflict(
            "Workers signed this version of the agreement as it reads now: to change its title or text, "
            f"raise the version (to {old['version'] + 1}). They will be asked to sign the new version.",
            code="agreement_version_unchanged",
            fields={"version": [f"Raise it to {old['version'] + 1} to change the text."]},
        )


def _sentence(requirement: Requirement) -> str:
    return describe(requirement.kind, requirement.config, requirement.reminder_days, names_for([requirement]))


def _audit(
    acting_user, pool: TalentPool, action: str, requirement: Requirement, summary: str, **data
) -> None:
    audit_record(
        actor=acting_user,
        action=f"pool.requirement.{action}",
        target=pool.organisation,
        summary=f"Pool “{pool.name}”: {summary}",
        pool=pool.pk,
        requirement=requirement.pk,
        kind=requirement.kind,
        **data,
    )


@transaction.atomic
def requirement_add(
    *, acting_user, pool: TalentPool, kind: str, config: dict, reminder_days: list[int] | None = None
) -> Requirement:
    pool = pool_to_change(acting_user, pool)
    config, reminder_days = _clean(pool, kind, config, reminder_days)
    count = pool.requirements.count()
    if count >= MAX_REQUIREMENTS:
        raise Conflict(f"A pool has at most {MAX_REQUIREMENTS} requirements.", code="too_many_requirements")
    last = pool.requirements.order_by("-position").values_list("position", flat=True).first()
    requirement = Requirement.objects.create(
        pool=pool,
        kind=kind,
        config=config,
        reminder_days=reminder_days,
        position=0 if last is None else last + 1,
    )
    _audit(acting_user, pool, "add", requirement, f"added “{_sentence(requirement)}”", config=config)
    queue_pool_reevaluate(pool)
    return requirement


def _requirement_of(pool: TalentPool, requirement_id: int) -> Requirement:
    requirement = Requirement.objects.select_for_update().filter(pool=pool, pk=requirement_id).first()
    if requirement is None:
        raise NotFound("No such requirement in this pool.", code="requirement_not_found")
    return requirement


@transaction.atomic
def requirement_update(
    *, acting_user, pool: TalentPool, requirement_id: int, config: dict | None = None, reminder_days=...
) -> Requirement:
    """New settings (the whole config, checked again) and/or reminder days; the kind stays (remove
    the rule and add another to change it). ``reminder_days`` left out: unchanged."""
    pool = pool_to_change(acting_user, pool)
    requirement = _requirement_of(pool, requirement_id)
    new_config = requirement.config if config is None else config
    new_days = requirement.reminder_days if reminder_days is ... else reminder_days
    new_config, new_days = _clean(pool, requirement.kind, new_config, new_days)
    if requirement.kind == "agreement":
        _require_agreement_versioned(requirement, new_config)
    if (new_config, new_days) == (requirement.config, requirement.reminder_days):
        return requirement
    before = _sentence(requirement)
    previous = requirement.config
    requirement.config, requirement.reminder_days = new_config, new_days
    requirement.save(update_fields=["config", "reminder_days", "updated_at"])
    _audit(
        acting_user,
        pool,
        "update",
        requirement,
        f"“{before}” is now “{_sentence(requirement)}”",
        previous=previous,
        config=new_config,
    )
    queue_pool_reevaluate(pool)
    return requirement


@transaction.atomic
def requirement_remove(*, acting_user, pool: TalentPool, requirement_id: int) -> None:
    pool = pool_to_change(acting_user, pool)
    requirement = _requirement_of(pool, requirement_id)
    if requirement.kind == "agreement" and requirement.signatures.exists():
        raise Conflict(
            "Workers have signed this agreement and their signatures are the record of what they "
            "agreed to, so it cannot be removed.",
            code="requirement_signed",
        )
    sentence = _sentence(requirement)
    requirement.delete()
    _audit(acting_user, pool, "remove", requirement, f"removed “{sentence}”")
    queue_pool_reevaluate(pool)


@transaction.atomic
def requirements_reorder(*, acting_user, pool: TalentPool, requirement_ids: list[int]) -> list[Requirement]:
    """Put the pool's rules in this order (every one of them, each once). The order is how the
    editor and the worker's checklist list them; it changes no result."""
    pool = pool_to_change(acting_user, pool)
    requirements = {r.pk: r for r in Requirement.objects.select_for_update().filter(pool=pool)}
    if sorted(requirement_ids) != sorted(requirements) or len(set(requirement_ids)) != len(requirement_ids):
        raise InvalidInput(
            "List every requirement of this pool, each once, in the new order.",
            code="requirements_order_invalid",
            fields={"requirement_ids": ["Every requirement of this pool, each once."]},
        )
    ordered = [requirements[pk] for pk in requirement_ids]
    for position, requirement in enumerate(ordered):
        requirement.position = position
    Requirement.objects.bulk_update(ordered, ["position"])
    audit_record(
        actor=acting_user,
        action="pool.requirement.reorder",
        target=pool.organisation,
        summary=f"Pool “{pool.name}”: requirements reordered",
        pool=pool.pk,
        order=requirement_ids,
    )
    return ordered


def requirement_move(*, acting_user, pool: TalentPool, requirement_id: int, up: bool) -> list[Requirement]:
    """One place up or down (the editor's arrows), through ``requirements_reorder``."""
    require_org_permission(acting_user, pool.organisation, "manage_settings")
    ids = list(Requirement.objects.filter(pool=pool).order_by("position", "pk").values_list("pk", flat=True))
    if requirement_id not in ids:
        raise NotFound("No such requirement in this pool.", code="requirement_not_found")
    index = ids.index(requirement_id)
    other = index - 1 if up else index + 1
    if 0 <= other < len(ids):
        ids[index], ids[other] = ids[other], ids[index]
    return requirements_reorder(acting_user=acting_user, pool=pool, requirement_ids=ids)
