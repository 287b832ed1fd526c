"""A milestone's page, the funding page and the payout settings: who sees which control (with positive
controls), the forms' refusals (nothing kept), and the JSON the card form's script reads."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse

from escrow.models import Charge, ConnectedAccount
from marketplace.contracts.models import Milestone, MilestoneSubmission
from marketplace.contracts.services import contract_cancel
from marketplace.core.models import StoredFile
from marketplace.organisations.models import Role
from tests.escrow.builders import DESIGN_AND_BUILD, fund_milestone
from tests.escrow.money_world import pay_in_browser
from tests.factories import add_member, make_contract, make_freelancer, make_organisation

pytestmark = pytest.mark.django_db


def page(milestone: Milestone, name: str = "milestone_detail") -> str:
    return reverse(f"frontend:{name}", args=[milestone.contract_id, milestone.pk])


def html_for(client, user, milestone) -> str:
    client.force_login(user)
    response = client.get(page(milestone))
    assert response.status_code == 200
    return response.content.decode()


def test_each_side_sees_its_own_controls_as_the_milestone_moves(client):
    contract = make_contract(milestones=DESIGN_AND_BUILD)
    milestone = contract.milestones.first()
    outsider = make_freelancer()

    assert "Fund $420.00" in html_for(client, contract.client, milestone)  # 400.00 + 5 %
    assert "Fund " not in html_for(client, contract.freelancer, milestone)
    client.force_login(outsider)
    assert client.get(page(milestone)).status_code == 404

    fund_milestone(milestone)
    freelancer_view = html_for(client, contract.freelancer, milestone)
    assert "Submit for approval" in freelancer_view
    assert "Submit for approval" not in html_for(client, contract.client, milestone)

    client.force_login(contract.freelancer)
    client.post(page(milestone, "milestone_submit"), {"message": "Done, see the notes."})
    client_view = html_for(client, contract.client, milestone)
    assert "Approve and pay" in client_view
    assert "Ask for changes" in client_view
    assert "Approved automatically in 14" in client_view
    freelancer_view = html_for(client, contract.freelancer, milestone)
    assert "Approve and pay" not in freelancer_view
    assert "Approved automatically in 14" in freelancer_view  # both sides see the deadline


def test_organisation_roles_get_the_controls_their_role_allows(client):
    owner_org = make_organisation()
    owner = owner_org.memberships.get(role=Role.OWNER).user
    contract = make_contract(milestones=DESIGN_AND_BUILD, client=owner, organisation=owner_org)
    milestone = contract.milestones.first()
    viewer = add_member(owner_org, Role.VIEWER)
    finance = add_member(owner_org, Role.FINANCE)
    manager = add_member(owner_org, Role.HIRING_MANAGER)

    assert "Fund " in html_for(client, finance, milestone)
    assert "Fund " in html_for(client, manager, milestone)
    assert "Fund " not in html_for(client, viewer, milestone)
    fund_milestone(milestone)
    client.force_login(contract.freelancer)
    client.post(page(milestone, "milestone_submit"), {"message": "Done."})
    finance_view, manager_view = html_for(client, finance, milestone), html_for(client, manager, milestone)
    assert "Approve and pay" in finance_view
    assert "Ask for changes" not in finance_view
    assert "Ask for changes" in manager_view
    assert "Approve and pay" not in manager_view
    viewer_view = html_for(client, viewer, milestone)
    assert "Approve and pay" not in viewer_view
    client.force_login(viewer)
    assert client.post(page(milestone, "milestone_approve")).status_code == 403
    assert Milestone.objects.get(pk=milestone.pk).status == Milestone.Status.SUBMITTED


def test_refused_submissions_keep_nothing(client):
    contract = make_contract(milestones=DESIGN_AND_BUILD)
    milestone = contract.milestones.first()
    client.force_login(contract.freelancer)
    unfunded = client.post(page(milestone, "milestone_submit"), {"message": "Early."})
    assert unfunded.status_code == 409
    fund_milestone(milestone)
    empty = client.post(page(milestone, "milestone_submit"), {"message": ""})
    assert empty.status_code == 400
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    from django.core.files.uploadedfile import SimpleUploadedFile

    refused = client.post(
        page(milestone, "milestone_submit"),
        {"message": "With a drawing.", "files": [SimpleUploadedFile("drawing.txt", svg)]},
    )
    assert refused.status_code == 415
    assert "This kind of file is not accepted" in refused.content.decode()
    assert not MilestoneSubmission.objects.exists()
    assert not StoredFile.objects.exists()
    assert Milestone.objects.get(pk=milestone.pk).status == Milestone.Status.FUNDED


def test_the_fund_page_shows_the_breakdown_and_sends_a_funded_milestone_back(client, stripe_fake):
    contract = make_contract(milestones=[("Design", 12_345)])
    milestone = contract.milestones.get()
    client.force_login(contract.client)
    html = client.get(page(milestone, "milestone_fund")).content.decode()
    assert 'data-fund="amount">$123.45<' in html
    assert 'data-fund="fee">$6.17<' in html
    assert 'data-fund="total">$129.62<' in html
    assert stripe_fake.js_url in html
    fund_milestone(milestone)
    assert client.get(page(milestone, "milestone_fund")).url == page(milestone)


def test_the_card_forms_json_when_stripe_is_down_and_when_it_answers(client, stripe_fake):
    contract = make_contract(milestones=DESIGN_AND_BUILD)
    milestone = contract.milestones.first()
    client.force_login(contract.client)
    stripe_fake.inject_fault("POST", "/v1/customers", "error")
    down = client.post(page(milestone, "milestone_fund_intent"))
    assert down.status_code == 503
    assert down.json()["error"]["code"] == "processor_unavailable"
    assert not stripe_fake.list("/v1/payment_intents")
    ready = client.post(page(milestone, "milestone_fund_intent"))
    assert ready.status_code == 200
    intent = stripe_fake.get(f"/v1/payment_intents/{ready.json()['payment_intent']}")
    assert intent["client_secret"] == ready.json()["client_secret"]
    assert intent["amount"] == 42_000
    unpaid = client.post(page(milestone, "milestone_fund_confirm"), {"payment_intent": intent["id"]})
    assert unpaid.status_code == 402
    assert unpaid.json()["status"] == "unpaid"
    client.force_login(contract.freelancer)
    assert client.post(page(milestone, "milestone_fund_intent")).status_code == 403
    assert Charge.objects.count() == 1


def test_the_card_forms_json_says_refunded_for_a_payment_after_the_contract_ended(client, stripe_fake):
    contract = make_contract(milestones=DESIGN_AND_BUILD)
    milestone = contract.milestones.first()
    client.force_login(contract.client)
    started = client.post(page(milestone, "milestone_fund_intent")).json()
    contract_cancel(
        acting_user=contract.client, contract=contract, reason="Plans changed.", cancel_reason="plans_changed"
    )
    pay_in_browser(stripe_fake, started["payment_intent"])

    answer = client.post(
        page(milestone, "milestone_fund_confirm"), {"payment_intent": started["payment_intent"]}
    )

    assert answer.json()["status"] == "refunded"
    shown = client.get(answer.json()["redirect"]).content.decode()
    assert "refunded in full to your card" in shown


def test_payouts_need_two_factor_then_send_the_freelancer_to_stripe(client, stripe_fake):
    freelancer = make_freelancer()
    client.force_login(freelancer)
    html = client.get(reverse("frontend:payouts")).content.decode()
    assert "Turn on" in html
    assert "two-factor authentication" in html
    refused = client.post(reverse("frontend:payouts_start"))
    assert refused.status_code == 403
    assert "Turn on two-factor authentication before setting up payouts." in refused.content.decode()
    assert not ConnectedAccount.objects.exists()

    TOTP.activate(freelancer, "JBSWY3DPEHPK3PXP")
    started = client.post(reverse("frontend:payouts_start"))
    assert started.status_code == 302
    assert started.url.startswith(f"{stripe_fake.url}/_fake/onboarding/")
    account = ConnectedAccount.objects.get(user=freelancer)
    assert stripe_fake.get(f"/v1/accounts/{account.account_id}")["type"] == "express"
    stripe_fake.http.get(started.url)  # the freelancer completes Stripe's form
    back = client.get(reverse("frontend:payouts_return"), follow=True)
    assert "Payouts are set up." in back.content.decode()
    assert ConnectedAccount.objects.get(pk=account.pk).can_receive


def test_only_the_cards_owner_sees_or_saves_its_cards(client, stripe_fake):
    """Cards belong to the contract's client account: another member who funds sees none of them and
    cannot save a card onto that account."""
    from escrow.services.charges import customer_for

    owner_org = make_organisation()
    owner = owner_org.memberships.get(role=Role.OWNER).user
    finance = add_member(owner_org, Role.FINANCE)
    contract = make_contract(milestones=DESIGN_AND_BUILD, client=owner, organisation=owner_org)
    milestone = contract.milestones.first()
    stripe_fake.post("/v1/payment_methods/pm_card_visa/attach", customer=customer_for(owner))
    client.force_login(owner)
    own = client.get(page(milestone, "milestone_fund")).content.decode()
    assert "Visa •••• 4242" in own
    assert "Save this card" in own
    client.force_login(finance)
    theirs = client.get(page(milestone, "milestone_fund")).content.decode()
    assert "4242" not in theirs
    assert "Save this card" not in theirs
    assert "data-card-element" in theirs  # a card to type instead
