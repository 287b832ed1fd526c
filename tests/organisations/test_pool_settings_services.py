"""Pool settings, tiers and the requirement editor's services: every kind's settings checked (good
and bad), who may change them, the agreement version rule, and the re-evaluation a change sets off."""

import pytest

from marketplace.core.audit import audit_trail
from marketplace.core.exceptions import Conflict, InvalidInput, NotFound, PermissionDenied
from marketplace.core.models import StatusChange
from marketplace.organisations.models import (
    AgreementSignature,
    PoolMembership,
    PoolTier,
    Requirement,
    RequirementResult,
    Role,
    TalentPool,
)
from marketplace.organisations.selectors.pool_settings import pools_of, requirements_of
from marketplace.organisations.services.pool_settings import (
    pool_create,
    pool_update,
    tier_create,
    tier_delete,
    tier_update,
)
from marketplace.organisations.services.requirements import (
    requirement_add,
    requirement_move,
    requirement_remove,
    requirement_update,
    requirements_reorder,
)
from tests.factories import add_member, make_freelancer, make_organisation, make_user

from .pools_support import add_requirement, city, join, make_pool

pytestmark = pytest.mark.django_db
Status = PoolMembership.Status


@pytest.fixture
def eager_tasks():
    """The re-evaluation task, queued after commit, runs at once in this thread (as embedded)."""
    from marketplace.config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def org():
    return make_organisation(name="NE Cabling")


@pytest.fixture
def owner(org):
    return org.memberships.get(role=Role.OWNER).user


@pytest.fixture
def pool(org):
    return make_pool(org)


def _add(owner, pool, kind, reminder_days=None, **config):
    return requirement_add(
        acting_user=owner, pool=pool, kind=kind, config=config, reminder_days=reminder_days
    )


# ---- every kind's settings: one good and the bad ones, each with the field it names ------------------

GOOD = [
    ("agreement", {"title": "Contractor agreement", "version": 3, "text": "I agree."}),
    ("document", {"title": "Site safety induction"}),
    ("tax_form", {"forms": ["w9"]}),
    ("tax_form", {"forms": ["w9", "w8ben"]}),
    ("certification", {"name": "BICSI Installer 2"}),
    (
        "insurance",
        {
            "coverage": "general_liability",
            "per_occurrence_minor": 100_000_000,
            "aggregate_minor": 200_000_000,
        },
    ),
    ("background_check", {"max_age_days": 365}),
    ("background_check", {}),  # the default age, 365 days
    ("drug_test", {"max_age_days": 90}),
    ("drug_test", {}),  # any age
    ("skills_test", {"name": "Fibre splicing", "min_score": 80}),
    ("skills_test", {"name": "Fibre splicing", "min_score": 0}),
    ("industry", {"categories": ["Web development"]}),
    ("country", {"countries": ["us", "CA"]}),
    ("travel_distance", {"base_city_id": "BOSTON", "miles": 50}),
    ("travel_distance", {"base_city_id": "BOSTON", "miles": 10}),
    ("travel_distance", {"base_city_id": "BOSTON", "miles": 100}),
    ("min_rating", {"min_rating": 4.5}),
    ("on_time_rate", {"min_percent": 90}),
    ("max_cancellations", {"max": 0, "within_days": 365}),
    ("max_cancellations", {"max": 2}),
    ("pool_membership", {"pool_id": "OTHER"}),
]

BAD = [
    ("agreement", {"title": "NDA", "text": "Secret."}, "version"),
    ("agreement", {"title": "NDA", "version": 0, "text": "Secret."}, "version"),
    ("agreement", {"title": " ", "version": 1, "text": "Secret."}, "title"),
    ("agreement", {"title": "NDA", "version": 1}, "text"),
    ("document", {}, "title"),
    ("tax_form", {"forms": []}, "forms"),
    ("tax_form", {"forms": ["1099"]}, "forms"),
    ("certification", {"name": ""}, "name"),
    ("insurance", {"coverage": "pet", "per_occurrence_minor": 1, "aggregate_minor": 1}, "coverage"),
    (
        "insurance",
        {"coverage": "auto", "per_occurrence_minor": 0, "aggregate_minor": 1},
        "per_occurrence_minor",
    ),
    (
        "insurance",
        {"coverage": "auto", "per_occurrence_minor": 1.5, "aggregate_minor": 1},
        "per_occurrence_minor",
    ),
    ("insurance", {"coverage": "auto", "per_occurrence_minor": 10}, "aggregate_minor"),
    ("background_check", {"max_age_days": 0}, "max_age_days"),
    ("background_check", {"max_age_days": "a year"}, "max_age_days"),
    ("drug_test", {"max_age_days": 4000}, "max_age_days"),
    ("skills_test", {"name": "Splicing", "min_score": 101}, "min_score"),
    ("skills_test", {"min_score": 50}, "name"),
    ("industry", {"categories": ["Underwater basket weaving"]}, "categories"),
    ("industry", {"categories": []}, "categories"),
    ("country", {"countries": ["XX"]}, "countries"),
    ("country", {"countries": []}, "countries"),
    ("travel_distance", {"base_city_id": 999_999_999, "miles": 50}, "base_city_id"),
    ("travel_distance", {"base_city_id": "BOSTON", "miles": 9}, "miles"),
    ("travel_distance", {"base_city_id": "BOSTON", "miles": 101}, "miles"),
    ("travel_distance", {"miles": 50}, "base_city_id"),
    ("min_rating", {"min_rating": 0.5}, "min_rating"),
    ("min_rating", {"min_rating": 5.1}, "min_rating"),
    ("on_time_rate", {"min_percent": 0}, "min_percent"),
    ("on_time_rate", {"min_percent": 101}, "min_percent"),
    ("max_cancellations", {"max": -1}, "max"),
    ("pool_membership", {"pool_id": "SELF"}, "pool_id"),
    ("pool_membership", {"pool_id": "ELSEWHERE"}, "pool_id"),
    ("pool_membership", {"pool_id": 999_999_999}, "pool_id"),
]


def _resolved(config: dict, pool) -> dict:
    """The placeholders for rows a test makes: Boston, another pool of the organisation, this pool,
    a pool of another organisation."""
    values = {
        "BOSTON": lambda: city("Boston").pk,
        "OTHER": lambda: make_pool(pool.organisation, name="Base pool").pk,
        "SELF": lambda: pool.pk,
        "ELSEWHERE": lambda: make_pool(make_organisation(), name="Theirs").pk,
    }
    return {
        key: values[value]() if isinstance(value, str) and value in values else value
        for key, value in config.items()
    }


@pytest.mark.parametrize(("kind", "config"), GOOD, ids=lambda v: v if isinstance(v, str) else "")
def test_good_settings_of_every_kind_are_stored(owner, pool, kind, config):
    requirement = _add(owner, pool, kind, **_resolved(config, pool))
    requirement.refresh_from_db()
    assert requirement.kind == kind
    assert requirement.reminder_days == [30, 14, 7, 1]
    (listed,) = requirements_of(pool)
    assert listed.sentence  # every kind has its sentence


def test_every_kind_has_a_good_case():
    from marketplace.organisations.requirements.kinds import KINDS

    assert {kind for kind, _ in GOOD} == set(KINDS)


@pytest.mark.parametrize(("kind", "config", "field"), BAD, ids=lambda v: v if isinstance(v, str) else "")
def test_bad_settings_are_refused_naming_the_field(owner, pool, kind, config, field):
    with pytest.raises(InvalidInput) as refused:
        _add(owner, pool, kind, **_resolved(config, pool))
    assert field in refused.value.fields, refused.value.fields
    assert not Requirement.objects.filter(pool=pool).exists()


def test_stored_settings_are_typed_and_normalised(owner, pool):
    country = _add(owner, pool, "country", countries=["us", "US", "ca"])
    assert country.config == {"countries": ["US", "CA"]}
    industry = _add(owner, pool, "industry", categories=["web development"])
    assert industry.config == {"categories": ["Web development"]}
    rating = _add(owner, pool, "min_rating", min_rating="4.5")
    assert rating.config == {"min_rating": 4.5}


def test_an_unknown_kind_is_refused(owner, pool):
    with pytest.raises(InvalidInput) as refused:
        _add(owner, pool, "horoscope", sign="Leo")
    assert refused.value.code == "requirement_kind_unknown"


def test_two_pools_cannot_require_each_other(owner, org, pool):
    other = make_pool(org, name="Base pool")
    _add(owner, other, "pool_membership", pool_id=pool.pk)
    with pytest.raises(InvalidInput) as refused:
        _add(owner, pool, "pool_membership", pool_id=other.pk)
    assert refused.value.code == "requirement_pool_invalid"


@pytest.mark.parametrize(
    ("days", "stored"),
    [(None, [30, 14, 7, 1]), ([1, 7, 30], [30, 7, 1]), ("30, 7, 1", [30, 7, 1]), ([], []), ([365], [365])],
)
def test_reminder_days(owner, pool, days, stored):
    requirement = _add(owner, pool, "certification", reminder_days=days, name="BICSI")
    assert requirement.reminder_days == stored


@pytest.mark.parametrize("days", [[0], [366], [7, 7], ["soon"], [1.5], "7, x", {"days": 7}, [True]])
def test_bad_reminder_days_are_refused(owner, pool, days):
    with pytest.raises(InvalidInput) as refused:
        _add(owner, pool, "certification", reminder_days=days, name="BICSI")
    assert "reminder_days" in refused.value.fields


def test_the_sentence_of_the_issues_insurance_rule(owner, pool):
    _add(
        owner,
        pool,
        "insurance",
        reminder_days=[30, 7, 1],
        coverage="general_liability",
        per_occurrence_minor=100_000_000,
        aggregate_minor=200_000_000,
    )
    _add(owner, pool, "travel_distance", base_city_id=city("Boston").pk, miles=50)
    insurance, travel = requirements_of(pool)
    assert insurance.sentence == (
        "General liability insurance ≥ $1,000,000 per occurrence and $2,000,000 aggregate; "
        "reminders 30, 7, 1 days before expiry"
    )
    assert travel.sentence == "Within 50 miles of Boston, US"


# ---- the agreement's version --------------------------------------------------------------------


@pytest.fixture
def agreement(owner, pool):
    return _add(owner, pool, "agreement", title="Contractor agreement", version=3, text="I agree.")


def _update(owner, requirement, **config):
    return requirement_update(
        acting_user=owner,
        pool=requirement.pool,
        requirement_id=requirement.pk,
        config={**requirement.config, **config},
    )


@pytest.mark.parametrize("change", [{"text": "I agree to more."}, {"title": "Contractor agreement 2026"}])
def test_an_agreement_is_not_reworded_under_its_version(owner, agreement, change):
    with pytest.raises(Conflict) as refused:
        _update(owner, agreement, **change)
    assert refused.value.code == "agreement_version_unchanged"
    agreement.refresh_from_db()
    assert agreement.config["text"] == "I agree."
    # Positive control: the same words with the version raised are taken.
    changed = _update(owner, agreement, version=4, **change)
    assert changed.config["version"] == 4


def test_an_agreement_version_never_goes_down(owner, agreement):
    with pytest.raises(Conflict) as refused:
        _update(owner, agreement, version=2)
    assert refused.value.code == "agreement_version_lowered"


def test_raising_the_version_makes_earlier_signatures_stop_counting(
    owner, pool, agreement, django_capture_on_commit_callbacks, eager_tasks
):
    membership = join(pool, status=Status.AWAITING_REVIEW)
    AgreementSignature.objects.create(
        worker=membership.freelancer, requirement=agreement, version=3, title="t", text="t", signed_name="W"
    )
    with django_capture_on_commit_callbacks(execute=True):
        _update(owner, agreement, version=4, text="I agree, 2027 edition.")
    result = RequirementResult.objects.get(membership=membership, requirement=agreement)
    assert (result.status, result.reason) == (
        "fail",
        "Signed version 3 of “Contractor agreement”; version 4 must be signed.",
    )
    membership.refresh_from_db()
    assert membership.status == Status.AWAITING_REQUIREMENTS


def test_a_signed_agreement_is_not_removed(owner, pool, agreement):
    worker = make_freelancer()
    AgreementSignature.objects.create(
        worker=worker, requirement=agreement, version=3, title="t", text="t", signed_name="W"
    )
    with pytest.raises(Conflict) as refused:
        requirement_remove(acting_user=owner, pool=pool, requirement_id=agreement.pk)
    assert refused.value.code == "requirement_signed"


# ---- re-evaluation after a change -----------------------------------------------------------------


def test_adding_a_rule_a_member_fails_sends_them_back_to_requirements(
    owner, pool, django_capture_on_commit_callbacks, eager_tasks
):
    waiting = join(pool, status=Status.AWAITING_REVIEW)  # no rules yet: nothing fails
    with django_capture_on_commit_callbacks(execute=True):
        rule = _add(owner, pool, "country", countries=["CA"])
    waiting.refresh_from_db()
    assert waiting.status == Status.AWAITING_REQUIREMENTS
    change = StatusChange.objects.get(target_id=waiting.pk, to_status=Status.AWAITING_REQUIREMENTS)
    assert "Country" in change.reason
    assert RequirementResult.objects.get(membership=waiting, requirement=rule).status == "fail"
    # Removing it lets them through to review again.
    with django_capture_on_commit_callbacks(execute=True):
        requirement_remove(acting_user=owner, pool=pool, requirement_id=rule.pk)
    waiting.refresh_from_db()
    assert waiting.status == Status.AWAITING_REVIEW


def test_a_rolled_back_change_queues_no_reevaluation(owner, pool, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(InvalidInput):
        _add(owner, pool, "country", countries=["XX"])
    assert callbacks == []
    with django_capture_on_commit_callbacks() as callbacks:
        _add(owner, pool, "country", countries=["US"])
    assert len(callbacks) == 1


def test_turning_auto_enforce_on_flags_an_active_member_failing_a_rule(
    owner, pool, django_capture_on_commit_callbacks, eager_tasks
):
    """A rule that fails without having expired flags the member for a manager to decide; only an
    expired one takes the pool's expiry action (suspend here), so a settings change never suspends a
    whole pool at once."""
    pool_update(acting_user=owner, pool=pool, auto_enforce=False)
    add_requirement(pool, "country", countries=["CA"])
    active = join(pool, status=Status.ACTIVE)
    with django_capture_on_commit_callbacks(execute=True):
        pool_update(acting_user=owner, pool=pool, auto_enforce=True)
    active.refresh_from_db()
    assert active.status == Status.ACTIVE
    assert active.flagged_at is not None
    assert "Country" in active.flag_reason


# ---- pools and tiers --------------------------------------------------------------------------------


def test_create_and_update_a_pool(owner, org):
    pool = pool_create(
        acting_user=owner,
        organisation=org,
        name="  NE Cabling   T2 ",
        visibility="public",
        join_policy="apply",
        on_expiry="flag",
    )
    assert (pool.name, pool.visibility, pool.join_policy, pool.on_expiry, pool.auto_enforce) == (
        "NE Cabling T2",
        "public",
        "apply",
        "flag",
        True,
    )
    pool_update(acting_user=owner, pool=pool, description="Fibre crews")
    pool.refresh_from_db()
    assert (pool.description, pool.visibility) == ("Fibre crews", "public")
    actions = [entry.action for entry in audit_trail(org)]
    assert {"pool.create", "pool.update"} <= set(actions)


def test_the_default_pools_settings_change_like_any_other(owner, org):
    default = TalentPool.objects.get(organisation=org, is_default=True)
    pool_update(acting_user=owner, pool=default, name="Preferred installers", on_expiry="remove")
    default.refresh_from_db()
    assert (default.name, default.on_expiry, default.is_default) == ("Preferred installers", "remove", True)


@pytest.mark.parametrize(
    ("bad", "code"),
    [
        ({"name": ""}, "pool_invalid"),
        ({"name": "x" * 121}, "pool_invalid"),
        ({"visibility": "everyone"}, "pool_invalid"),
        ({"join_policy": "walk_in"}, "pool_invalid"),
        ({"on_expiry": "shrug"}, "pool_invalid"),
        ({"visibility": "organisation", "join_policy": "apply"}, "pool_policy_mismatch"),
    ],
)
def test_bad_pool_settings_are_refused(owner, org, bad, code):
    with pytest.raises(InvalidInput) as refused:
        pool_create(acting_user=owner, organisation=org, **{"name": "T2", **bad})
    assert refused.value.code == code


def test_pool_names_are_unique_in_an_organisation(owner, org, pool):
    with pytest.raises(Conflict) as refused:
        pool_create(acting_user=owner, organisation=org, name="ne cabling t1")
    assert refused.value.code == "pool_name_taken"
    other = make_organisation()
    pool_create(acting_user=other.memberships.get().user, organisation=other, name="NE Cabling T1")


def test_tiers(owner, pool):
    preferred = tier_create(acting_user=owner, pool=pool, name="Preferred", priority=1, pay_rate_minor=6_500)
    standard = tier_create(acting_user=owner, pool=pool, name="Standard", priority=2)
    with pytest.raises(Conflict) as taken:
        tier_create(acting_user=owner, pool=pool, name="Preferred")
    assert taken.value.code == "tier_name_taken"
    with pytest.raises(InvalidInput) as bad:
        tier_create(acting_user=owner, pool=pool, name="Gold", priority=0, pay_rate_minor=-1, currency="XYZ")
    assert set(bad.value.fields) == {"priority", "pay_rate_minor", "currency"}
    tier_update(acting_user=owner, pool=pool, tier_id=standard.pk, pay_rate_minor=5_000)
    standard.refresh_from_db()
    assert standard.pay_rate_minor == 5_000
    # A tier members are on stays until they are moved off it.
    member = join(pool, status=Status.ACTIVE)
    PoolMembership.objects.filter(pk=member.pk).update(tier=preferred)
    with pytest.raises(Conflict) as in_use:
        tier_delete(acting_user=owner, pool=pool, tier_id=preferred.pk)
    assert in_use.value.code == "tier_in_use"
    PoolMembership.objects.filter(pk=member.pk).update(status=Status.ENDED)
    tier_delete(acting_user=owner, pool=pool, tier_id=preferred.pk)
    assert list(PoolTier.objects.filter(pool=pool)) == [standard]


def test_a_tier_of_another_pool_is_not_found(owner, org, pool):
    theirs = tier_create(acting_user=owner, pool=make_pool(org, name="Other"), name="Gold")
    with pytest.raises(NotFound):
        tier_update(acting_user=owner, pool=pool, tier_id=theirs.pk, name="Mine now")


def test_reorder_and_move(owner, pool):
    a = _add(owner, pool, "tax_form", forms=["w9"])
    b = _add(owner, pool, "background_check")
    c = _add(owner, pool, "on_time_rate", min_percent=90)
    requirements_reorder(acting_user=owner, pool=pool, requirement_ids=[c.pk, a.pk, b.pk])
    assert [r.pk for r in requirements_of(pool)] == [c.pk, a.pk, b.pk]
    requirement_move(acting_user=owner, pool=pool, requirement_id=b.pk, up=True)
    assert [r.pk for r in requirements_of(pool)] == [c.pk, b.pk, a.pk]
    requirement_move(acting_user=owner, pool=pool, requirement_id=c.pk, up=True)  # already first
    assert [r.pk for r in requirements_of(pool)] == [c.pk, b.pk, a.pk]
    for ids in ([a.pk, b.pk], [a.pk, a.pk, b.pk], [a.pk, b.pk, c.pk, 999_999]):
        with pytest.raises(InvalidInput):
            requirements_reorder(acting_user=owner, pool=pool, requirement_ids=ids)


def test_pools_list_counts_live_members_per_status(owner, org, pool):
    join(pool, status=Status.ACTIVE)
    join(pool, status=Status.ACTIVE)
    join(pool, status=Status.AWAITING_REVIEW)
    join(pool, status=Status.ENDED)
    listed = {p.name: p for p in pools_of(org)}
    assert listed[pool.name].status_counts == {"awaiting_review": 1, "active": 2}


# ---- who may: owners and admins; other roles 403; outsiders 403 not_a_member (404 at the door) ------


ACTIONS = {
    "pool_create": lambda user, org, pool: pool_create(acting_user=user, organisation=org, name="T9"),
    "pool_update": lambda user, org, pool: pool_update(acting_user=user, pool=pool, description="New"),
    "tier_create": lambda user, org, pool: tier_create(acting_user=user, pool=pool, name="Gold"),
    "requirement_add": lambda user, org, pool: requirement_add(
        acting_user=user, pool=pool, kind="tax_form", config={"forms": ["w9"]}
    ),
    "requirements_reorder": lambda user, org, pool: requirements_reorder(
        acting_user=user, pool=pool, requirement_ids=list(pool.requirements.values_list("pk", flat=True))
    ),
    "requirement_move": lambda user, org, pool: requirement_move(
        acting_user=user, pool=pool, requirement_id=pool.requirements.first().pk, up=False
    ),
    "requirement_update": lambda user, org, pool: requirement_update(
        acting_user=user, pool=pool, requirement_id=pool.requirements.first().pk, reminder_days=[7]
    ),
    "requirement_remove": lambda user, org, pool: requirement_remove(
        acting_user=user, pool=pool, requirement_id=pool.requirements.first().pk
    ),
    "tier_update": lambda user, org, pool: tier_update(
        acting_user=user, pool=pool, tier_id=pool.tiers.first().pk, priority=3
    ),
    "tier_delete": lambda user, org, pool: tier_delete(
        acting_user=user, pool=pool, tier_id=pool.tiers.first().pk
    ),
}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.OWNER, True),
        (Role.ADMIN, True),
        (Role.HIRING_MANAGER, False),
        (Role.FINANCE, False),
        (Role.VIEWER, False),
        (None, False),
    ],
)
def test_role_matrix(org, pool, action, role, allowed):
    add_requirement(pool, "background_check")
    PoolTier.objects.create(pool=pool, name="Standard")
    user = (
        make_user()
        if role is None
        else (org.memberships.get(role=Role.OWNER).user if role == Role.OWNER else add_member(org, role))
    )
    before = (list(pool.requirements.values_list("pk", "position", "reminder_days")), pool.tiers.count())
    if allowed:
        ACTIONS[action](user, org, pool)  # the positive control: the same call goes through
        return
    with pytest.raises(PermissionDenied) as refused:
        ACTIONS[action](user, org, pool)
    assert refused.value.code == ("not_a_member" if role is None else "role_forbids")
    assert (
        list(pool.requirements.values_list("pk", "position", "reminder_days")),
        pool.tiers.count(),
    ) == before
    assert TalentPool.objects.filter(organisation=org).count() == 2
