"""The kinds of pool requirement and the settings each one takes.

``KINDS`` is the one table the requirement editor (page and API), the evaluator and the worker's
checklist read: each kind's label, what the worker does to meet it, and its settings with their
bounds. ``clean_config`` checks a requirement's settings against it."""

from dataclasses import dataclass

from marketplace.core.exceptions import InvalidInput

FORM_LABELS = {"w9": "W-9", "w8ben": "W-8BEN"}
FORM_CHOICES = list(FORM_LABELS.items())
COVERAGE_LABELS = {
    "general_liability": "General liability",
    "professional_liability": "Professional liability",
    "workers_comp": "Workers' compensation",
    "auto": "Commercial auto",
}
DEFAULT_REMINDER_DAYS = [30, 14, 7, 1]


def money(minor: int) -> str:
    """Whole dollars as a certificate states them: $1,000,000."""
    return f"${minor / 100:,.0f}" if minor % 100 == 0 else f"${minor / 100:,.2f}"


@dataclass(frozen=True)
class Setting:
    name: str
    label: str
    type: type  # int, float, str, list
    required: bool = True
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    default: object = None


@dataclass(frozen=True)
class Kind:
    label: str
    # What the worker does to meet it: upload (a credential), sign (an agreement), profile (keep the
    # profile up to date), record (the track record on the platform), pool (join another pool).
    action: str
    settings: tuple[Setting, ...]
    credential_kind: str = ""


_MAX_AGE = Setting("max_age_days", "Maximum age in days", int, required=False, minimum=1, maximum=3650)

KINDS: dict[str, Kind] = {
    "agreement": Kind(
        "Signed agreement or NDA",
        "sign",
        (
            Setting("title", "Title", str),
            Setting("version", "Version", int, minimum=1, maximum=1000),
            Setting("text", "Text the worker signs", str),
        ),
    ),
    "document": Kind("Document", "upload", (Setting("title", "Document name", str),), "document"),
    "tax_form": Kind(
        "Tax form",
        "upload",
        (Setting("forms", "Accepted forms", list, choices=tuple(FORM_LABELS)),),
        "tax_form",
    ),
    "certification": Kind(
        "Certification or licence", "upload", (Setting("name", "Certification name", str),), "certification"
    ),
    "insurance": Kind(
        "Insurance certificate",
        "upload",
        (
            Setting("coverage", "Coverage", str, choices=tuple(COVERAGE_LABELS)),
            Setting("per_occurrence_minor", "Minimum per occurrence (cents)", int, minimum=1),
            Setting("aggregate_minor", "Minimum aggregate (cents)", int, minimum=1),
        ),
        "insurance",
    ),
    "background_check": Kind(
        "Background check",
        "upload",
        (Setting("max_age_days", "Maximum age in days", int, minimum=1, maximum=3650, default=365),),
        "background_check",
    ),
    "drug_test": Kind("Drug test", "upload", (_MAX_AGE,), "drug_test"),
    "skills_test": Kind(
        "Skills test",
        "upload",
        (
            Setting("name", "Test name", str),
            Setting("min_score", "Minimum score", int, minimum=0, maximum=100),
        ),
        "skills_test",
    ),
    "industry": Kind("Industry", "profile", (Setting("categories", "Skill categories (any of)", list),)),
    "country": Kind("Country", "profile", (Setting("countries", "Countries (ISO codes, any of)", list),)),
    "travel_distance": Kind(
        "Travel distance",
        "profile",
        (
            Setting("base_city_id", "Base city", int, minimum=1),
            Setting("miles", "Radius in miles", int, minimum=10, maximum=100),
        ),
    ),
    "min_rating": Kind(
        "Minimum rating", "record", (Setting("min_rating", "Minimum rating", float, minimum=1, maximum=5),)
    ),
    "on_time_rate": Kind(
        "On-time rate", "record", (Setting("min_percent", "Minimum on-time %", int, minimum=1, maximum=100),)
    ),
    "max_cancellations": Kind(
        "Maximum cancellations",
        "record",
        (
            Setting("max", "At most", int, minimum=0, maximum=100),
            Setting("within_days", "Within days", int, minimum=1, maximum=3650, default=365),
        ),
    ),
    "pool_membership": Kind("Member of another pool", "pool", (Setting("pool_id", "Pool", int, minimum=1),)),
}


def _clean_value(setting: Setting, value: object) -> tuple[object, str]:
    """The value as stored, or an error message."""
    if setting.type is list:
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            return None, "Give a list."
        items = [str(item).strip() for item in items if str(item).strip()]
        if not items:
            return None, "Give at least one."
        bad = [item for item in items if setting.choices and item not in setting.choices]
        if bad:
            return None, f"Not one of {', '.join(setting.choices)}: {', '.join(bad)}."
        return items, ""
    if setting.type is str:
        text = str(value).strip()
        if not text:
            return None, "This is required."
        if setting.choices and text not in setting.choices:
            return None, f"Choose one of {', '.join(setting.choices)}."
        return text, ""
    try:
        number = setting.type(value)
    except (TypeError, ValueError):
        return None, "Enter a number."
    if isinstance(value, bool) or (
        setting.type is int and isinstance(value, float) and not value.is_integer()
    ):
        return None, "Enter a whole number."
    if setting.minimum is not None and number < setting.minimum:
        return None, f"At least {setting.minimum:g}."
    if setting.maximum is not None and number > setting.maximum:
        return None, f"At most {setting.maximum:g}."
    return number, ""


def clean_config(kind: str, raw: dict) -> dict:
    """The settings of a requirement of ``kind``, checked and typed; ``InvalidInput`` names each bad one."""
    if kind not in KINDS:
        raise InvalidInput(
            f"Unknown requirement kind “{kind}”.",
            code="requirement_kind_unknown",
            fields={"kind": [f"Choose one of {', '.join(KINDS)}."]},
        )
    config, errors = {}, {}
    for setting in KINDS[kind].settings:
        value = raw.get(setting.name)
        if value in (None, "", []):
            if setting.default is not None:
                config[setting.name] = setting.default
            elif setting.required:
                errors[setting.name] = ["This is required."]
            else:
                config[setting.name] = None
            continue
        config[setting.name], message = _clean_value(setting, value)
        if message:
            errors[setting.name] = [message]
    if errors:
        raise InvalidInput(
            "Some settings of this requirement are not valid.", code="requirement_invalid", fields=errors
        )
    return config
