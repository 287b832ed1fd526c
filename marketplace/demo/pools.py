"""Vetted pools in the demo: Northwind Retail runs two pools besides its default one, with members in
every state of the lifecycle, all made through the services (the settings, the worker's joining,
uploads and signatures, the reviewers' decisions, overrides, the expiry sweep).

- "NE Cabling T1" (invited workers see it, joined by invitation, suspend on expiry): the issue's
  scenario 1 requirement set; tiers Preferred ($65/h) and Standard ($52/h). Members: invited,
  declined, awaiting requirements (red items, a rejected background check), awaiting review
  (credentials pending), active (one whose insurance lapses within the month: a reminder sent),
  active on a granted 30-day override that waives the background check, suspended (insurance
  expired), reinstated after a reviewer approved $950k of cover against the $1M minimum, removed.
- "Field Techs — Boston" (any worker sees it, workers apply, flag on expiry): W-9, a drug test at
  most a year old, 50 miles from Boston, a 4.0 rating. Members: active, active and flagged (the drug
  test got too old), override requested, awaiting requirements (too far from Boston).

The field techs are new to the marketplace: no contract ended yet, so the track-record rules
(on-time rate, rating) fail for them; a reviewer approves that one rule per member with the reason a
real enterprise would give (references checked). Dates that must lie in the past (a certificate
that expired, a test that got old) are backdated on the credential after the upload, and the
member evaluated again, as the days passing would.

Once only: skipped when Northwind has a pool called "NE Cabling T1"."""

import io
from dataclasses import dataclass
from datetime import timedelta

import PIL.Image
from django.db import transaction
from django.utils import timezone
from PIL import ImageDraw, ImageFont

from marketplace.accounts.models import City, FreelancerProfile, Skill
from marketplace.accounts.services.onboarding import account_onboard, account_settings_update
from marketplace.accounts.services.profiles import FreelancerProfileInput, freelancer_profile_update
from marketplace.organisations.models import (
    Credential,
    ExpiryReminder,
    PoolMembership,
    Requirement,
    Role,
    TalentPool,
)
from marketplace.organisations.services import membership_admin, overrides, review
from marketplace.organisations.services.agreements import agreement_sign
from marketplace.organisations.services.credentials import credential_upload
from marketplace.organisations.services.expiry import expiry_sweep
from marketplace.organisations.services.joining import pool_apply
from marketplace.organisations.services.lifecycle import membership_reevaluate
from marketplace.organisations.services.pool_settings import pool_create, tier_create
from marketplace.organisations.services.pools import (
    pool_invite,
    pool_membership_accept,
    pool_membership_decline,
)
from marketplace.organisations.services.requirements import requirement_add

from .accounts import (
    DOMAIN,
    ORGANISATIONS,
    Step,
    _account_create,
    _exists,
    _organisation_of,
    _user,
    logins_with,
    member_email,
)

NE_CABLING = "NE Cabling T1"
FIELD_TECHS = "Field Techs — Boston"
NORTHWIND = ORGANISATIONS[0]
AGREEMENT_TEXT = (
    "1. You work for Northwind Retail as an independent contractor, not an employee.\n"
    "2. You follow the site's safety rules and the store manager's directions on site.\n"
    "3. You keep what you see of our stores' networks and systems confidential.\n"
    "4. You carry the insurance this pool asks for while you are a member."
)
TRACK_RECORD_REASON = "New to the marketplace; references from two previous employers checked by phone."


def tech_email(n: int) -> str:
    return f"fieldtech{n:02d}@{DOMAIN}"


# (full name, city as in GeoNames): field technicians around Boston, and one in New York.
TECHS = [
    ("Jordan Reyes", "Quincy"),  # 1 NE: invited
    ("Priya Nair", "Lowell"),  # 2 NE: declined
    ("Marcus Bell", "Worcester"),  # 3 NE: awaiting requirements, a background check rejected
    ("Elena Costa", "Cambridge"),  # 4 NE: awaiting review
    ("Tom Walsh", "Boston"),  # 5 NE: active, preferred, insurance lapsing this month
    ("Aisha Khan", "Somerville"),  # 6 NE: active on an override (background check booked)
    ("Dan Murphy", "Providence"),  # 7 NE: suspended, insurance expired
    ("Grace Lee", "Newton"),  # 8 NE: reinstated, $950k approved
    ("Kevin O'Brien", "Brockton"),  # 9 NE: removed
    ("Nina Rossi", "Boston"),  # 10 FT: active
    ("Luis Ortega", "Cambridge"),  # 11 FT: active, flagged (drug test too old)
    ("Sam Patel", "Waltham"),  # 12 FT: override requested
    ("Chris Young", "New York City"),  # 13 FT: awaiting requirements (too far)
]


def _city(name: str) -> City | None:
    return City.objects.filter(name=name, country_code="US").order_by("-population").first()


def tech_seed(n: int) -> None:
    """A field technician's account and public profile, as the sign-up and the profile page make them."""
    email = tech_email(n)
    if _exists(email):
        return
    full_name, city_name = TECHS[n - 1]
    city = _city(city_name)
    user = _account_create(email, full_name)
    account_onboard(user=user, full_name=full_name, is_client=False, is_freelancer=True, accepted_terms=True)
    account_settings_update(
        user=user, full_name=full_name, is_client=False, is_freelancer=True, timezone_name="America/New_York"
    )
    skills = Skill.objects.filter(name__in=["Network cabling", "POS installation", "Site survey"])
    freelancer_profile_update(
        user=user,
        data=FreelancerProfileInput(
            headline="Low-voltage and network cabling technician",
            bio=f"Structured cabling, POS and Wi-Fi installs for retail stores around {city_name}.",
            hourly_rate_minor=5_500 + 250 * n,
            currency="USD",
            city=city,
            availability=FreelancerProfile.Availability.FULL_TIME,
            languages=["English"],
            skills=list(skills),
            tags=["cabling", "retail", "field work"],
            visibility=FreelancerProfile.Visibility.PUBLIC,
        ),
    )


# --- Documents ------------------------------------------------------------------------------------


def document_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF that reads like the document it stands for (drawn with Pillow)."""
    image = PIL.Image.new("RGB", (850, 1100), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 810, 1060), outline=(30, 41, 59), width=3)
    draw.text((80, 90), title, font=ImageFont.load_default(size=34), fill=(15, 23, 42))
    body = ImageFont.load_default(size=22)
    for n, line in enumerate(lines):
        draw.text((80, 180 + 44 * n), line, font=body, fill=(51, 65, 85))
    buffer = io.BytesIO()
    image.save(buffer, "PDF", resolution=100)
    return buffer.getvalue()


@dataclass
class Demo:
    """The pools and people the steps below share."""

    organisation: object
    ne: TalentPool
    ft: TalentPool
    admin: object
    manager: object

    def rule(self, pool: TalentPool, kind: str) -> Requirement:
        return pool.requirements.get(kind=kind)


def _upload(demo: Demo, membership: PoolMembership, kind: str, **fields) -> Credential:
    worker = membership.freelancer
    requirement = demo.rule(membership.pool, kind)
    title = {
        "tax_form": "Form W-9 Request for Taxpayer Identification Number",
        "insurance": "Certificate of Liability Insurance",
        "background_check": "Background check report",
        "drug_test": "Drug test result: negative",
    }[kind]
    lines = [
        f"Name: {worker.full_name}",
        *(f"{key.replace('_', ' ')}: {value}" for key, value in fields.items()),
    ]
    return credential_upload(
        acting_user=worker,
        membership_id=membership.pk,
        requirement_id=requirement.pk,
        data=document_pdf(title, lines),
        name=f"{kind.replace('_', '-')}.pdf",
        fields={key: str(value) for key, value in fields.items()},
    )


def _sign(demo: Demo, membership: PoolMembership) -> None:
    worker = membership.freelancer
    agreement_sign(
        acting_user=worker,
        membership_id=membership.pk,
        requirement_id=demo.rule(membership.pool, "agreement").pk,
        signed_name=worker.full_name,
        ip="203.0.113.7",
        user_agent="Mozilla/5.0 (demo data)",
    )


def _approve_rule(demo: Demo, membership: PoolMembership, kind: str, reason: str) -> None:
    review.rule_approve(
        acting_user=demo.manager,
        membership_id=membership.pk,
        requirement_id=demo.rule(membership.pool, kind).pk,
        reason=reason,
    )


def _backdate(credential: Credential, membership: PoolMembership, **dates) -> PoolMembership:
    """Days passed: the credential's dates moved back, then the member evaluated as the sweep would."""
    Credential.objects.filter(pk=credential.pk).update(**dates)
    return membership_reevaluate(membership.pk)


# --- NE Cabling T1 --------------------------------------------------------------------------------


def _ne_invited(demo: Demo, n: int, *, accept: bool = True) -> PoolMembership:
    worker = _user(tech_email(n))
    membership = pool_invite(
        acting_user=demo.manager,
        organisation=demo.organisation,
        freelancer_email=worker.email,
        pool_id=demo.ne.pk,
        message="Northwind is wiring its New England stores this year: we'd like you on the crew.",
    )
    if accept:
        membership = pool_membership_accept(acting_user=worker, membership_id=membership.pk)
    return membership


def _ne_paperwork(demo: Demo, membership: PoolMembership, today, *, insurance_minor=100_000_000) -> None:
    _sign(demo, membership)
    _upload(demo, membership, "tax_form", form="w9")
    _upload(
        demo,
        membership,
        "insurance",
        per_occurrence_minor=insurance_minor,
        aggregate_minor=200_000_000,
        expires_on=today + timedelta(days=300),
    )
    _upload(demo, membership, "background_check", issued_on=today - timedelta(days=60))
    _approve_rule(demo, membership, "on_time_rate", TRACK_RECORD_REASON)


def _ne_active(demo: Demo, n: int, today, tier=None) -> PoolMembership:
    membership = _ne_invited(demo, n)
    _ne_paperwork(demo, membership, today)
    membership = membership_admin.membership_approve(
        acting_user=demo.manager, membership_id=membership.pk, reason="Documents checked."
    )
    if tier is not None:
        membership_admin.membership_set_tier(
            acting_user=demo.manager, membership_id=membership.pk, tier_id=tier.pk
        )
    return membership


def _insurance(membership: PoolMembership) -> Credential:
    return Credential.objects.filter(worker=membership.freelancer, kind="insurance").order_by("-pk").first()


def ne_cabling_members(demo: Demo, today) -> None:
    preferred, standard = demo.ne.tiers.order_by("priority")
    _ne_invited(demo, 1, accept=False)
    declined = _ne_invited(demo, 2, accept=False)
    pool_membership_decline(acting_user=_user(tech_email(2)), membership_id=declined.pk)

    marcus = _ne_invited(demo, 3)
    _sign(demo, marcus)
    _upload(demo, marcus, "tax_form", form="w9")
    check = _upload(demo, marcus, "background_check", issued_on=today - timedelta(days=20))
    review.credential_reject(
        acting_user=demo.manager,
        credential_id=check.pk,
        reason="The report is cut off after page one; upload the whole report.",
    )

    elena = _ne_invited(demo, 4)
    _ne_paperwork(demo, elena, today)  # every rule passes or awaits review: in the review queue

    tom = _ne_active(demo, 5, today, preferred)
    _backdate(_insurance(tom), tom, expires_on=today + timedelta(days=24))  # the 30-day reminder is due

    aisha = _ne_invited(demo, 6)
    _sign(demo, aisha)
    for credential in (
        _upload(demo, aisha, "tax_form", form="w9"),
        _upload(
            demo,
            aisha,
            "insurance",
            per_occurrence_minor=100_000_000,
            aggregate_minor=200_000_000,
            expires_on=today + timedelta(days=400),
        ),
    ):
        review.credential_verify(acting_user=demo.manager, credential_id=credential.pk, reason="Checked.")
    _approve_rule(demo, aisha, "on_time_rate", TRACK_RECORD_REASON)
    asked = overrides.override_request(
        acting_user=aisha.freelancer,
        membership_id=aisha.pk,
        reason="My background check is booked with Sterling for the 14th; the report takes two weeks.",
    )
    overrides.override_grant(
        acting_user=demo.manager,
        membership_id=aisha.pk,
        override_id=asked.pk,
        days=30,
        reason="Store openings in Cambridge need her now; the check is booked.",
    )
    membership_admin.membership_set_tier(
        acting_user=demo.manager, membership_id=aisha.pk, tier_id=standard.pk
    )

    dan = _ne_active(demo, 7, today, standard)
    _backdate(_insurance(dan), dan, expires_on=today - timedelta(days=3))  # lapsed: suspended

    grace = _ne_active(demo, 8, today, standard)
    grace = _backdate(_insurance(grace), grace, expires_on=today - timedelta(days=10))
    _upload(
        demo,
        grace,
        "insurance",
        per_occurrence_minor=95_000_000,
        aggregate_minor=200_000_000,
        expires_on=today + timedelta(days=355),
    )
    _approve_rule(demo, grace, "insurance", "Her umbrella policy covers the $50,000 gap; copy on file.")

    kevin = _ne_active(demo, 9, today, standard)
    membership_admin.membership_remove(
        acting_user=demo.manager,
        membership_id=kevin.pk,
        reason="Moved to Florida; no longer covers New England.",
    )


# --- Field Techs — Boston -------------------------------------------------------------------------


def _ft_applied(demo: Demo, n: int) -> PoolMembership:
    return pool_apply(
        acting_user=_user(tech_email(n)),
        pool_id=demo.ft.pk,
        message="Eight years installing POS and network gear in Boston stores.",
    )


def _ft_active(demo: Demo, n: int, today, *, tested_days_ago: int) -> tuple[PoolMembership, Credential]:
    membership = _ft_applied(demo, n)
    _upload(demo, membership, "tax_form", form="w9")
    test = _upload(demo, membership, "drug_test", issued_on=today - timedelta(days=tested_days_ago))
    _approve_rule(demo, membership, "min_rating", TRACK_RECORD_REASON)
    membership = membership_admin.membership_approve(
        acting_user=demo.manager, membership_id=membership.pk, reason="Documents checked."
    )
    return membership, test


def field_techs_members(demo: Demo, today) -> None:
    _ft_active(demo, 10, today, tested_days_ago=30)
    luis, test = _ft_active(demo, 11, today, tested_days_ago=200)
    _backdate(test, luis, issued_on=today - timedelta(days=372))  # too old: flagged, still active

    sam = _ft_applied(demo, 12)
    _upload(demo, sam, "tax_form", form="w9")
    overrides.override_request(
        acting_user=sam.freelancer,
        membership_id=sam.pk,
        reason="My drug test is booked at Quest on Tuesday; I can start on the Back Bay refit now.",
    )
    chris = _ft_applied(demo, 13)
    _upload(demo, chris, "tax_form", form="w9")


# --- The step -------------------------------------------------------------------------------------


def _pools_create(organisation, admin) -> tuple[TalentPool, TalentPool]:
    boston = _city("Boston")
    ne = pool_create(
        acting_user=admin,
        organisation=organisation,
        name=NE_CABLING,
        description="Tier 1 structured-cabling crews for Northwind's stores across New England.",
        visibility=TalentPool.Visibility.INVITEES,
        join_policy=TalentPool.JoinPolicy.INVITATION,
        on_expiry=TalentPool.OnExpiry.SUSPEND,
    )
    tier_create(acting_user=admin, pool=ne, name="Preferred", priority=1, pay_rate_minor=6_500)
    tier_create(acting_user=admin, pool=ne, name="Standard", priority=2, pay_rate_minor=5_200)
    for kind, config, reminders in [
        ("tax_form", {"forms": ["w9"]}, None),
        (
            "agreement",
            {"title": "Northwind contractor agreement", "version": 3, "text": AGREEMENT_TEXT},
            None,
        ),
        (
            "insurance",
            {
                "coverage": "general_liability",
                "per_occurrence_minor": 100_000_000,
                "aggregate_minor": 200_000_000,
            },
            [30, 7, 1],
        ),
        ("background_check", {"max_age_days": 365}, None),
        ("travel_distance", {"base_city_id": boston.pk, "miles": 50}, None),
        ("on_time_rate", {"min_percent": 90}, None),
    ]:
        requirement_add(acting_user=admin, pool=ne, kind=kind, config=config, reminder_days=reminders)
    ft = pool_create(
        acting_user=admin,
        organisation=organisation,
        name=FIELD_TECHS,
        description="On-call field technicians for store refits and repairs in Greater Boston. Apply below.",
        visibility=TalentPool.Visibility.PUBLIC,
        join_policy=TalentPool.JoinPolicy.APPLY,
        on_expiry=TalentPool.OnExpiry.FLAG,
    )
    tier_create(acting_user=admin, pool=ft, name="Standard", priority=1, pay_rate_minor=4_800)
    for kind, config in [
        ("tax_form", {"forms": ["w9"]}),
        ("drug_test", {"max_age_days": 365}),
        ("travel_distance", {"base_city_id": boston.pk, "miles": 50}),
        ("min_rating", {"min_rating": 4.0}),
    ]:
        requirement_add(acting_user=admin, pool=ft, kind=kind, config=config)
    return ne, ft


def pools_seed() -> bool:
    organisation = _organisation_of(NORTHWIND)
    if organisation is None or TalentPool.objects.filter(organisation=organisation, name=NE_CABLING).exists():
        return False
    with transaction.atomic():
        for n in range(1, len(TECHS) + 1):
            tech_seed(n)
        admin = _user(member_email(NORTHWIND, Role.ADMIN))
        manager = _user(member_email(NORTHWIND, Role.HIRING_MANAGER))
        ne, ft = _pools_create(organisation, admin)
        demo = Demo(organisation, ne, ft, admin, manager)
        today = timezone.localdate()
        ne_cabling_members(demo, today)
        field_techs_members(demo, today)
    expiry_sweep()  # the daily sweep, once: reminders for what lapses soon
    return True


def seed_steps() -> list[Step]:
    return [Step("vetted pools", pools_seed)]


def demo_counts() -> dict[str, int]:
    pools = TalentPool.objects.filter(name__in=[NE_CABLING, FIELD_TECHS])
    return {
        "vetted pools": pools.count(),
        "vetted pool members": PoolMembership.objects.filter(pool__in=pools).count(),
        "credentials": Credential.objects.filter(worker__email__iendswith=f"@{DOMAIN}").count(),
        "expiry reminders": ExpiryReminder.objects.filter(membership__pool__in=pools).count(),
    }


def demo_logins(logins: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return logins_with(
        logins,
        {
            member_email(NORTHWIND, Role.OWNER): f"pools {NE_CABLING} and {FIELD_TECHS}: settings, tiers, "
            "requirement sets",
            member_email(NORTHWIND, Role.HIRING_MANAGER): "the pools' members in every state, the review "
            "queue, an override, a $950k rule approval",
            tech_email(3): f"Field technician: {NE_CABLING}'s checklist with red items, a rejected check",
            tech_email(6): f"Field technician: active in {NE_CABLING} on a 30-day override",
        },
    )
