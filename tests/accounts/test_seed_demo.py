"""``manage.py seed_demo``: idempotent, the promised shape, and logins that work."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.password_validation import validate_password
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from marketplace.accounts import demo
from marketplace.accounts.models import (
    Badge,
    ClientProfile,
    FreelancerProfile,
    Image,
    Invitation,
    Membership,
    Organisation,
    OrganisationUserObjectPermission,
    PoolMembership,
    PortfolioItem,
    Role,
    TalentPool,
    User,
)
from marketplace.accounts.selectors import profiles_visible_to
from marketplace.accounts.services.organisations import member_remove
from marketplace.accounts.services.pools import pool_membership_end
from marketplace.core.models import AuditEntry, StatusChange

COUNTED = [
    User,
    EmailAddress,
    FreelancerProfile,
    ClientProfile,
    Image,
    PortfolioItem,
    Organisation,
    Membership,
    Invitation,
    TalentPool,
    PoolMembership,
    Badge,
    OrganisationUserObjectPermission,
    AuditEntry,
    StatusChange,
]


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def _seeded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """Seed once for the module (a few seconds), inside a transaction rolled back at the end; each
    test's own transaction is a savepoint inside it. The pictures go to a throwaway media folder."""
    media = tmp_path_factory.mktemp("seed-demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        output = _seed()
        yield output, media
        transaction.set_rollback(True)


@pytest.fixture
def seeded(_seeded_once, db, settings):
    settings.MEDIA_ROOT = _seeded_once[1]
    return _seeded_once


def test_second_run_creates_nothing(seeded):
    first_output, _ = seeded
    first = _counts()

    second_output = _seed()

    assert _counts() == first
    assert "created" in first_output
    assert "nothing to do" in second_output
    assert all(first[name] > 0 for name in first), first


def test_changes_made_in_the_demo_survive_a_rerun(seeded):
    """`make run` seeds on every start: a member removed or a pool membership ended stays so."""
    plan = demo.ORGANISATIONS[0]
    owner = User.objects.get(email=demo.member_email(plan, Role.OWNER))
    viewer = Membership.objects.get(user__email=demo.member_email(plan, Role.VIEWER))
    member_remove(acting_user=owner, organisation=viewer.organisation, membership_id=viewer.pk)
    freelancer = User.objects.get(email=demo.freelancer_email(plan.pool_active[0]))
    organisation = viewer.organisation
    pool_membership = PoolMembership.objects.get(freelancer=freelancer, pool__organisation=organisation)
    pool_membership_end(acting_user=freelancer, membership_id=pool_membership.pk)
    before = _counts()

    _seed()

    assert _counts() == before
    assert not Membership.objects.filter(pk=viewer.pk).exists()
    pool_membership.refresh_from_db()
    assert pool_membership.status == PoolMembership.Status.ENDED


def test_demo_has_the_promised_shape(seeded):
    _, media = seeded
    demo_users = User.objects.filter(email__endswith=f"@{demo.DOMAIN}")
    freelancers = FreelancerProfile.objects.filter(user__in=demo_users)
    assert freelancers.count() == len(demo.FREELANCERS) == 50
    assert demo_users.filter(email__startswith="client").count() == len(demo.CLIENTS) == 15
    assert ClientProfile.objects.filter(user__in=demo_users).exclude(company_name="").count() >= 5

    # Every freelancer has a filled-in profile with an avatar and 1-3 portfolio items with images.
    for profile in freelancers.select_related("city", "user", "avatar").prefetch_related("skills"):
        assert profile.headline
        assert profile.bio_html.startswith("<h3>")
        assert profile.hourly_rate_minor
        assert profile.hourly_rate_minor % 100 == 0
        assert profile.city is not None
        assert profile.user.timezone == profile.city.timezone
        assert profile.skills.exists()
        assert profile.tags
        assert profile.languages[0] == "English"
        assert profile.avatar is not None
        items = PortfolioItem.objects.filter(profile=profile)
        assert 1 <= items.count() <= 3
        assert not items.filter(image__isnull=True).exists()
    assert {p.currency for p in freelancers} == {"USD", "EUR", "GBP"}
    assert {p.availability for p in freelancers} == set(FreelancerProfile.Availability.values)
    assert len({p.city_id for p in freelancers}) >= 40
    assert set(Image.objects.values_list("format", flat=True).distinct()) == {"JPEG", "PNG", "WEBP"}
    # Pictures went to the test's media folder, one original per image row.
    assert len(list(media.glob("images/*/*/original.*"))) == Image.objects.count()

    # Two organisations, each with every role, its default pool and a pending colleague invitation.
    organisations = Organisation.objects.filter(created_by__in=demo_users)
    assert organisations.count() == 2
    for organisation in organisations:
        roles = set(Membership.objects.filter(organisation=organisation).values_list("role", flat=True))
        assert roles == set(Role.values)
        assert TalentPool.objects.filter(organisation=organisation, is_default=True).count() == 1
        assert Invitation.objects.filter(organisation=organisation, status=Invitation.Status.PENDING).exists()
        statuses = set(
            PoolMembership.objects.filter(pool__organisation=organisation).values_list("status", flat=True)
        )
        assert statuses == {PoolMembership.Status.ACTIVE, PoolMembership.Status.INVITED}
        owner = Membership.objects.get(organisation=organisation, role=Role.OWNER).user
        assert owner.has_perm("accounts.manage_owners", organisation)
        viewer = Membership.objects.get(organisation=organisation, role=Role.VIEWER).user
        assert not viewer.has_perm("accounts.manage_members", organisation)

    # Pool-only freelancers are all active in some pool: visible to that organisation, not to the public.
    pool_only = freelancers.filter(visibility=FreelancerProfile.Visibility.POOL)
    assert pool_only.count() == len(demo.POOL_ONLY)
    for profile in pool_only:
        assert PoolMembership.objects.filter(
            freelancer=profile.user, status=PoolMembership.Status.ACTIVE
        ).exists()
    pool_freelancer = User.objects.get(email=demo.freelancer_email(min(demo.POOL_ONLY)))
    northwind_owner = User.objects.get(email=demo.member_email(demo.ORGANISATIONS[0], Role.OWNER))
    assert not profiles_visible_to(AnonymousUser()).filter(user=pool_freelancer).exists()
    assert profiles_visible_to(northwind_owner).filter(user=pool_freelancer).exists()

    # Badges beyond the email one, granted by the staff user (with audit rows).
    staff = User.objects.get(email=demo.STAFF_EMAIL)
    assert staff.is_staff
    assert Badge.objects.filter(kind=Badge.Kind.IDENTITY, granted_by=staff).count() >= 20
    assert (
        AuditEntry.objects.filter(action="badge.grant", actor=staff).count()
        == Badge.objects.filter(granted_by=staff).count()
    )


def test_printed_demo_logins_authenticate(seeded):
    output, _ = seeded
    assert demo.PASSWORD in output
    validate_password(demo.PASSWORD)
    logins = demo.demo_logins()
    assert {"staff", "owner", "freelancer", "client"} <= {
        word.lower().strip("(),") for label, _ in logins for word in label.split()
    }
    for _, email in logins:
        assert email in output
        user = authenticate(email=email, password=demo.PASSWORD)
        assert user is not None, email
        validate_password(demo.PASSWORD, user)
        assert EmailAddress.objects.filter(user=user, email=email, verified=True, primary=True).exists()
    assert authenticate(email=demo.STAFF_EMAIL, password="wrong-password") is None
