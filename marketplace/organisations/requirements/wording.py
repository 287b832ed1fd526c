"""A requirement in plain words, as a worker reads it on a pool's page and their checklist.

``requirement_summary`` says what the rule asks; ``NEXT_STEP`` what the worker does about a rule of
each action (kinds.py's ``Kind.action``) that does not pass. Names of other rows a rule points at
(the base city of a travel rule, the pool of a membership rule) come in ``names`` so a list of
requirements reads them in one query (``selectors.pool_settings.names_for``)."""

from .kinds import COVERAGE_LABELS, FORM_LABELS, money
from .sentences import Names, listed


def _dated(text: str, days) -> str:
    return f"{text} in the last {days} days." if days else f"{text}."


def requirement_summary(kind: str, config: dict, names: Names | None = None) -> str:
    names = names or Names()
    c = config
    texts = {
        "agreement": lambda: f"Sign “{c.get('title')}” (version {c.get('version')}) in this page.",
        "document": lambda: f"Upload “{c.get('title')}”.",
        "tax_form": lambda: f"A {listed([FORM_LABELS.get(f, f) for f in c.get('forms', [])])} tax form.",
        "certification": lambda: f"A current “{c.get('name')}” certification or licence.",
        "insurance": lambda: (
            f"{COVERAGE_LABELS.get(c.get('coverage'), c.get('coverage'))} insurance of at least "
            f"{money(c.get('per_occurrence_minor') or 0)} per occurrence and "
            f"{money(c.get('aggregate_minor') or 0)} aggregate, not expired."
        ),
        "background_check": lambda: _dated("A background check completed", c.get("max_age_days")),
        "drug_test": lambda: _dated("A drug test taken", c.get("max_age_days")),
        "skills_test": lambda: (
            f"The “{c.get('name')}” skills test with a score of {c.get('min_score')} or more."
        ),
        "industry": lambda: f"Skills in {listed(list(c.get('categories') or []))} on your profile.",
        "country": lambda: f"Your profile's city in {listed(list(c.get('countries') or []))}.",
        "travel_distance": lambda: (
            f"Your profile's city within {c.get('miles')} miles of "
            f"{names.cities.get(c.get('base_city_id'), 'the base city')}."
        ),
        "min_rating": lambda: f"An average rating of {float(c.get('min_rating') or 0):.1f} or more.",
        "on_time_rate": lambda: (
            f"At least {c.get('min_percent')}% of your contracts of the last year delivered (not "
            "cancelled by the client as not delivered or unresponsive)."
        ),
        "max_cancellations": lambda: (
            f"At most {c.get('max')} contracts cancelled by you in the last {c.get('within_days')} days."
        ),
        "pool_membership": lambda: (
            f"Active membership of the pool “{names.pools.get(c.get('pool_id'), 'another pool')}”."
        ),
    }
    return texts[kind]() if kind in texts else kind


NEXT_STEP = {
    "upload": "Upload the document below; the organisation reviews it.",
    "sign": "Read the agreement and type your full name to sign it.",
    "profile": "Update your profile: this rule reads it.",
    "record": "This follows from your track record here (contracts, reviews, cancellations) and "
    "updates as it changes; you cannot upload anything for it. You may ask for an override.",
    "pool": "Join that pool first.",
}
