"""Receipts name the platform (its legal name and address, from settings) and the payer's billing
details and tax ID where given; the billing details are edited in account settings, with their
shapes checked."""

import re

import pytest
from django.urls import reverse

from escrow.models import Hold
from tests.escrow.builders import fund_milestone, payouts_ready, refund, release
from tests.factories import make_client, make_contract, make_freelancer, make_user

pytestmark = pytest.mark.django_db

BILLING = reverse("frontend:account_billing")


@pytest.fixture(autouse=True)
def platform(settings):
    settings.PLATFORM_CLIENT_FEE_BP = 500
    settings.PLATFORM_FREELANCER_FEE_BP = 1000
    settings.PLATFORM_LEGAL_NAME = "Example Markets GmbH"
    settings.PLATFORM_LEGAL_ADDRESS = "Hauptstraße 1\n10115 Berlin\nGermany"


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def paid():
    """Cleo paid for one milestone of Ana's; it was released and paid out, and a second refunded."""
    contract = make_contract(
        client=make_client(full_name="Cleo Client"),
        freelancer=make_freelancer(full_name="Ana Costa"),
        milestones=[("Design", 40_000), ("Test", 10_000)],
    )
    design, test = contract.milestones.all()
    charge = fund_milestone(design)
    fund_milestone(test)
    payouts_ready(contract.freelancer)
    transfer = release(Hold.objects.get(milestone=design))
    returned = refund(Hold.objects.get(milestone=test))
    return {"contract": contract, "charge": charge, "transfer": transfer, "refund": returned}


def receipt(client, user, kind, pk) -> str:
    client.force_login(user)
    response = client.get(reverse("frontend:receipt", args=[kind, pk]))
    assert response.status_code == 200
    return text_of(response.content.decode())


def test_every_receipt_names_the_platforms_legal_name_and_address(client, paid):
    contract = paid["contract"]
    for user, kind, row in (
        (contract.client, "charge", paid["charge"]),
        (contract.client, "refund", paid["refund"]),
        (contract.freelancer, "transfer", paid["transfer"]),
    ):
        text = receipt(client, user, kind, row.pk)
        assert "Example Markets GmbH Hauptstraße 1 10115 Berlin Germany" in text, kind


def test_the_defaults_name_the_site_and_leave_an_unset_address_off(client, paid, settings):
    settings.PLATFORM_LEGAL_NAME = settings.SITE_NAME = "Gig Hub"
    settings.PLATFORM_LEGAL_ADDRESS = ""
    client.force_login(paid["contract"].client)
    html = client.get(reverse("frontend:receipt", args=["charge", paid["charge"].pk])).content.decode()
    assert 'class="receipt__brand">Gig Hub</p>' in html
    assert 'data-receipt="issuer"' not in html  # the brand line names it once
    settings.PLATFORM_LEGAL_NAME = "Gig Hub Ltd"
    html = client.get(reverse("frontend:receipt", args=["charge", paid["charge"].pk])).content.decode()
    assert 'data-receipt="issuer">Gig Hub Ltd</p>' in html


def test_the_payers_billing_details_show_only_when_given(client, paid):
    contract = paid["contract"]
    text = receipt(client, contract.client, "charge", paid["charge"].pk)
    assert "Billed to" not in text
    assert "Tax ID" not in text

    client.post(
        BILLING,
        {"billing_name": "Cleo Ltd", "billing_address": "2 Quay St\nDublin", "tax_id": "ie 1234567 t"},
    )
    for kind in ("charge", "refund"):
        text = receipt(client, contract.client, kind, paid[kind].pk)
        assert "Billed to Cleo Ltd 2 Quay St Dublin" in text
        assert "Tax ID IE 1234567 T" in text
    # A payout receipt is the freelancer's: it does not show the client's billing details.
    text = receipt(client, contract.freelancer, "transfer", paid["transfer"].pk)
    assert "Cleo Ltd" not in text
    assert "IE 1234567 T" not in text


def test_billing_details_save_and_show_in_the_form(client):
    user = make_client()
    client.force_login(user)
    assert 'href="/account/billing/"' in client.get(reverse("frontend:account_settings")).content.decode()
    response = client.post(
        BILLING,
        {
            "billing_name": "  Acme   Ltd ",
            "billing_address": "1 Main St\n\n  Springfield ",
            "tax_id": "de123456789",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.billing_name, user.billing_address, user.tax_id) == (
        "Acme Ltd",
        "1 Main St\nSpringfield",
        "DE123456789",
    )
    html = client.get(BILLING).content.decode()
    assert 'value="Acme Ltd"' in html
    assert "DE123456789" in html
    assert client.post(BILLING, {"billing_name": "", "billing_address": "", "tax_id": ""}).status_code == 302
    user.refresh_from_db()
    assert (user.billing_name, user.billing_address, user.tax_id) == ("", "", "")


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"tax_id": "DE1"}, "tax_id", "A tax ID is 4 to 32 letters and digits"),
        ({"tax_id": "DE 1234;DROP"}, "tax_id", "A tax ID is 4 to 32 letters and digits"),
        ({"tax_id": "-1234"}, "tax_id", "A tax ID is 4 to 32 letters and digits"),
        ({"tax_id": "1" * 33}, "tax_id", "A tax ID is 4 to 32 letters and digits"),
        ({"tax_id": "1" * 41}, "tax_id", "Ensure this value has at most 40 characters"),
        (
            {"billing_address": "\n".join("line" for _ in range(7))},
            "billing_address",
            "Keep the billing address to 6 lines",
        ),
        ({"billing_name": "Acme\nLtd"}, "billing_name", "Remove the invisible control character"),
        ({"billing_name": "x" * 151}, "billing_name", "at most 150 characters"),
    ],
)
def test_bad_billing_details_are_refused_with_a_message(client, data, field, message):
    user = make_client()
    client.force_login(user)
    response = client.post(BILLING, {"billing_name": "", "billing_address": "", "tax_id": "", **data})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'id="id_{field}"' in html
    user.refresh_from_db()
    assert (user.billing_name, user.billing_address, user.tax_id) == ("", "", "")


def test_the_billing_page_needs_a_login(client):
    assert client.get(BILLING).status_code == 302
    client.force_login(make_user())
    assert client.get(BILLING).status_code == 200


def _text_boxes(box):
    """Every line of text WeasyPrint laid out in ``box``, with its place on the page."""
    for child in getattr(box, "children", ()):
        if type(child).__name__ == "TextBox":
            yield child
        yield from _text_boxes(child)


def test_the_pdf_receipt_keeps_each_label_apart_from_its_value(client, paid):
    """The PDF's layout (WeasyPrint's own boxes): every reference label ends well before its value
    starts, and the label is on one line ("Payment reference" ran into the reference before)."""
    import weasyprint
    from django.template.loader import render_to_string

    from frontend.views.money import _fetch_nothing

    contract = paid["contract"]
    client.force_login(contract.client)
    client.post(BILLING, {"billing_name": "Cleo Ltd", "billing_address": "2 Quay St", "tax_id": "IE1234567T"})
    response = client.get(reverse("frontend:receipt_pdf", args=["charge", paid["charge"].pk]))
    assert response.content.startswith(b"%PDF-")
    # The same print variant and stylesheet the PDF is made from, laid out to read its boxes.
    receipt = client.get(reverse("frontend:receipt", args=["charge", paid["charge"].pk])).context["receipt"]
    printed = render_to_string(
        "frontend/money/receipt_print.html", {"receipt": receipt, "user": contract.client}
    )
    css = weasyprint.CSS(
        string=render_to_string("frontend/money/receipt_pdf.css"), url_fetcher=_fetch_nothing
    )
    page = weasyprint.HTML(string=printed, url_fetcher=_fetch_nothing).render(stylesheets=[css]).pages[0]
    boxes = list(_text_boxes(page._page_box))
    texts = " ".join(box.text for box in boxes)
    for phrase in ("Example Markets GmbH", "Cleo Ltd", "IE1234567T"):
        assert phrase in texts
    for label, value in (
        ("Payment reference", paid["charge"].payment_intent_id),
        ("Charge reference", paid["charge"].charge_id),
        ("Escrow reference", "milestone:"),
    ):
        label_box = next(box for box in boxes if box.text == label)
        value_box = next(box for box in boxes if box.text.startswith(value))
        assert abs(label_box.position_y - value_box.position_y) < 5  # one row: the label is on one line
        assert value_box.position_x - (label_box.position_x + label_box.width) >= 6  # a gap of 6 pt or more
