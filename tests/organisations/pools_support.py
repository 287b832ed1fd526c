"""Builders for pool tests: pools with requirement sets and members in a given state, made with
the ORM where the services that make them belong to other parts of the pools work (settings,
joining), so each test states only what it is about."""

from datetime import date

from marketplace.accounts.models import City
from marketplace.core.files import file_check, file_store
from marketplace.organisations.models import Credential, PoolMembership, Requirement, TalentPool
from marketplace.organisations.requirements.kinds import clean_config
from marketplace.organisations.services.credential_files import POOL_CREDENTIAL_FILES
from tests.factories import make_freelancer, make_organisation

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def city(name: str, country: str = "US") -> City:
    return City.objects.filter(name=name, country_code=country).order_by("-population").first()


def make_pool(organisation=None, *, name="NE Cabling T1", **settings) -> TalentPool:
    organisation = organisation or make_organisation()
    settings.setdefault("visibility", TalentPool.Visibility.INVITEES)
    return TalentPool.objects.create(organisation=organisation, name=name, **settings)


def add_requirement(pool: TalentPool, kind: str, **config) -> Requirement:
    reminder_days = config.pop("reminder_days", None)
    fields = {"reminder_days": reminder_days} if reminder_days else {}
    return Requirement.objects.create(
        pool=pool, kind=kind, config=clean_config(kind, config), position=pool.requirements.count(), **fields
    )


def ne_cabling(organisation=None) -> TalentPool:
    """The issue's scenario 1 pool."""
    pool = make_pool(organisation)
    add_requirement(pool, "tax_form", forms=["w9"])
    add_requirement(pool, "agreement", title="Contractor agreement", version=3, text="I agree.")
    add_requirement(
        pool,
        "insurance",
        coverage="general_liability",
        per_occurrence_minor=100_000_000,
        aggregate_minor=200_000_000,
        reminder_days=[30, 7, 1],
    )
    add_requirement(pool, "background_check", max_age_days=365)
    add_requirement(pool, "travel_distance", base_city_id=city("Boston").pk, miles=50)
    return pool


def join(pool: TalentPool, worker=None, status=PoolMembership.Status.AWAITING_REQUIREMENTS) -> PoolMembership:
    worker = worker or make_freelancer()
    return PoolMembership.objects.create(pool=pool, freelancer=worker, status=status)


def credential(worker, organisation, kind: str, *, status=Credential.Status.VERIFIED, **fields) -> Credential:
    checked = file_check(PDF, f"{kind}.pdf")
    stored = file_store(acting_user=worker, checked=checked, owner_kind=POOL_CREDENTIAL_FILES)
    fields.setdefault("issued_on", date(2026, 1, 1) if kind in ("background_check", "drug_test") else None)
    return Credential.objects.create(
        worker=worker, organisation=organisation, kind=kind, status=status, file=stored, **fields
    )
