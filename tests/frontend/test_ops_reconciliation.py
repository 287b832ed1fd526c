"""The reconciliation on /ops/: staff read the latest report, start a run, and mark a finding
explained; nobody else reaches any of it (the admin's login, as for the rest of /ops/)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from escrow.models import ReconciliationFinding, ReconciliationRun
from marketplace.core.audit import audit_trail
from tests.factories import make_user

pytestmark = pytest.mark.django_db
Kind = ReconciliationFinding.Kind


def _run(findings: int = 1, **fields) -> ReconciliationRun:
    now = timezone.now()
    run = ReconciliationRun.objects.create(
        status=ReconciliationRun.Status.DONE,
        window_start=now,
        window_end=now,
        finished_at=now,
        compared={"payment_intent": 3, "refund": 0, "transfer": 1},
        **fields,
    )
    ReconciliationFinding.objects.bulk_create(
        ReconciliationFinding(
            run=run,
            kind=Kind.TRANSFER_MISSING,
            currency="USD",
            processor_type="transfer",
            processor_id=f"tr_missing{i}",
            ledger_ref=f"ledger transaction {i}",
            ledger_amount_minor=54_000,
            detail=f"The ledger records the payout of $540.00 by tr_missing{i}, but Stripe has none.",
            action="The freelancer may not have been paid.",
            fingerprint=f"f{i}",
        )
        for i in range(findings)
    )
    return run


@pytest.fixture
def staff(client):
    user = make_user(staff=True, full_name="Sam Staff")
    client.force_login(user)
    return user


def test_staff_see_the_latest_report_and_its_findings(client, staff):
    _run(findings=1)
    text = client.get(reverse("frontend:ops")).content.decode()
    assert "1 to explain" in text
    assert "3 payments, 0 refunds, 1 transfer." in text
    assert "tr_missing0" in text
    assert "$540.00" in text
    assert "The freelancer may not have been paid." in text
    assert "Mark explained" in text
    assert "Run the reconciliation" in text


def test_before_any_run_and_while_one_runs(client, staff):
    assert "No reconciliation has run yet" in client.get(reverse("frontend:ops")).content.decode()
    ReconciliationRun.objects.create(window_start=timezone.now(), window_end=timezone.now())
    text = client.get(reverse("frontend:ops")).content.decode()
    assert "A reconciliation is running" in text
    assert "Run the reconciliation" not in text


def test_a_clean_run_says_the_ledger_matches(client, staff):
    _run(findings=0)
    assert "Ledger matches Stripe" in client.get(reverse("frontend:ops")).content.decode()


def test_the_button_starts_one_run_and_refuses_a_second(client, staff):
    response = client.post(reverse("frontend:ops_reconcile"), follow=True)
    assert "Reconciliation started" in response.content.decode()
    run = ReconciliationRun.objects.get()
    assert (run.status, run.trigger, run.started_by) == ("running", "staff", staff)
    assert audit_trail(run).get().action == "reconciliation.request"
    again = client.post(reverse("frontend:ops_reconcile"), follow=True)
    assert "A reconciliation is running already" in again.content.decode()
    assert ReconciliationRun.objects.count() == 1


def test_staff_mark_a_finding_explained_with_a_note(client, staff):
    finding = _run().findings.get()
    url = reverse("frontend:ops_finding_explain", args=[finding.pk])
    empty = client.post(url, {"note": " "}, follow=True)
    assert "Say what explains it." in empty.content.decode()
    done = client.post(url, {"note": "Sent by hand, see the Dashboard."}, follow=True)
    text = done.content.decode()
    assert "Finding marked explained." in text
    assert "Sent by hand, see the Dashboard." in text
    assert "Sam Staff" in text
    finding.refresh_from_db()
    assert (finding.explained_by, finding.explanation) == (staff, "Sent by hand, see the Dashboard.")
    assert client.post(reverse("frontend:ops_finding_explain", args=[finding.pk + 1000])).status_code == 404


@pytest.mark.parametrize("who", ["anon", "member", "support"])
def test_nobody_else_reaches_the_reconciliation(client, who):
    finding = _run().findings.get()
    if who != "anon":
        client.force_login(make_user(is_support=who == "support"))
    for url in (
        reverse("frontend:ops_reconcile"),
        reverse("frontend:ops_finding_explain", args=[finding.pk]),
    ):
        response = client.post(url, {"note": "Mine."})
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
    finding.refresh_from_db()
    assert finding.explained_at is None
    assert ReconciliationRun.objects.count() == 1


def test_the_page_makes_as_many_queries_for_one_finding_as_for_fifty(client, staff):
    counts = []
    for n in (1, 50):
        ReconciliationRun.objects.all().delete()
        _run(findings=n, started_by=staff)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("frontend:ops")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
