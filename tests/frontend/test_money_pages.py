"""Money pages: earnings (held, waiting to be paid out, paid out, each payout traced to its
milestone), payments (receipts newest first, paginated), a receipt as a page and a PDF, who may see
which receipt, the ledger include, and bounded query counts."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from escrow.models import Hold, Transfer
from escrow.selectors import ledger_of_holds
from tests.escrow.builders import fund_milestone, paid_history, payouts_ready, refund, release
from tests.factories import make_client, make_contract, make_freelancer, make_user

pytestmark = pytest.mark.django_db

EARNINGS = reverse("frontend:earnings")
PAYMENTS = reverse("frontend:payments")


@pytest.fixture(autouse=True)
def fees(settings):
    settings.PLATFORM_CLIENT_FEE_BP = 500
    settings.PLATFORM_FREELANCER_FEE_BP = 1000
    settings.SITE_NAME = "Marketplace"


def receipt_url(kind: str, pk: int, *, pdf: bool = False) -> str:
    return reverse("frontend:receipt_pdf" if pdf else "frontend:receipt", args=[kind, pk])


def text_of(html: str) -> str:
    """The page's text with tags dropped and white space folded, for asserting on phrases."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def hold_of(milestone) -> Hold:
    return Hold.objects.get(milestone=milestone)


@pytest.fixture
def story():
    """One contract of four milestones between Cleo (client) and Ana (freelancer), in USD:
    Design paid out in full; Build released while Ana had no payouts (waiting); Test funded and
    then half refunded; Launch funded and held. Fees: client 5 %, freelancer 10 %."""
    client_user = make_client(full_name="Cleo Client")
    freelancer = make_freelancer(full_name="Ana Costa")
    contract = make_contract(
        client=client_user,
        freelancer=freelancer,
        title="Booking page",
        milestones=[("Design", 40_000), ("Build", 100_000), ("Test", 20_000), ("Launch", 30_000)],
    )
    design, build, test, launch = contract.milestones.all()
    charges = {m.title: fund_milestone(m) for m in (design, build, test, launch)}
    blocked = release(hold_of(build), sent=False)  # no connected account yet: blocked
    payouts_ready(freelancer)
    paid = release(hold_of(design))
    refunded = refund(hold_of(test), 10_000, reason="Half of the testing was dropped")
    return {
        "client": client_user,
        "freelancer": freelancer,
        "contract": contract,
        "milestones": {m.title: m for m in (design, build, test, launch)},
        "charges": charges,
        "paid": paid,
        "blocked": blocked,
        "refund": refunded,
    }


# ---- earnings --------------------------------------------------------------------------------


def test_earnings_show_held_waiting_and_paid_out(client, story):
    client.force_login(story["freelancer"])
    response = client.get(EARNINGS)
    assert response.status_code == 200
    text = text_of(response.content.decode())
    # Held: Test's other half ($100) + Launch ($300). Waiting: Build $1,000 - 10 % = $900.
    # Paid out: Design $400 - 10 % = $360.
    assert "Held in escrow $400.00" in text
    assert "Released, waiting to be paid out $900.00" in text
    assert "Set up payouts to receive this" in text
    assert "Paid out $360.00" in text
    assert story["blocked"].status == Transfer.Status.BLOCKED


def test_earnings_link_to_the_payout_settings_when_that_page_exists(client, story):
    client.force_login(story["freelancer"])
    html = client.get(EARNINGS).content.decode()
    try:
        payouts_url = reverse("frontend:payouts")
    except NoReverseMatch:  # built by another change; the page guards the link until it lands
        assert "Set up payouts</a>" not in html
    else:
        assert f'href="{payouts_url}"' in html


def test_every_payout_is_traced_to_its_milestone_and_contract(client, story):
    client.force_login(story["freelancer"])
    html = client.get(EARNINGS).content.decode()
    contract_url = reverse("frontend:contract_detail", args=[story["contract"].pk])
    rows = re.findall(r"<tr>.*?</tr>", html, flags=re.S)
    design_html = next(row for row in rows if "Design" in row and "Paid out" in row)
    design_row = text_of(design_html)
    assert "$400.00 \N{MINUS SIGN}$40.00 $360.00" in design_row
    assert "Booking page" in design_row
    build_row = next(row for row in rows if "Build" in row and "Waiting for payouts" in row)
    assert "$1,000.00" in build_row
    assert "$900.00" in build_row
    assert f'href="{contract_url}"' in design_html
    # A receipt for the payout that was sent; none yet for the one that waits.
    assert f'href="{receipt_url("transfer", story["paid"].pk)}"' in html
    assert receipt_url("transfer", story["blocked"].pk) not in html
    # Held milestones are listed with what they still hold.
    launch_row = text_of(next(row for row in rows if "Launch" in row))
    assert "$300.00" in launch_row
    assert "Held in escrow" in launch_row


def test_earnings_of_another_freelancer_are_not_shown(client, story):
    client.force_login(make_freelancer())
    text = text_of(client.get(EARNINGS).content.decode())
    assert "No earnings yet" in text
    assert "Booking page" not in text


def test_earnings_have_an_empty_state_and_need_a_login(client):
    assert client.get(EARNINGS).status_code == 302
    client.force_login(make_freelancer())
    text = text_of(client.get(EARNINGS).content.decode())
    assert "No earnings yet" in text
    assert "When a client funds a milestone" in text


def _queries(client, user, url) -> int:
    client.force_login(user)
    client.get(url)  # warm the session and per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_earnings_and_payments_take_as_many_queries_for_50_holds_as_for_1(client):
    client_1, freelancer_1 = make_client(), make_freelancer()
    paid_history(1, client=client_1, freelancer=freelancer_1)
    client_50, freelancer_50 = make_client(), make_freelancer()
    paid_history(50, client=client_50, freelancer=freelancer_50)

    earnings = (_queries(client, freelancer_1, EARNINGS), _queries(client, freelancer_50, EARNINGS))
    assert earnings[0] == earnings[1], earnings
    # The client's charges and the freelancer's transfers (the 50 fill more than one page).
    payments = (_queries(client, client_1, PAYMENTS), _queries(client, client_50, PAYMENTS))
    assert payments[0] == payments[1], payments
    received = (_queries(client, freelancer_1, PAYMENTS), _queries(client, freelancer_50, PAYMENTS))
    assert received[0] == received[1], received
    print(f"queries: earnings {earnings}, payments (client) {payments}, payments (freelancer) {received}")


# ---- payments --------------------------------------------------------------------------------


def test_payments_list_each_persons_receipts_newest_first(client, story):
    client.force_login(story["client"])
    html = client.get(PAYMENTS).content.decode()
    refund_url = receipt_url("refund", story["refund"].pk)
    charge_urls = [receipt_url("charge", charge.pk) for charge in story["charges"].values()]
    for url in [refund_url, *charge_urls]:
        assert f'href="{url}"' in html
    # The refund came last, so it is listed first; the charges newest first.
    positions = [html.index(f'href="{url}"') for url in [refund_url, *reversed(charge_urls)]]
    assert positions == sorted(positions)
    assert "/receipts/transfer/" not in html
    assert "Test" in text_of(html)
    assert "Booking page" in text_of(html)

    client.force_login(story["freelancer"])
    html = client.get(PAYMENTS).content.decode()
    assert f'href="{receipt_url("transfer", story["paid"].pk)}"' in html
    assert "/receipts/charge/" not in html
    assert "/receipts/refund/" not in html
    # A transfer still waiting for payouts has no receipt yet.
    assert receipt_url("transfer", story["blocked"].pk) not in html


def test_payments_are_paginated(client):
    client_user = make_client()
    paid_history(23, client=client_user)
    client.force_login(client_user)
    first = client.get(PAYMENTS).content.decode()
    second = client.get(PAYMENTS, {"page": 2}).content.decode()
    assert first.count("/receipts/charge/") == 20
    assert second.count("/receipts/charge/") == 3
    assert "Page 1 of 2" in text_of(first)
    assert 'rel="next"' in first
    assert not set(re.findall(r"/receipts/charge/\d+/", first)) & set(
        re.findall(r"/receipts/charge/\d+/", second)
    )


def test_payments_have_an_empty_state(client):
    client.force_login(make_user())
    assert "No payments yet" in text_of(client.get(PAYMENTS).content.decode())


# ---- receipts --------------------------------------------------------------------------------


def test_a_charge_receipt_shows_the_breakdown_and_references(client, story):
    charge = story["charges"]["Design"]
    client.force_login(story["client"])
    response = client.get(receipt_url("charge", charge.pk))
    assert response.status_code == 200
    text = text_of(response.content.decode())
    for phrase in (
        "Marketplace",
        "Payment receipt",
        f"CH-{charge.pk:06d}",
        "Cleo Client",
        "Ana Costa",
        "“Design”",
        "Booking page",
        "Milestone amount $400.00",
        "Client fee $20.00",
        "Total charged $420.00",
        "Visa •••• 4242",
        charge.payment_intent_id,
        charge.charge_id,
        "USD",
    ):
        assert phrase in text, phrase
    assert f'href="{receipt_url("charge", charge.pk, pdf=True)}"' in response.content.decode()


def test_a_refund_receipt_shows_the_part_and_its_fee(client, story):
    returned = story["refund"]
    client.force_login(story["client"])
    text = text_of(client.get(receipt_url("refund", returned.pk)).content.decode())
    for phrase in (
        "Refund receipt",
        f"RF-{returned.pk:06d}",
        "Refunded part of the milestone amount $100.00",
        "Client fee on that part $5.00",
        "Returned to the card $105.00",
        "Half of the testing was dropped",
        returned.processor_id,
    ):
        assert phrase in text, phrase


def test_a_transfer_receipt_shows_released_less_the_fee(client, story):
    paid = story["paid"]
    client.force_login(story["freelancer"])
    text = text_of(client.get(receipt_url("transfer", paid.pk)).content.decode())
    for phrase in (
        "Payout receipt",
        f"TR-{paid.pk:06d}",
        "Released from escrow $400.00",
        "Freelancer fee \N{MINUS SIGN}$40.00",
        "Transferred to the payout account $360.00",
        paid.processor_id,
        "“Design”",
    ):
        assert phrase in text, phrase


VISIBILITY = [
    # (kind, viewer, may see)
    ("charge", "client", True),
    ("charge", "freelancer", False),
    ("charge", "outsider", False),
    ("charge", "staff", True),
    ("refund", "client", True),
    ("refund", "freelancer", False),
    ("refund", "outsider", False),
    ("refund", "staff", True),
    ("transfer", "freelancer", True),
    ("transfer", "client", False),
    ("transfer", "outsider", False),
    ("transfer", "staff", True),
]


@pytest.mark.parametrize(("kind", "viewer", "sees"), VISIBILITY)
def test_a_receipt_is_seen_by_its_party_and_staff_only(client, story, kind, viewer, sees):
    pk = {
        "charge": story["charges"]["Design"].pk,
        "refund": story["refund"].pk,
        "transfer": story["paid"].pk,
    }[kind]
    users = {"client": story["client"], "freelancer": story["freelancer"]}
    users["outsider"] = make_client()
    users["staff"] = make_user(staff=True)
    client.force_login(users[viewer])
    expected = 200 if sees else 404
    assert client.get(receipt_url(kind, pk)).status_code == expected
    assert client.get(receipt_url(kind, pk, pdf=True)).status_code == expected


def test_receipts_of_unknown_kinds_unsent_payouts_and_anonymous_visitors_are_refused(client, story):
    anonymous = client.get(receipt_url("charge", story["charges"]["Design"].pk))
    assert anonymous.status_code == 302
    client.force_login(story["freelancer"])
    assert client.get(receipt_url("transfer", story["blocked"].pk)).status_code == 404
    assert client.get(receipt_url("hold", story["paid"].pk)).status_code == 404
    assert client.get(receipt_url("transfer", 999_999)).status_code == 404


def test_a_receipt_downloads_as_a_pdf(client, story):
    charge = story["charges"]["Build"]
    client.force_login(story["client"])
    response = client.get(receipt_url("charge", charge.pk, pdf=True))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="receipt-charge-{charge.pk}.pdf"'
    assert response.content.startswith(b"%PDF-")
    assert len(response.content) > 2_000


def test_the_receipt_page_prints_without_the_site_chrome(client, story):
    client.force_login(story["client"])
    html = client.get(receipt_url("charge", story["charges"]["Design"].pk)).content.decode()
    assert "frontend/money.css" in html
    assert 'style="' not in html
    assert "<style" not in html
    print_rules = Path(finders.find("frontend/money.css")).read_text()
    block = print_rules[print_rules.index("@media print") :]
    assert ".breadcrumbs" in block
    assert ".receipt-actions" in block


# ---- the ledger include ----------------------------------------------------------------------


def test_the_ledger_include_lists_transactions_with_labelled_signed_entries(story):
    holds = [hold_of(story["milestones"][title]) for title in ("Design", "Test")]
    html = render_to_string(
        "frontend/includes/ledger.html", {"ledger": ledger_of_holds(h.pk for h in holds), "currency": "USD"}
    )
    text = text_of(html)
    # Design: funded $420 (400 + 5 %), released (freelancer payable $360, fees $60), transferred $360.
    assert "Funded" in text
    assert "Client funding -$420.00" in text
    assert "Held in escrow +$420.00" in text
    assert "Released" in text
    assert "Freelancer payable +$360.00" in text
    assert "Platform revenue +$60.00" in text
    assert "Transferred to the freelancer" in text
    assert "Processor clearing +$360.00" in text
    # Test: funded $210, half refunded ($100 + its $5 fee) and returned to the card.
    assert "Refunded" in text
    assert "Refunds payable +$105.00" in text
    assert "Returned to the card" in text
    assert text.index("Funded") < text.index("Released") < text.index("Transferred to the freelancer")


def test_the_ledger_include_has_an_empty_state():
    html = render_to_string("frontend/includes/ledger.html", {"ledger": [], "currency": "USD"})
    assert "No money has moved yet" in html


# ---- the account menu ------------------------------------------------------------------------


def test_the_account_menu_links_earnings_for_freelancers_and_payments_for_everyone(client):
    client.force_login(make_freelancer())
    html = client.get(PAYMENTS).content.decode()
    assert f'href="{EARNINGS}"' in html
    assert f'href="{PAYMENTS}" aria-current="page"' in html
    client.force_login(make_client())
    html = client.get(PAYMENTS).content.decode()
    assert f'href="{EARNINGS}"' not in html
    assert f'href="{PAYMENTS}"' in html


def test_older_payouts_fold_away_below_the_latest_ten_and_waiting_ones_come_first(client):
    freelancer = make_freelancer()
    waiting = make_contract(freelancer=freelancer, milestones=[("Waiting part", 5_000)])
    fund_milestone(waiting.milestones.get())
    release(hold_of(waiting.milestones.get()), sent=False)
    paid_history(12, freelancer=freelancer)
    client.force_login(freelancer)
    html = client.get(EARNINGS).content.decode()
    assert html.count("/receipts/transfer/") == 12
    folded = html[html.index('<details class="money-older">') :]
    assert "3 older payouts" in text_of(folded)
    assert folded.count("/receipts/transfer/") == 3
    assert "Waiting part" not in folded
    assert html.index("Waiting part") < html.index("Part 12")
    assert re.findall(r"Part \d+\b", text_of(folded)) == ["Part 3", "Part 2", "Part 1"]  # the oldest
