"""A worker's pools in a browser: /pools/ (their memberships and pools to browse), a pool's page with
its requirements in words, and the onboarding checklist with red, amber, green and expired rows; the
worker signs the agreement and uploads the insurance certificate from the checklist.

Screenshots: ``pools-worker-*`` (desktop 1280 and phone 390 wide)."""

from datetime import date, timedelta
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Browser, expect

from marketplace.organisations.models import AgreementSignature, Credential, TalentPool
from marketplace.organisations.services.lifecycle import membership_reevaluate
from tests.e2e.test_hiring_story import Person, phone_shot
from tests.factories import make_freelancer, make_organisation
from tests.organisations.pools_support import (
    PDF,
    add_requirement,
    city,
    credential,
    join,
    make_pool,
    ne_cabling,
)


def _both_widths(person: Person, name: str) -> None:
    person.shot(name)
    phone_shot(person, name)


def _world():
    worker = make_freelancer(full_name="Casey Cabler", email="casey@example.com")
    profile = worker.freelancer_profile
    profile.city = city("Cambridge")
    profile.save(update_fields=["city"])
    organisation = make_organisation(name="Northeast Networks")
    pool = ne_cabling(organisation)
    pool.visibility, pool.join_policy = TalentPool.Visibility.PUBLIC, TalentPool.JoinPolicy.APPLY
    pool.description = "Structured cabling crews for offices and data rooms across New England."
    pool.save()
    add_requirement(pool, "certification", name="BICSI Installer 2")
    membership = join(pool, worker)
    credential(worker, organisation, "tax_form", form="w9", status=Credential.Status.PENDING)
    credential(worker, organisation, "background_check", issued_on=timezone.localdate() - timedelta(days=40))
    credential(worker, organisation, "certification", name="BICSI Installer 2", expires_on=date(2026, 1, 1))
    membership_reevaluate(membership.pk)
    crew = make_pool(
        make_organisation(name="Metro Fibre"),
        name="Metro Fibre splicing crew",
        visibility=TalentPool.Visibility.PUBLIC,
        join_policy=TalentPool.JoinPolicy.APPLY,
        description="Fusion splicers on call in Greater Boston.",
    )
    add_requirement(crew, "skills_test", name="Fusion splicing", min_score=80)
    return worker, pool, membership, crew


def test_a_worker_browses_pools_and_works_through_a_checklist(
    browser: Browser, asgi_server: str, artifacts_dir: Path, tmp_path: Path
):
    base = asgi_server
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    worker, pool, membership, _crew = _world()

    casey = Person(browser, base, shots, errors)
    casey.page.goto(f"{base}/pools/")
    casey.log_in(worker.email)
    expect(casey.page).to_have_url(f"{base}/pools/")
    expect(casey.page.get_by_role("row", name="Northeast Networks")).to_contain_text("Awaiting requirements")
    expect(casey.page.get_by_role("heading", name="Metro Fibre splicing crew")).to_be_visible()
    _both_widths(casey, "pools-worker-01-list")

    casey.page.get_by_role("link", name="Metro Fibre splicing crew", exact=True).click()
    expect(casey.page.get_by_text("with a score of 80 or more")).to_be_visible()
    _both_widths(casey, "pools-worker-02-pool")

    casey.page.goto(f"{base}/pools/memberships/{membership.pk}/")
    rows = casey.page.locator(".pool-checklist__item")
    expect(rows).to_have_count(6)
    expect(casey.page.locator(".pool-checklist__item--pass")).to_have_count(2)  # background check, distance
    expect(casey.page.locator(".pool-checklist__item--pending")).to_have_count(1)  # the W-9 in review
    expect(casey.page.locator(".pool-checklist__item--fail")).to_have_count(2)  # agreement, insurance
    expect(casey.page.locator(".pool-checklist__item--expired")).to_have_count(1)  # the certification
    _both_widths(casey, "pools-worker-03-checklist")

    agreement = casey.page.locator(f"#requirement-{pool.requirements.get(kind='agreement').pk}")
    agreement.get_by_label("Type your full name to sign").fill("Casey Cabler")
    agreement.get_by_role("button", name="Sign").click()
    expect(casey.page.get_by_text("Signed. A copy is kept")).to_be_visible()
    assert AgreementSignature.objects.get().ip == "127.0.0.1"

    insurance = casey.page.locator(f"#requirement-{pool.requirements.get(kind='insurance').pk}")
    certificate = tmp_path / "certificate.pdf"
    certificate.write_bytes(PDF)
    insurance.get_by_label("Cover per occurrence").fill("1000000")
    insurance.get_by_label("Aggregate cover").fill("2000000")
    insurance.get_by_label("Expiration date").fill((timezone.localdate() + timedelta(days=300)).isoformat())
    insurance.get_by_label("Document (PDF, JPEG or PNG)").set_input_files(str(certificate))
    insurance.get_by_role("button", name="Upload").click()
    expect(casey.page.get_by_text("Uploaded: the organisation will review it.")).to_be_visible()
    expect(casey.page.locator(".pool-checklist__item--pending")).to_have_count(2)
    expect(casey.page.locator(".pool-checklist__item--fail")).to_have_count(0)
    _both_widths(casey, "pools-worker-04-checklist-after")
    assert errors == []
