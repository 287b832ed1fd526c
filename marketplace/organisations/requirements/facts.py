"""What the requirement evaluator reads: plain values, gathered by ``evidence.py`` for many workers
at once, so ``evaluator.evaluate`` is a pure function of (rule, evidence, day)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


class Status:
    PASS = "pass"  # noqa: S105 (a result, not a password)
    FAIL = "fail"
    PENDING = "pending"
    EXPIRED = "expired"


@dataclass(frozen=True)
class Rule:
    """One requirement of a pool: ``kind`` and its ``config`` (see kinds.py for each kind's keys)."""

    id: int
    kind: str
    config: dict


@dataclass(frozen=True)
class CredentialFact:
    id: int
    kind: str  # document | tax_form | certification | insurance | background_check | drug_test | skills_test
    status: str  # pending | verified | rejected | superseded
    name: str = ""
    form: str = ""  # tax forms: w9 | w8ben
    coverage: str = ""  # insurance: general_liability | professional_liability | workers_comp | auto
    per_occurrence_minor: int | None = None
    aggregate_minor: int | None = None
    score: int | None = None
    issued_on: date | None = None
    expires_on: date | None = None  # the first day it no longer counts


@dataclass(frozen=True)
class Evidence:
    """Everything about one worker, as seen by one organisation."""

    credentials: tuple[CredentialFact, ...] = ()
    # requirement id -> versions of that agreement the worker signed
    signed_versions: dict[int, frozenset[int]] = field(default_factory=dict)
    country_code: str = ""
    latitude: float | None = None
    longitude: float | None = None
    skill_categories: frozenset[str] = frozenset()
    rating_avg: Decimal | None = None
    rating_count: int = 0
    # contracts ended in the last 365 days, and how many of them were delivered (not cancelled by the
    # client as not delivered / unresponsive)
    ended_contracts: int = 0
    delivered_contracts: int = 0
    # day each contract the worker cancelled was cancelled
    cancellation_days: tuple[date, ...] = ()
    active_pool_ids: frozenset[int] = frozenset()
    # requirement id -> credential id (or None for a rule without a credential) a reviewer approved
    approvals: dict[int, int | None] = field(default_factory=dict)
    # base city id -> (latitude, longitude), for travel_distance rules
    places: dict[int, tuple[float, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class Outcome:
    status: str
    reason: str  # for people: why it passes or not ("why not eligible")
    evidence: dict  # what was used, JSON-serialisable
    lapses_on: date | None = None  # the day a pass stops counting (reminders count down to it)
