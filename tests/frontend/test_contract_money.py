"""The contract page's money in plain words: each side reads its own (client: paid by card, held,
client fee, refunded to you; freelancer: held for you, released, freelancer fee, paid out), staff the
accounting view; the history has the money's movements in time order; the cancel dialog says what
happens to the money."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from escrow.models import Hold
from marketplace.contracts.models import Milestone
from tests.escrow.builders import fund_milestone, payouts_ready, refund, release
from tests.factories import make_client, make_contract, make_freelancer, make_user

pytestmark = pytest.mark.django_db

ACCOUNTING = (
    "Processor clearing",
    "Platform revenue",
    "Client funding",
    "Freelancer payable",
    "Refunds payable",
)


@pytest.fixture(autouse=True)
def fees(settings):
    settings.PLATFORM_CLIENT_FEE_BP = 500
    settings.PLATFORM_FREELANCER_FEE_BP = 1000
    settings.CANCEL_REFUND_AFTER_DAYS = 3


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def page(client, user, contract) -> str:
    client.force_login(user)
    response = client.get(reverse("frontend:contract_detail", args=[contract.pk]))
    assert response.status_code == 200
    return text_of(response.content.decode())


def section(text: str, start: str, end: str) -> str:
    return text[text.index(start) : text.index(end, text.index(start))]


@pytest.fixture
def story():
    """Cleo hires Ana for four milestones (USD, fees 5 % / 10 %): Design funded, released and paid
    out; Build funded and held; Test funded, refunded and returned to the card; Launch unfunded."""
    contract = make_contract(
        client=make_client(full_name="Cleo Client"),
        freelancer=make_freelancer(full_name="Ana Costa"),
        milestones=[("Design", 40_000), ("Build", 100_000), ("Test", 20_000), ("Launch", 30_000)],
    )
    design, build, test, _launch = contract.milestones.all()
    for milestone in (design, build, test):
        fund_milestone(milestone)
    payouts_ready(contract.freelancer)
    release(Hold.objects.get(milestone=design))
    refund(Hold.objects.get(milestone=test), reason="Testing was dropped")
    return contract


def test_the_client_reads_the_money_in_plain_words(client, story):
    money = section(page(client, story.client, story), "Every movement of your money", "History")
    for phrase in (
        "Funded milestone 1, “Design”",
        "Paid by card $420.00",
        "Held for “Design” $400.00",
        "Client fee $20.00",
        "Released to Ana Costa $400.00",
        "Paid out to the freelancer $360.00",
        "Refunded to you $210.00",
        "Back on your card $210.00",
        "Held for “Build” $1,000.00",
    ):
        assert phrase in money, phrase
    for name in ACCOUNTING:
        assert name not in money
    assert "Freelancer fee" not in money
    assert "Paid out to your bank" not in money


def test_the_freelancer_reads_their_own_words_and_not_the_clients_card(client, story):
    money = section(
        page(client, story.freelancer, story), "Every movement of the money for your work", "History"
    )
    for phrase in (
        "Held for “Design” $400.00",
        "Released to you $400.00",
        "Freelancer fee -$40.00",
        "Yours, to be paid out $360.00",
        "Paid out to your bank $360.00",
        "Refunded to the client $200.00",
        "Held for “Build” $1,000.00",
    ):
        assert phrase in money, phrase
    for private in ("Paid by card", "Back on your card", "Refunded to you", *ACCOUNTING):
        assert private not in money


def test_staff_keep_the_accounting_view(client, story):
    ledger = section(page(client, make_user(staff=True), story), "The accounting view, for staff", "History")
    assert "Processor clearing +$360.00" in ledger
    assert "Paid by card" not in ledger


def test_an_organisation_member_reads_the_clients_words(client):
    from marketplace.organisations.models import Role
    from tests.factories import add_member, make_job, make_organisation

    organisation = make_organisation()
    contract = make_contract(make_job(organisation=organisation), milestones=[("Only", 10_000)])
    fund_milestone(contract.milestones.get())
    money = page(client, add_member(organisation, Role.FINANCE), contract)
    assert "Paid by card $105.00" in money
    assert "Processor clearing" not in money


def test_before_any_money_moves_each_side_reads_what_will_show(client):
    contract = make_contract(milestones=[("Only", 10_000)])
    assert "When you fund a milestone" in page(client, contract.client, contract)
    assert "When the client funds a milestone" in page(client, contract.freelancer, contract)


def test_the_history_has_the_money_events_in_time_order(client, story):
    for viewer in (story.client, story.freelancer):
        history = section(page(client, viewer, story), "History", "Times are in your time zone")
        started = history.index("accepted the offer; the contract started")
        funded = history.index("funded milestone 1, “Design”")
        released = history.index("released the money for milestone 1, “Design”")
        paid = history.index("paid out the money for milestone 1, “Design”")
        refunded = history.index("refunded the money for milestone 3, “Test”")
        assert started < funded < released < paid < refunded
        assert "Cleo Client funded milestone 1" in history or "You funded milestone 1" in history
    client_history = section(page(client, story.client, story), "History", "Times are in your time zone")
    assert "You funded milestone 1, “Design” Paid by card $420.00" in client_history
    assert "returned the refund for milestone 3, “Test” to the card" in client_history
    freelancer_history = section(
        page(client, story.freelancer, story), "History", "Times are in your time zone"
    )
    assert "Cleo Client funded milestone 1, “Design” Held for “Design” $400.00" in freelancer_history
    assert "returned the refund" not in freelancer_history


def _dialog(text: str) -> str:
    return section(text, "What happens to the money", "Why is it cancelled?")


def test_the_cancel_dialog_says_which_milestones_are_refunded_how_much_and_when(client, story, settings):
    settings.CANCEL_REFUND_AFTER_DAYS = 5  # from the setting, not a fixed text
    dialog = _dialog(page(client, story.client, story))
    assert "Refunded to you, $1,050.00 in all" in dialog
    assert "Milestone 2, “Build”: $1,050.00" in dialog
    assert "Design" not in dialog
    assert "“Test”" not in dialog
    assert "The refund waits 5 days before it goes through" in dialog
    assert "Until then the freelancer can dispute the refund" in dialog  # the window, explained
    due = timezone.now() + timedelta(days=5)
    assert f"on {due.day} {due:%b} {due.year}" in dialog
    assert "milestone 4, “Launch” is cancelled at once" in dialog

    dialog = _dialog(page(client, story.freelancer, story))
    assert "Refunded to the client, $1,050.00 in all" in dialog
    assert (
        "The refund waits 5 days before it goes through: the money goes back to the client's card" in dialog
    )


def test_the_cancel_dialog_with_no_money_held_and_with_work_waiting(client):
    contract = make_contract(milestones=[("Only", 10_000), ("Next", 5_000)])
    dialog = _dialog(page(client, contract.client, contract))
    assert "nothing is refunded" in dialog
    assert "milestone 1, “Only”, milestone 2, “Next” are cancelled at once" in dialog
    first = contract.milestones.first()
    fund_milestone(first)
    Milestone.objects.filter(pk=first.pk).update(status=Milestone.Status.SUBMITTED)
    dialog = _dialog(page(client, contract.client, contract))
    assert "Not yet: milestone 1, “Only” waits for the client's answer" in dialog
