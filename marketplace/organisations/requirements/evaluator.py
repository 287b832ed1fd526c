"""The one evaluator of pool requirements: ``evaluate(rule, evidence, today)`` decides pass, fail,
pending or expired for one worker and one rule, says why in words a manager can act on, and names
the evidence it used. Pure: no database, no clock (``evidence.py`` gathers, ``services.evaluation``
stores)."""

import math
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from .facts import CredentialFact, Evidence, Outcome, Rule, Status
from .kinds import COVERAGE_LABELS, FORM_LABELS, KINDS, money

EARTH_RADIUS_MILES = 3958.8


def evaluate(rule: Rule, evidence: Evidence, today: date) -> Outcome:
    outcome = _EVALUATORS[rule.kind](rule, evidence, today)
    if outcome.status == Status.FAIL and rule.id in evidence.approvals:
        approved = evidence.approvals[rule.id]
        if approved == outcome.evidence.get("credential"):
            return Outcome(
                Status.PASS,
                f"Approved by a reviewer although it fails: {outcome.reason}",
                {**outcome.evidence, "approved": True},
                outcome.lapses_on,
            )
    return outcome


# Credentials ------------------------------------------------------------------------------------


def _lapses_on(credential: CredentialFact, max_age_days: int | None) -> date | None:
    """The first day ``credential`` stops counting: its expiry date or the day it gets too old."""
    days = []
    if credential.expires_on is not None:
        days.append(credential.expires_on)
    if max_age_days is not None and credential.issued_on is not None:
        days.append(credential.issued_on + timedelta(days=max_age_days + 1))
    return min(days) if days else None


def _used(credential: CredentialFact) -> dict:
    """The credential's facts the outcome rests on, for the stored result (JSON)."""
    used = {"credential": credential.id, "status": credential.status}
    for name in ("per_occurrence_minor", "aggregate_minor", "score"):
        if getattr(credential, name) is not None:
            used[name] = getattr(credential, name)
    for name in ("issued_on", "expires_on"):
        if getattr(credential, name) is not None:
            used[name] = getattr(credential, name).isoformat()
    return used


def _credential_outcome(
    candidates: list[CredentialFact],
    today: date,
    what: str,
    *,
    max_age_days: int | None = None,
    shortfall: Callable[[CredentialFact], str] = lambda c: "",
) -> Outcome:
    """The best of the worker's credentials of this kind: verified and valid passes; one awaiting
    review that would pass is pending; then expired, then short of a minimum, then rejected."""
    ranked = []
    for credential in candidates:
        if credential.status == "superseded":
            continue
        lapses = _lapses_on(credential, max_age_days)
        used = _used(credential)
        if credential.issued_on is None and max_age_days is not None:
            ranked.append((5, Outcome(Status.FAIL, f"The {what} has no completion date.", used)))
            continue
        short = shortfall(credential)
        if credential.status == "rejected":
            ranked.append((6, Outcome(Status.FAIL, f"The {what} was rejected by the reviewer.", used)))
        elif lapses is not None and today >= lapses:
            ranked.append(
                (3, Outcome(Status.EXPIRED, f"The {what} expired on {lapses:%-d %b %Y}.", used, lapses))
            )
        elif short:
            ranked.append((4, Outcome(Status.FAIL, short, used, lapses)))
        elif credential.status == "pending":
            ranked.append((2, Outcome(Status.PENDING, f"The {what} is awaiting review.", used, lapses)))
        else:
            until = f", valid until {lapses - timedelta(days=1):%-d %b %Y}" if lapses else ""
            ranked.append(
                (1, Outcome(Status.PASS, f"{what[0].upper()}{what[1:]} verified{until}.", used, lapses))
            )
    if not ranked:
        return Outcome(Status.FAIL, f"No {what} uploaded yet.", {})
    # Of equals, the one that counts longest (no end counts longest of all).
    return min(ranked, key=lambda pair: (pair[0], -(pair[1].lapses_on or date.max).toordinal()))[1]


def _named(evidence: Evidence, kind: str, name: str = "") -> list[CredentialFact]:
    return [
        c
        for c in evidence.credentials
        if c.kind == kind and (not name or c.name.strip().casefold() == name.strip().casefold())
    ]


def _document(rule: Rule, evidence: Evidence, today: date) -> Outcome:
    title = rule.config["title"]
    return _credential_outcome(_named(evidence, "document", title), today, f"document “{title}”")


def _certification(rule: Rule, evidence: Evidence, today: date) -> Outcome:
    name = rule.config["name"]
    return _credential_outcome(_named(evidence, "certification", name), today, f"certification “{name}”")


def _tax_form(rule: Rule, evidence: Evidence, today: date) -> Outcome:
    forms = rule.config["forms"]
    candidates = [c for c in evidence.credentials if c.kind == "tax_form" and c.form in forms]
    return _credential_outcome(candidates, today, " or ".join(FORM_LABELS[f] for f in forms))


def _insurance(rule: Rule, evidence: Evidence, today: date) -> Outcome:
    coverage = rule.config["coverage"]
    minimum = rule.config["per_occurrence_minor"]
    aggregate = rule.config["aggregate_minor"]

    def shortfall(c: CredentialFact) -> str:
        gaps = []
        if (c.per_occurrence_minor or 0) < minimum:
            gaps.append(f"{money(c.per_occurrence_minor or 0)} per occurrence (minimum {money(minimum)})")
        if (c.aggregate_minor or 0) < aggregate:
            gaps.append(f"{money(c.aggregate_minor or 0)} aggregate (minimum {money(aggregate)})")
        return ("The certificate shows " + " and ".join(gaps) + ".") if gaps else ""

    candidates = [c for c in evidence.credentials if c.kind == "insurance" and c.coverage == coverage]
    what = f"{COVERAGE_LABELS[coverage].lower()} insurance certificate"
    return _credential_outcome(candidates, today, what, shortfall=shortfall)


def _default_setting(kind: str, name: str):
    return next(s.default for s in KINDS[kind].settings if s.name == name)


def _aged(kind: str, what: str) -> Callable[[Rule, Evidence, date], Outcome]:
    def evaluate_aged(rule: Rule, evidence: Evidence, today: date) -> Outcome:
        max_age = rule.config.get("max_age_days", _default_setting(kind, "max_age_days"))
        return _credential_outcome(_named(evidence, kind), today, what, max_age_days=max_age)

    return evaluate_aged


def _skills_test(rule: Rule, evidence: Evidence, today: date) -> Outcome:
    name, minimum = rule.config["name"], rule.config["min_score"]

    def shortfall(c: CredentialFact) -> str:
        if (c.score or 0) < minimum:
            return f"Scored {c.score or 0} on “{name}”; {minimum} is needed."
        return ""

    return _credential_outcome(
        _named(evidence, "skills_test", name), today, f"“{name}” result", shortfall=shortfall
    )


# Agreements and profile facts ---------------------------------------------------------------------


def _agreement(rule: Rule, evidence: Evidence, today: date) -> Outcome:
    version, title = rule.config["version"], rule.config["title"]
    signed = evidence.signed_versions.get(rule.id, frozenset())
    used = {"signed_versions": sorted(signed), "version": version}
    if version in signed:
        return Outcome(Status.PASS, f"Signed “{title}” version {version}.", used)
    if signed:
        return Outcome(
            Status.FAIL,
            f"Signed version {max(signed)} of “{title}”; version {version} must be signed.",
            used,
        )
    return Outcome(Status.FAIL, f"“{title}” (version {version}) is not signed yet.", used)


def _industry(rule: Rule, evidence: Evidence, today: date) -> Outcome:
    wanted = set(rule.config["categories"])
    matched = sorted(wanted & evidence.skill_categories)
    used = {"categories": matched}
    if matched:
        return Outcome(Status.PASS, f"Works in {', '.join(matched)}.", used)
    return Outcome(Status.FAIL, f"No skill on the profile in {', '.join(sorted(wanted))}.", used)


def _country(rule: Rule, evidence: Evidence, today: date) -> Outcome:
    countries = rule.config["countries"]
    used = {"country": evidence.country_code}
    if not evidence.country_code:
        return Outcome(Status.FAIL, "The profile has no location.", used)
    if evidence.country_code in countries:
        return Outcome(Status.PASS, f"Based in {evidence.country_code}.", used)
    return Outcome(
        Status.FAIL, f"Based in {evidence.country_code}; the pool takes {', '.join(countries)}.", used
    )


def distance_miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance by the haversine formula."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(h))


def _travel_distance(rule: Rule, evidence: Evidence, today: date) -> Outcome:
    miles, base = rule.config["miles"], rule.config["base_city_id"]
    if evidence.latitude is None or evidence.longitude is None:
        return Outcome(Status.FAIL, "The profile has no location.", {})
    distance = distance_miles((evidence.latitude, evidence.longitude), evidence.places[base])
    used = {"miles": round(distance, 1)}
    if distance <= miles:
        return Outcome(Status.PASS, f"{distance:.0f} miles from the base (limit {miles}).", used)
    return Outcome(Status.FAIL, f"{distance:.0f} miles from the base; the limit is {miles}.", used)


def _min_rating(rule: Rule, evidence: Evidence, today: date) -> Outcome:
    # Compared as decimals: the float 4.7 is a little more than the stored average 4.70.
    minimum = Decimal(str(rule.config["min_rating"]))
    used = {"rating": str(evidence.rating_avg) if evidence.rating_avg is not None else None}
    if evidence.rating_avg is None:
        return Outcome(Status.FAIL, f"No rating yet; {minimum} is needed.", used)
    if evidence.rating_avg >= minimum:
        return Outcome(Status.PASS, f"Rated {evidence.rating_avg} (minimum {minimum}).", used)
    return Outcome(Status.FAIL, f"Rated {evidence.rating_avg}; {minimum} is needed.", used)


def _on_time_rate(rule: Rule, evidence: Evidence, today: date) -> Outcome:
    minimum = rule.config["min_percent"]
    ended, delivered = evidence.ended_contracts, evidence.delivered_contracts
    used = {"ended": ended, "delivered": delivered}
    if not ended:
        return Outcome(Status.FAIL, "No contract ended in the last year: no on-time record yet.", used)
    # Compared in integers: delivered / ended >= minimum / 100.
    rate = f"{100 * delivered / ended:.0f} % ({delivered} of {ended})"
    if delivered * 100 >= minimum * ended:
        return Outcome(Status.PASS, f"On time in {rate}; {minimum} % needed.", used)
    return Outcome(Status.FAIL, f"On time in {rate}; {minimum} % is needed.", used)


def _max_cancellations(rule: Rule, evidence: Evidence, today: date) -> Outcome:
    limit = rule.config["max"]
    window = rule.config.get("within_days", _default_setting("max_cancellations", "within_days"))
    since = today - timedelta(days=window)
    count = sum(1 for day in evidence.cancellation_days if since < day <= today)
    used = {"cancellations": count, "within_days": window}
    if count <= limit:
        return Outcome(Status.PASS, f"{count} cancellation(s) in {window} days (at most {limit}).", used)
    return Outcome(Status.FAIL, f"{count} cancellations in {window} days; at most {limit} allowed.", used)


def _pool_membership(rule: Rule, evidence: Evidence, today: date) -> Outcome:
    pool, name = rule.config["pool_id"], rule.config.get("pool_name", "the other pool")
    used = {"pool": pool}
    if pool in evidence.active_pool_ids:
        return Outcome(Status.PASS, f"An active member of {name}.", used)
    return Outcome(Status.FAIL, f"Not an active member of {name}.", used)


_EVALUATORS: dict[str, Callable[[Rule, Evidence, date], Outcome]] = {
    "agreement": _agreement,
    "document": _document,
    "tax_form": _tax_form,
    "certification": _certification,
    "insurance": _insurance,
    "background_check": _aged("background_check", "background check"),
    "drug_test": _aged("drug_test", "drug test"),
    "skills_test": _skills_test,
    "industry": _industry,
    "country": _country,
    "travel_distance": _travel_distance,
    "min_rating": _min_rating,
    "on_time_rate": _on_time_rate,
    "max_cancellations": _max_cancellations,
    "pool_membership": _pool_membership,
}
