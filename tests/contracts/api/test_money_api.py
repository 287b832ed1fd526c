"""The money endpoints against the fake Stripe (the official library, through the real gateway): funding
a milestone (the PaymentIntent, the card step as Stripe.js does it, the confirmation), a declined card,
an outage, and the ledger, earnings and receipts the money leaves behind — each seen by whom it
concerns only. Query counts of the money lists: test_money_query_counts.py."""

import pytest
from celery import current_app

from escrow.models import Charge, ConnectedAccount, Hold, Transfer
from escrow.services.connect import connected_account_sync
from marketplace.contracts import services as contract_services
from marketplace.contracts.models import Milestone
from marketplace.core.api import exception_handler
from marketplace.core.exceptions import DependencyUnavailable
from marketplace.organisations.models import Role
from tests.escrow.builders import DESIGN_AND_BUILD, fund_milestone, refund, release
from tests.escrow.money_world import assert_fake_matches_ledger, onboard, pay_in_browser
from tests.factories import add_member, make_client, make_contract, make_organisation
from tests.support.api import as_user, assert_error, make_api_key, with_key

pytestmark = pytest.mark.django_db


def url(contract, milestone=None, action: str = "") -> str:
    base = f"/api/contracts/{contract.pk}/milestones/"
    return base if milestone is None else f"{base}{milestone.pk}/" + (f"{action}/" if action else "")


def confirm(api, contract, milestone, payment_intent: str):
    return api.post(
        url(contract, milestone, "fund/confirm"), {"payment_intent": payment_intent}, format="json"
    )


def money_state() -> list:
    return [
        sorted(Milestone.objects.values_list("pk", "status", "hold_id")),
        sorted(Hold.objects.values_list("pk", "status")),
        sorted(Charge.objects.values_list("pk", "status", "payment_intent_id")),
    ]


@pytest.fixture
def eager_tasks():
    """Tasks queued after commit (a transfer to send) run at once, in this thread."""
    eager = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    yield
    current_app.conf.task_always_eager = eager


def test_fund_confirm_work_approve_and_the_money_everywhere(
    stripe_fake, eager_tasks, django_capture_on_commit_callbacks
):
    fake = stripe_fake
    contract = make_contract(milestones=(100_000, 50_000))
    first = contract.milestones.first()
    client, freelancer = as_user(contract.client), as_user(contract.freelancer)
    connected_account_sync(account_id=onboard(fake, contract.freelancer).account_id)
    assert ConnectedAccount.objects.get(user=contract.freelancer).can_receive

    response = client.post(url(contract, first, "fund"))
    assert response.status_code == 201, response.content
    started = response.json()
    assert started["client_secret"].startswith(started["payment_intent"])
    assert (started["amount_minor"], started["currency"]) == (105_000, "USD")  # $1,000 + 5 %
    assert started["publishable_key"] == fake.publishable_key
    intent = fake.get(f"/v1/payment_intents/{started['payment_intent']}")
    assert (intent["amount"], intent["transfer_group"]) == (105_000, f"contract-{contract.pk}")
    assert client.post(url(contract, first, "fund")).json()["payment_intent"] == started["payment_intent"]

    pay_in_browser(fake, started["payment_intent"])  # what Stripe.js does with the card
    response = confirm(client, contract, first, started["payment_intent"])
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "funded"
    assert body["milestone"]["status"] == "funded"
    assert body["milestone"]["funded_at"]
    assert confirm(client, contract, first, started["payment_intent"]).status_code == 200  # again: the same
    assert_fake_matches_ledger(fake, contract)

    handed_in = freelancer.post(url(contract, first, "submit"), {"message": "Version one."})
    assert handed_in.status_code == 200, handed_in.content
    assert client.post(url(contract, first, "revision"), {"message": "Bigger logo."}).status_code == 200
    assert freelancer.post(url(contract, first, "submit"), {"message": "Version two."}).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        approved = client.post(url(contract, first, "approve"))
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "approved"  # the transfer goes out after the commit …
    now = client.get(url(contract, first)).json()
    assert now["status"] == "released"  # … and here it is paid
    assert now["released_at"]
    assert_fake_matches_ledger(fake, contract)

    # The ledger: the same for both parties; each movement balances.
    ledger = client.get(f"/api/contracts/{contract.pk}/ledger/").json()
    assert ledger == freelancer.get(f"/api/contracts/{contract.pk}/ledger/").json()
    assert [t["kind"] for t in ledger["results"]] == ["fund", "release", "transfer_out"]
    for posted in ledger["results"]:
        assert sum(entry["amount_minor"] for entry in posted["entries"]) == 0
        assert {entry["currency"] for entry in posted["entries"]} == {"USD"}
        assert posted["milestone"] == first.pk
    fund_entries = {e["account"]: e["amount_minor"] for e in ledger["results"][0]["entries"]}
    assert fund_entries == {"client_funding": -105_000, "escrow_held": 105_000}
    release_entries = {e["account"]: e["amount_minor"] for e in ledger["results"][1]["entries"]}
    assert release_entries == {
        "escrow_held": -105_000,
        "freelancer_payable": 90_000,
        "platform_revenue": 15_000,
    }
    assert ledger["results"][1]["entries"][0]["account_label"] == "Held in escrow"

    # Earnings: the freelancer's, traced to the milestone.
    [usd] = freelancer.get("/api/me/earnings/").json()["currencies"]
    assert (usd["currency"], usd["held_minor"], usd["pending_minor"], usd["paid_minor"]) == (
        "USD",
        0,
        0,
        90_000,
    )
    [hold] = usd["holds"]
    assert hold["milestone"]["id"] == first.pk
    assert hold["milestone"]["contract"] == {"id": contract.pk, "title": contract.title}
    assert [(p["amount_minor"], p["status"]) for p in hold["payouts"]] == [(90_000, "sent")]
    assert client.get("/api/me/earnings/").json() == {"currencies": []}

    # Receipts: the client's payment, the freelancer's payout.
    [paid] = client.get("/api/me/receipts/").json()["results"]
    assert (paid["kind"], paid["amount_minor"], paid["milestone"]["id"]) == ("charge", 105_000, first.pk)
    assert paid["card"].endswith("4242")
    [payout] = freelancer.get("/api/me/receipts/").json()["results"]
    assert (payout["kind"], payout["amount_minor"], payout["payee"]["id"]) == (
        "transfer",
        90_000,
        contract.freelancer_id,
    )


def test_a_declined_card_answers_402_with_its_reason_and_another_card_pays(stripe_fake):
    contract = make_contract(milestones=(100_000, 50_000))
    milestone = contract.milestones.first()
    client = as_user(contract.client)
    started = client.post(url(contract, milestone, "fund")).json()
    error = assert_error(
        confirm(client, contract, milestone, started["payment_intent"]), 402, "payment_incomplete"
    )
    assert "not complete" in error["message"]  # nothing was confirmed yet
    pay_in_browser(stripe_fake, started["payment_intent"], "pm_card_chargeDeclinedInsufficientFunds")
    error = assert_error(
        confirm(client, contract, milestone, started["payment_intent"]), 402, "card_declined"
    )
    assert error["message"] == "Your card has insufficient funds."
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.PENDING
    assert client.get(url(contract, milestone)).json()["funded_at"] is None
    again = client.post(url(contract, milestone, "fund")).json()
    assert again["payment_intent"] == started["payment_intent"]  # the same PaymentIntent, another card
    pay_in_browser(stripe_fake, again["payment_intent"], "pm_card_visa")
    assert confirm(client, contract, milestone, again["payment_intent"]).json()["status"] == "funded"
    assert_fake_matches_ledger(stripe_fake, contract)


def test_an_outage_answers_503_and_charges_nothing(stripe_fake):
    contract = make_contract(milestones=(100_000, 50_000))
    milestone = contract.milestones.first()
    client = as_user(contract.client)
    stripe_fake.inject_fault("POST", "/v1/payment_intents", "error")
    error = assert_error(client.post(url(contract, milestone, "fund")), 503, "processor_unavailable")
    assert "nothing was charged" in error["message"]
    assert list(stripe_fake.list("/v1/payment_intents")) == []
    started = client.post(url(contract, milestone, "fund"))  # once it answers again, the same intent row
    assert started.status_code == 201, started.content
    pay_in_browser(stripe_fake, started.json()["payment_intent"])
    stripe_fake.inject_fault("GET", "/v1/payment_intents/*", "error")
    assert_error(
        confirm(client, contract, milestone, started.json()["payment_intent"]), 503, "processor_unavailable"
    )
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.PENDING
    assert confirm(client, contract, milestone, started.json()["payment_intent"]).status_code == 200


def test_any_dependency_outage_answers_503_in_the_error_shape():
    response = exception_handler(DependencyUnavailable("The task broker did not answer."), {})
    assert response.status_code == 503
    assert response.data == {
        "error": {"code": "service_unavailable", "message": "The task broker did not answer.", "fields": {}}
    }


def test_who_may_fund(stripe_fake):
    organisation = make_organisation()
    viewer = add_member(organisation, Role.VIEWER)
    finance = add_member(organisation, Role.FINANCE)
    contract = make_contract(milestones=(100_000, 50_000), organisation=organisation)
    first, second = contract.milestones.all()
    other = make_contract(milestones=(100_000, 50_000))
    before = money_state()
    assert_error(as_user(viewer).post(url(contract, first, "fund")), 403, "role_forbids")
    assert_error(as_user(contract.freelancer).post(url(contract, first, "fund")), 403, "not_a_member")
    assert_error(
        as_user(other.freelancer).post(url(other, other.milestones.first(), "fund")), 403, "not_job_owner"
    )
    assert_error(as_user(make_client()).post(url(contract, first, "fund")), 404, "contract_not_found")
    assert_error(as_user(None).post(url(contract, first, "fund")), 403, "not_authenticated")
    key = with_key(as_user(None), make_api_key(organisation))
    assert_error(key.post(url(contract, first, "fund")), 403, "api_key_read_only")
    assert money_state() == before
    assert stripe_fake.list("/v1/payment_intents") == []
    # Positive controls: finance and the owner fund.
    started = as_user(finance).post(url(contract, first, "fund"))
    assert started.status_code == 201, started.content
    assert as_user(contract.client).post(url(contract, second, "fund")).status_code == 201
    # Confirming is the funder side's too, and only for this milestone's payment.
    pay_in_browser(stripe_fake, started.json()["payment_intent"])
    assert_error(
        confirm(as_user(viewer), contract, first, started.json()["payment_intent"]), 403, "role_forbids"
    )
    assert_error(
        confirm(as_user(finance), contract, second, started.json()["payment_intent"]), 404, "unknown_payment"
    )
    assert_error(confirm(as_user(finance), contract, first, "pi_unknown"), 404, "unknown_payment")
    assert_error(
        as_user(finance).post(url(contract, first, "fund/confirm"), {}, format="json"), 400, "invalid"
    )
    assert confirm(as_user(finance), contract, first, started.json()["payment_intent"]).status_code == 200
    assert_error(as_user(finance).post(url(contract, first, "fund")), 409, "already_funded")


# --- Ledger, earnings and receipts: who sees what (without the processor: tests/escrow/builders.py) ------


def test_the_ledger_is_the_parties_and_the_organisations():
    organisation = make_organisation()
    viewer = add_member(organisation, Role.VIEWER)
    contract = make_contract(
        milestones=DESIGN_AND_BUILD,
        client=organisation.memberships.get(role=Role.OWNER).user,
        organisation=organisation,
    )
    design = contract.milestones.first()
    fund_milestone(design)
    other = make_contract(milestones=DESIGN_AND_BUILD)
    fund_milestone(other.milestones.first())
    ledger = f"/api/contracts/{contract.pk}/ledger/"
    expected = as_user(contract.client).get(ledger).json()
    assert [(t["kind"], t["milestone"]) for t in expected["results"]] == [("fund", design.pk)]
    for api in (
        as_user(contract.freelancer),
        as_user(viewer),
        with_key(as_user(None), make_api_key(organisation)),
    ):
        assert api.get(ledger).json() == expected
    assert_error(as_user(make_client()).get(ledger), 404, "contract_not_found")
    assert_error(as_user(other.client).get(ledger), 404, "contract_not_found")
    assert_error(
        with_key(as_user(None), make_api_key(make_organisation())).get(ledger), 404, "contract_not_found"
    )
    assert_error(as_user(None).get(ledger), 403, "not_authenticated")
    assert as_user(other.client).get(f"/api/contracts/{other.pk}/ledger/").json()["count"] == 1
    untouched = make_contract(milestones=DESIGN_AND_BUILD)
    assert as_user(untouched.client).get(f"/api/contracts/{untouched.pk}/ledger/").json()["count"] == 0


def test_earnings_are_held_pending_and_paid_per_person():
    contract = make_contract(milestones=[("Design", 40_000), ("Build", 100_000)])
    design, build = contract.milestones.all()
    fund_milestone(design)
    fund_milestone(build)
    refund(Hold.objects.get(milestone=build), 20_000)
    release(Hold.objects.get(milestone=design), sent=False)  # no payout account: it waits
    [usd] = as_user(contract.freelancer).get("/api/me/earnings/").json()["currencies"]
    assert (usd["held_minor"], usd["pending_minor"], usd["paid_minor"]) == (80_000, 36_000, 0)
    by_milestone = {h["milestone"]["title"]: h for h in usd["holds"]}
    assert (by_milestone["Build"]["held_minor"], by_milestone["Build"]["refunded_minor"]) == (80_000, 20_000)
    assert by_milestone["Design"]["payouts"][0]["status"] == Transfer.Status.BLOCKED
    assert as_user(make_client()).get("/api/me/earnings/").json() == {"currencies": []}
    assert_error(as_user(None).get("/api/me/earnings/"), 403, "not_authenticated")


def test_receipts_are_each_persons_own_newest_first():
    contract = make_contract(milestones=[("Design", 40_000), ("Build", 100_000)])
    design, build = contract.milestones.all()
    fund_milestone(design)
    fund_milestone(build)
    refund(Hold.objects.get(milestone=build), 20_000)
    client = as_user(contract.client)
    body = client.get("/api/me/receipts/").json()
    assert [(r["kind"], r["amount_minor"]) for r in body["results"]] == [
        ("refund", 21_000),  # $200 back with its 5 % fee
        ("charge", 105_000),
        ("charge", 42_000),
    ]
    assert [r["milestone"]["title"] for r in body["results"]] == ["Build", "Build", "Design"]
    page = client.get("/api/me/receipts/", {"page_size": 2, "page": 2}).json()
    assert (page["count"], [r["amount_minor"] for r in page["results"]]) == (3, [42_000])
    assert as_user(contract.freelancer).get("/api/me/receipts/").json()["count"] == 0  # nothing paid out yet
    assert as_user(make_client()).get("/api/me/receipts/").json()["count"] == 0
    assert_error(as_user(None).get("/api/me/receipts/"), 403, "not_authenticated")


def test_a_confirmation_stripe_does_not_answer_never_says_nothing_was_charged(stripe_fake):
    """The card step is done: the card may well be charged, so the answer says not to pay again."""
    contract = make_contract(milestones=(100_000,))
    milestone = contract.milestones.get()
    client = as_user(contract.client)
    started = client.post(url(contract, milestone, "fund")).json()
    pay_in_browser(stripe_fake, started["payment_intent"])
    stripe_fake.inject_fault("GET", "/v1/payment_intents/*", "error")

    error = assert_error(
        confirm(client, contract, milestone, started["payment_intent"]), 503, "processor_unavailable"
    )

    assert "nothing was charged" not in error["message"]
    assert "do not pay again" in error["message"]


def test_a_payment_refunded_because_the_contract_ended_is_not_called_funded(stripe_fake):
    """The card form was open when the contract was cancelled: the payment goes through and straight
    back, and the confirmation says so."""
    contract = make_contract(milestones=(100_000,))
    milestone = contract.milestones.get()
    client = as_user(contract.client)
    started = client.post(url(contract, milestone, "fund")).json()
    contract_services.contract_cancel(
        acting_user=contract.client, contract=contract, reason="Plans changed.", cancel_reason="plans_changed"
    )
    pay_in_browser(stripe_fake, started["payment_intent"])

    answer = confirm(client, contract, milestone, started["payment_intent"])

    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "refunded"
    assert "refunded" in answer.json()["message"]
    assert answer.json()["milestone"]["status"] == Milestone.Status.CANCELLED


def test_confirming_a_payment_intent_cancelled_at_stripe_says_so(stripe_fake):
    contract = make_contract(milestones=(100_000,))
    milestone = contract.milestones.get()
    client = as_user(contract.client)
    started = client.post(url(contract, milestone, "fund")).json()
    stripe_fake.post(f"/v1/payment_intents/{started['payment_intent']}/cancel")

    error = assert_error(
        confirm(client, contract, milestone, started["payment_intent"]), 409, "payment_canceled"
    )

    assert "nothing was charged" in error["message"]
    again = client.post(url(contract, milestone, "fund")).json()
    assert again["payment_intent"] != started["payment_intent"]
