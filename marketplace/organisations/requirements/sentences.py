"""One sentence per requirement, as the requirement editor lists it and managers read it:
"General liability insurance ≥ $1,000,000 per occurrence and $2,000,000 aggregate; reminders 30, 7,
1 days before expiry".

Pure: the names a sentence needs beyond the config (the base city, the other pool) come in
``Names``, which ``selectors.pool_settings.names_for`` reads for many requirements at once."""

from dataclasses import dataclass, field

from marketplace.accounts.reference_data import country_names

from .kinds import COVERAGE_LABELS, FORM_LABELS, KINDS, money


@dataclass(frozen=True)
class Names:
    """Cities and pools named by rules, by id."""

    cities: dict[int, str] = field(default_factory=dict)
    pools: dict[int, str] = field(default_factory=dict)


def listed(items: list[str], word: str = "or") -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def _days(days: int) -> str:
    return f"{days} day{'s' if days != 1 else ''}"


def _core(kind: str, config: dict, names: Names) -> str:
    c = config
    match kind:
        case "agreement":
            return f"“{c['title']}” signed, version {c['version']}"
        case "document":
            return f"Document “{c['title']}”"
        case "tax_form":
            return f"Tax form {listed([FORM_LABELS.get(f, f) for f in c['forms']])} on file"
        case "certification":
            return f"Certification or licence “{c['name']}”, valid"
        case "insurance":
            coverage = COVERAGE_LABELS.get(c["coverage"], c["coverage"])
            return (
                f"{coverage} insurance ≥ {money(c['per_occurrence_minor'])} per occurrence and "
                f"{money(c['aggregate_minor'])} aggregate"
            )
        case "background_check":
            return f"Background check ≤ {_days(c['max_age_days'])} old"
        case "drug_test":
            age = c.get("max_age_days")
            return f"Drug test ≤ {_days(age)} old" if age else "Drug test on file"
        case "skills_test":
            return f"Skills test “{c['name']}” with a score of at least {c['min_score']}"
        case "industry":
            return f"Skills in {listed(list(c['categories']))}"
        case "country":
            countries = country_names()
            return f"Based in {listed([countries.get(code, code) for code in c['countries']])}"
        case "travel_distance":
            city = names.cities.get(c["base_city_id"], "the base city")
            return f"Within {c['miles']} miles of {city}"
        case "min_rating":
            return f"Rating of at least {c['min_rating']:g} out of 5"
        case "on_time_rate":
            return f"On-time rate ≥ {c['min_percent']} %"
        case "max_cancellations":
            return (
                f"At most {c['max']} cancellation{'s' if c['max'] != 1 else ''} in {_days(c['within_days'])}"
            )
        case "pool_membership":
            return f"Active member of “{names.pools.get(c['pool_id'], 'another pool')}”"
    return KINDS[kind].label


def reminds(kind: str) -> bool:
    """Whether the kind's evidence can lapse, so that reminders before expiry mean something."""
    return KINDS[kind].action == "upload"


def describe(kind: str, config: dict, reminder_days: list[int], names: Names | None = None) -> str:
    sentence = _core(kind, config, names or Names())
    if reminds(kind):
        if reminder_days:
            days = ", ".join(str(d) for d in sorted(reminder_days, reverse=True))
            sentence += f"; reminders {days} day{'s' if reminder_days != [1] else ''} before expiry"
        else:
            sentence += "; no reminders"
    return sentence
