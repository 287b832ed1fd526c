"""The escrow admin (escrow/admin.py) is read-only for operators: any staff member opens every list
and detail page, nobody adds, changes or deletes, and the others never get past the admin's login."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone

from escrow.models import (
    Charge,
    Hold,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    ReconciliationFinding,
    ReconciliationRun,
    Refund,
    Settlement,
    Transfer,
    WebhookEvent,
)
from tests.escrow.builders import fund_milestone, payouts_ready, refund, release
from tests.factories import make_contract, make_user

pytestmark = pytest.mark.django_db
MODELS = [
    Hold,
    Settlement,
    LedgerAccount,
    LedgerTransaction,
    LedgerEntry,
    Charge,
    Transfer,
    Refund,
    WebhookEvent,
    ReconciliationRun,
    ReconciliationFinding,
]


@pytest.fixture
def money():
    """One of each row: a hold funded, part released and paid out, the rest refunded; an event; a
    reconciliation's finding about the hold."""
    contract = make_contract(milestones=(60_000,))
    payouts_ready(contract.freelancer)
    milestone = contract.milestones.get()
    hold = fund_milestone(milestone).hold
    release(hold, 20_000)
    refund(hold)
    WebhookEvent.objects.create(event_id="evt_admin", type="charge.succeeded", payload={"id": "evt_admin"})
    now = timezone.now()
    run = ReconciliationRun.objects.create(window_start=now, window_end=now, status="done", finished_at=now)
    ReconciliationFinding.objects.create(
        run=run, kind="transfer_missing", hold=hold, detail="d", action="a", fingerprint="f"
    )
    return hold


def _urls(model, pk) -> dict[str, str]:
    name = f"admin:escrow_{model._meta.model_name}"
    return {
        "list": reverse(f"{name}_changelist"),
        "detail": reverse(f"{name}_change", args=[pk]),
        "add": reverse(f"{name}_add"),
        "delete": reverse(f"{name}_delete", args=[pk]),
    }


def test_every_money_model_has_a_read_only_admin():
    assert all(model in admin.site._registry for model in MODELS)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_staff_read_each_list_and_detail_page_and_cannot_write(client, money, model):
    staff = make_user(staff=True)  # platform staff: no model permissions, not a superuser
    client.force_login(staff)
    row = model.objects.order_by("pk").first()
    urls = _urls(model, row.pk)
    listed = client.get(urls["list"])
    assert listed.status_code == 200
    assert urls["add"] not in listed.content.decode()
    detail = client.get(urls["detail"])
    assert detail.status_code == 200
    assert 'name="_save"' not in detail.content.decode()  # read-only: no save button
    assert client.get(urls["add"]).status_code == 403
    assert client.post(urls["add"], {}).status_code == 403
    assert client.post(urls["detail"], {}).status_code == 403
    assert client.get(urls["delete"]).status_code == 403
    assert client.post(urls["delete"], {"post": "yes"}).status_code == 403
    assert client.post(
        urls["list"], {"action": "delete_selected", "_selected_action": [row.pk]}
    ).status_code in (
        200,
        302,
    )
    assert model.objects.filter(pk=row.pk).exists()


def test_a_finding_links_its_run_and_hold(client, money):
    client.force_login(make_user(staff=True))
    text = client.get(reverse("admin:escrow_reconciliationfinding_changelist")).content.decode()
    assert reverse("admin:escrow_hold_change", args=[money.pk]) in text
    run = ReconciliationRun.objects.get()
    assert reverse("admin:escrow_reconciliationrun_change", args=[run.pk]) in text
    transfers = client.get(reverse("admin:escrow_transfer_changelist")).content.decode()
    settlement = Settlement.objects.get(kind="release")
    assert reverse("admin:escrow_settlement_change", args=[settlement.pk]) in transfers


@pytest.mark.parametrize("who", ["member", "support"])
def test_others_are_sent_to_the_admin_login(client, money, who):
    client.force_login(make_user(is_support=who == "support"))
    for model in MODELS:
        response = client.get(_urls(model, 1)["list"])
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
