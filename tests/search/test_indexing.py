"""Every change that alters a talent document records its profile in the outbox, in the writer's
transaction; after commit the send puts the new document in the engine (here the in-memory backend:
the engines themselves are the contract suite's). Jobs: test_indexing_jobs.py."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone

from marketplace.accounts.models import Badge, City, FreelancerReputation, Skill
from marketplace.accounts.services.profiles import (
    FreelancerProfileInput,
    freelancer_profile_update,
    portfolio_item_create,
    portfolio_item_delete,
)
from marketplace.accounts.services.staff import badge_grant, badge_revoke, user_reinstate, user_suspend
from marketplace.organisations.services.pools import pool_membership_end
from search.audience import PUBLIC, member_token
from tests.factories import add_to_pool, make_freelancer, make_organisation, make_user
from tests.support.search_memory import pending, pending_cleared

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture
def freelancer(memory_search):
    user = make_freelancer(full_name="Ada Lovelace")
    pending_cleared()
    return user


@pytest.fixture
def staff():
    return make_user(staff=True)


def _held(backend, user):
    return backend.documents("talent").get(user.freelancer_profile.pk)


def _edit(user, **changes):
    profile = user.freelancer_profile
    fields = {
        "headline": profile.headline,
        "bio": profile.bio,
        "hourly_rate_minor": profile.hourly_rate_minor,
        "currency": profile.currency,
        "city": profile.city,
        "availability": profile.availability,
        "languages": profile.languages,
        "skills": list(profile.skills.all()),
        "tags": profile.tags,
        "visibility": profile.visibility,
    }
    return freelancer_profile_update(user=user, data=FreelancerProfileInput(**{**fields, **changes}))


def test_a_profile_edit_is_pending_in_the_transaction_and_sent_after_commit(
    freelancer, memory_search, django_capture_on_commit_callbacks
):
    django = Skill.objects.get(slug="django")
    with django_capture_on_commit_callbacks(execute=True):
        _edit(freelancer, headline="Django consultant", skills=[django], hourly_rate_minor=9000)
        assert pending("talent") == {freelancer.freelancer_profile.pk}
        assert _held(memory_search, freelancer) is None
    document = _held(memory_search, freelancer)
    assert document.fields["headline"] == "Django consultant"
    assert document.fields["skills"] == ("django",)
    assert document.fields["rate"] == 9000
    assert pending("talent") == set()


def test_skills_linked_from_either_side(freelancer, memory_search, django_capture_on_commit_callbacks):
    profile = freelancer.freelancer_profile
    python, react = Skill.objects.get(slug="python"), Skill.objects.get(slug="react")
    with django_capture_on_commit_callbacks(execute=True):
        profile.skills.add(python)
        assert pending("talent") == {profile.pk}
    with django_capture_on_commit_callbacks(execute=True):
        react.freelancers.add(profile)
        assert pending("talent") == {profile.pk}
    assert _held(memory_search, freelancer).fields["skills"] == ("python", "react")
    with django_capture_on_commit_callbacks(execute=True):
        react.freelancers.clear()
        assert pending("talent") == {profile.pk}
    assert _held(memory_search, freelancer).fields["skills"] == ("python",)


def test_portfolio_items_added_and_removed(freelancer, memory_search, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        item = portfolio_item_create(
            user=freelancer, title="Booking engine", description="", url="", image_data=None
        )
        assert pending("talent") == {freelancer.freelancer_profile.pk}
    assert _held(memory_search, freelancer).fields["portfolio"] == "Booking engine"
    with django_capture_on_commit_callbacks(execute=True):
        portfolio_item_delete(user=freelancer, item_id=item.pk)
        assert pending("talent") == {freelancer.freelancer_profile.pk}
    assert _held(memory_search, freelancer).fields["portfolio"] == ""


def test_badges_granted_and_revoked(freelancer, staff, memory_search, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        badge_grant(acting_user=staff, user_id=freelancer.pk, kind=Badge.Kind.IDENTITY)
        assert pending("talent") == {freelancer.freelancer_profile.pk}
    assert "identity" in _held(memory_search, freelancer).fields["badges"]
    with django_capture_on_commit_callbacks(execute=True):
        badge_revoke(acting_user=staff, user_id=freelancer.pk, kind=Badge.Kind.IDENTITY)
        assert pending("talent") == {freelancer.freelancer_profile.pk}
    assert "identity" not in _held(memory_search, freelancer).fields["badges"]


def test_suspension_reinstatement_and_deactivation(
    freelancer, staff, memory_search, django_capture_on_commit_callbacks
):
    profile_id = freelancer.freelancer_profile.pk
    with django_capture_on_commit_callbacks(execute=True):
        _edit(freelancer, headline="Here")
    assert PUBLIC in _held(memory_search, freelancer).audience
    with django_capture_on_commit_callbacks(execute=True):
        user_suspend(acting_user=staff, user_id=freelancer.pk, reason="Spam")
        assert pending("talent") == {profile_id}
    assert PUBLIC not in _held(memory_search, freelancer).audience
    with django_capture_on_commit_callbacks(execute=True):
        user_reinstate(acting_user=staff, user_id=freelancer.pk)
        assert pending("talent") == {profile_id}
    assert PUBLIC in _held(memory_search, freelancer).audience
    with django_capture_on_commit_callbacks(execute=True):
        freelancer.is_active = False
        freelancer.save(update_fields=["is_active"])
        assert pending("talent") == {profile_id}
    assert profile_id not in memory_search.documents("talent")  # deleted from the index


def test_a_login_or_a_renamed_user_changes_only_what_it_should(freelancer, memory_search):
    freelancer.last_login = timezone.now()
    freelancer.save(update_fields=["last_login"])
    assert pending("talent") == set()
    freelancer.full_name = "Ada King"
    freelancer.save()
    assert pending("talent") == {freelancer.freelancer_profile.pk}


def test_pool_membership_gives_and_takes_the_organisations_sight(
    freelancer, memory_search, django_capture_on_commit_callbacks
):
    organisation = make_organisation()
    pending_cleared()
    with django_capture_on_commit_callbacks(execute=True):
        _edit(freelancer, visibility="pool")
    assert _held(memory_search, freelancer).audience.isdisjoint({PUBLIC, member_token(organisation.pk)})
    with django_capture_on_commit_callbacks(execute=True):
        membership = add_to_pool(organisation, freelancer)
        assert pending("talent") == {freelancer.freelancer_profile.pk}
    document = _held(memory_search, freelancer)
    assert member_token(organisation.pk) in document.audience
    assert document.fields["pools"] == (str(organisation.pk),)
    owner = organisation.memberships.get(role="owner").user
    with django_capture_on_commit_callbacks(execute=True):
        pool_membership_end(acting_user=owner, membership_id=membership.pk)
        assert pending("talent") == {freelancer.freelancer_profile.pk}
    assert member_token(organisation.pk) not in _held(memory_search, freelancer).audience


def _reputation(user, **values):
    defaults = {
        "rating_avg": None,
        "rating_count": 0,
        "job_success_score": None,
        "computed_at": timezone.now(),
    }
    FreelancerReputation.objects.update_or_create(user=user, defaults={**defaults, **values})


def test_a_reputation_recompute_records_only_a_change(
    freelancer, memory_search, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _reputation(freelancer, rating_avg=Decimal("4.50"), rating_count=2, job_success_score=91)
        assert pending("talent") == {freelancer.freelancer_profile.pk}
    assert (
        _held(memory_search, freelancer).fields["rating"],
        _held(memory_search, freelancer).fields["jss"],
    ) == (
        4.5,
        91,
    )
    # The nightly recompute finds the same figures (a later computed_at): nothing to send.
    _reputation(freelancer, rating_avg=Decimal("4.50"), rating_count=2, job_success_score=91)
    assert pending("talent") == set()
    _reputation(freelancer, rating_avg=Decimal("4.50"), rating_count=2, job_success_score=88)
    assert pending("talent") == {freelancer.freelancer_profile.pk}


def test_a_city_set_on_the_profile_and_a_city_moved(
    freelancer, memory_search, django_capture_on_commit_callbacks
):
    berlin = City.objects.filter(name="Berlin", country_code="DE").first()
    with django_capture_on_commit_callbacks(execute=True):
        _edit(freelancer, city=berlin)
    document = _held(memory_search, freelancer)
    assert (document.location, document.fields["country"]) == ((berlin.latitude, berlin.longitude), "DE")
    pending_cleared()
    with django_capture_on_commit_callbacks(execute=True):
        berlin.latitude += 0.5
        berlin.save()
        assert freelancer.freelancer_profile.pk in pending("talent")
    assert _held(memory_search, freelancer).location == (berlin.latitude, berlin.longitude)


def test_a_renamed_skill_reaches_everyone_who_has_it(
    freelancer, memory_search, django_capture_on_commit_callbacks
):
    skill = Skill.objects.get(slug="django")
    freelancer.freelancer_profile.skills.add(skill)
    pending_cleared()
    with django_capture_on_commit_callbacks(execute=True):
        skill.name = "Django (Python)"
        skill.save()
        assert pending("talent") == {freelancer.freelancer_profile.pk}
    assert _held(memory_search, freelancer).fields["skills_text"] == "Django (Python)"


def test_a_rolled_back_write_leaves_nothing_pending(freelancer):
    def edit_then_fail():
        with transaction.atomic():
            _edit(freelancer, headline="Never")
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        edit_then_fail()
    assert pending("talent") == set()


def test_rows_whose_send_never_ran_are_sent_by_the_sweep(freelancer, memory_search):
    """Rows recorded outside any send (a task lost with its broker) wait for the sweep, which sends
    them: the minute's retry."""
    from search.services.upkeep import pending_sweep

    _edit(freelancer, headline="Waiting")  # the test's transaction: the send never ran
    assert pending("talent") == {freelancer.freelancer_profile.pk}
    assert pending_sweep() == {"talent": 1}
    assert _held(memory_search, freelancer).fields["headline"] == "Waiting"
    assert pending("talent") == set()
