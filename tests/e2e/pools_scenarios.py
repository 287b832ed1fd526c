"""What the pools' acceptance scenarios (tests/e2e/test_pools_scenario_*.py) share: the people of an
enterprise, a Boston-area worker with an on-time record, log-ins and screenshots at both widths."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

from django.db import connections
from django.utils import timezone
from playwright.sync_api import Browser

from marketplace.contracts.models import Contract
from marketplace.core.models import AuditEntry
from marketplace.organisations.models import Role
from tests.e2e.test_hiring_story import Person, phone_shot
from tests.factories import add_member, make_client, make_contract, make_freelancer, make_organisation
from tests.organisations.members_support import located


def off_loop(function, *args):
    """``function(*args)`` in a thread of its own, off Playwright's event loop (notifications deliver
    synchronously), its database connection closed after (else the test database stays in use)."""

    def run():
        try:
            return function(*args)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(1) as executor:
        return executor.submit(run).result()


def enterprise():
    """Northeast Networks: its owner (settings) and a hiring manager (the pool's reviewer)."""
    owner = make_client(email="olive@example.com", full_name="Olive Owner")
    organisation = make_organisation(owner=owner, name="Northeast Networks")
    manager = add_member(
        organisation, Role.HIRING_MANAGER, make_client(email="maya@example.com", full_name="Maya Manager")
    )
    return organisation, owner, manager


def field_worker(email: str, full_name: str, city: str = "Cambridge"):
    """A freelancer living near Boston with one contract that ended on time last month (the
    on-time rate's record)."""
    worker = located(make_freelancer(email=email, full_name=full_name), city)
    contract = make_contract(freelancer=worker)
    Contract.objects.filter(pk=contract.pk).update(
        status=Contract.Status.COMPLETED, ended_at=timezone.now() - timedelta(days=30)
    )
    return worker


def person(browser: Browser, base: str, artifacts_dir: Path, errors: list, email: str, path: str) -> Person:
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    someone = Person(browser, base, shots, errors)
    someone.page.goto(f"{base}{path}")
    someone.log_in(email)
    return someone


def both_widths(someone: Person, name: str) -> None:
    someone.shot(name)
    phone_shot(someone, name)


def audited(organisation, membership) -> list[str]:
    """The audit log's actions about ``membership`` (entries on the organisation), oldest first."""
    return list(
        AuditEntry.objects.filter(target_type="organisations.organisation", target_id=str(organisation.pk))
        .filter(data__membership=membership.pk)
        .order_by("pk")
        .values_list("action", flat=True)
    )
