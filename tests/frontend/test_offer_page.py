"""The offer page, for both sides: terms, milestones, the exact fee breakdown and expiry; the
freelancer accepts (a contract starts) or declines, the client side withdraws. And the offers list."""

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.contracts.models import Contract
from marketplace.contracts.services import offer_accept
from marketplace.core.models import StatusChange
from marketplace.jobs.models import Offer, Proposal
from marketplace.organisations.models import Role
from tests.factories import (
    add_member,
    make_client,
    make_freelancer,
    make_job,
    make_offer,
    make_organisation,
    make_proposal,
)

pytestmark = pytest.mark.django_db

OFFERS = reverse("frontend:my_offers")


@pytest.fixture
def fees(settings):
    settings.PLATFORM_CLIENT_FEE_BP = 500
    settings.PLATFORM_FREELANCER_FEE_BP = 1000


def page(offer) -> str:
    return reverse("frontend:offer_detail", args=[offer.pk])


def fixed_offer(**terms) -> Offer:
    proposal = make_proposal(
        make_job(budget_minor=150_000),
        amount_minor=140_000,
        milestones=[{"title": "Design", "amount_minor": 40_001}, {"title": "Build", "amount_minor": 99_999}],
    )
    return make_offer(proposal, message="Looking forward to working with you.", **terms)


def cells(html: str, label: str) -> list[str]:
    """The schedule table's amounts in one column, top to bottom (the totals row last)."""
    return re.findall(rf'data-label="{label}"><strong>([^<]+)</strong>', html)


def fee_notes(html: str, kind: str) -> list[str]:
    """The fees the schedule table notes under each amount ("incl. fee", "after fee")."""
    return re.findall(rf"{kind} fee ([^<]+)</span>", html)


def test_the_offer_is_shown_to_both_sides_and_no_one_else(client):
    offer = fixed_offer()
    for who in (offer.freelancer, offer.client):
        client.force_login(who)
        response = client.get(page(offer))
        assert response.status_code == 200
        assert "Looking forward to working with you." in response.content.decode()
    for who in (make_freelancer(), make_client()):
        client.force_login(who)
        assert client.get(page(offer)).status_code == 404
    client.logout()
    assert client.get(page(offer)).status_code == 302


def test_an_organisations_offer_is_shown_to_its_members(client):
    organisation = make_organisation(name="Northwind Retail")
    viewer = add_member(organisation, Role.VIEWER)
    offer = make_offer(make_proposal(make_job(organisation=organisation)))
    client.force_login(viewer)
    html = client.get(page(offer)).content.decode()
    assert "Northwind Retail" in html
    assert "Withdraw the offer" not in html  # a viewer may look, not act


def test_the_offer_page_shows_the_exact_fee_breakdown(client, fees):
    offer = fixed_offer()
    client.force_login(offer.freelancer)
    html = client.get(page(offer)).content.decode()
    # the whole: $1,400.00; 5 % client fee = $70.00; 10 % freelancer fee = $140.00
    assert re.search(r'data-fee="client-total">\$1,470\.00<', html)
    assert re.search(r'data-fee="freelancer-receives">\$1,260\.00<', html)
    assert "client fee $70.00 (5%)" in html
    assert "freelancer fee $140.00 (10%)" in html
    assert 'Client pays <span class="offer-rate">+5%</span>' in html
    assert 'Freelancer gets <span class="offer-rate">\u221210%</span>' in html
    # per milestone: $400.01 → 5 % = 20.0005 → $20.00, 10 % = 40.001 → $40.00;
    # $999.99 → the fee on the whole minus the fee before it: $70.00 - $20.00, $140.00 - $40.00
    assert cells(html, "Amount") == ["$400.01", "$999.99", "$1,400.00"]
    assert fee_notes(html, "incl.") == ["$20.00", "$50.00", "$70.00"]
    assert cells(html, "Client pays") == ["$420.01", "$1,049.99", "$1,470.00"]
    assert fee_notes(html, "after") == ["$40.00", "$100.00", "$140.00"]
    assert cells(html, "Freelancer gets") == ["$360.01", "$899.99", "$1,260.00"]
    assert "1. Design" in html
    assert "2. Build" in html


def test_an_organisations_fee_override_is_the_one_shown(client, fees):
    organisation = make_organisation()
    organisation.client_fee_bp, organisation.freelancer_fee_bp = 250, 750
    organisation.save()
    offer = make_offer(make_proposal(make_job(organisation=organisation), amount_minor=100_000))
    client.force_login(offer.freelancer)
    html = client.get(page(offer)).content.decode()
    assert "client fee $25.00 (2.5%)" in html
    assert "freelancer fee $75.00 (7.5%)" in html
    assert re.search(r'data-fee="freelancer-receives">\$925\.00<', html)


def test_an_hourly_offer_shows_the_rate_and_weekly_limit(client, fees):
    job = make_job(budget_type="hourly", hourly_min_minor=3_000, hourly_max_minor=5_000)
    offer = make_offer(make_proposal(job, amount_minor=4_000), weekly_hour_cap=20)
    client.force_login(offer.freelancer)
    html = client.get(page(offer)).content.decode()
    assert "Hourly, $40.00 an hour" in html
    assert "20 hours" in html
    assert re.search(r'data-fee="client-total">\$42\.00<', html)
    assert re.search(r'data-fee="freelancer-receives">\$36\.00<', html)
    assert "Milestone schedule" not in html


def test_the_expiry_is_a_countdown_and_a_time_in_the_viewers_time_zone(client):
    with time_machine.travel(datetime(2031, 3, 4, 9, 30, tzinfo=UTC), tick=False):
        offer = fixed_offer()
        offer.freelancer.timezone = "Asia/Tokyo"
        offer.freelancer.save()
        client.force_login(offer.freelancer)
    with time_machine.travel(datetime(2031, 3, 4, 12, 0, tzinfo=UTC), tick=False):
        html = client.get(page(offer)).content.decode()
    assert "Expires <time" in html
    assert "in 7\xa0days</time>" in html  # 6 days 21.5 hours, to the nearest day
    assert "on 11 Mar 2031, 18:30 JST" in html  # 09:30 UTC + 7 days, in Tokyo


def test_accepting_starts_the_contract_and_leads_to_it(client):
    offer = fixed_offer()
    client.force_login(offer.freelancer)
    html = client.get(page(offer)).content.decode()
    assert "Accept and start the contract" in html
    response = client.post(reverse("frontend:offer_accept", args=[offer.pk]))
    contract = Contract.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("frontend:contract_detail", args=[contract.pk])
    assert (contract.offer, contract.amount_minor, contract.milestones.count()) == (offer, 140_000, 2)
    html = client.get(page(offer)).content.decode()
    assert "Accepted on" in html
    assert reverse("frontend:contract_detail", args=[contract.pk]) in html
    assert "Accept and start the contract" not in html


def test_declining_with_a_reason(client):
    offer = fixed_offer()
    client.force_login(offer.freelancer)
    response = client.post(
        reverse("frontend:offer_decline", args=[offer.pk]), {"reason": "The timeline does not work for me"}
    )
    assert response.url == page(offer)
    offer.refresh_from_db()
    assert (offer.status, offer.decline_reason) == ("declined", "The timeline does not work for me")
    assert offer.proposal.status == Proposal.Status.SHORTLISTED
    html = client.get(page(offer)).content.decode()
    assert "“The timeline does not work for me”" in html
    assert not Contract.objects.exists()


def test_the_client_withdraws_and_the_freelancer_cannot(client):
    offer = fixed_offer()
    withdraw = reverse("frontend:offer_withdraw", args=[offer.pk])
    client.force_login(offer.freelancer)
    assert "Withdraw the offer" not in client.get(page(offer)).content.decode()
    response = client.post(withdraw, {"reason": ""})
    assert response.status_code == 403
    assert "Only the client who posted this job can do that." in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SENT

    client.force_login(offer.client)
    html = client.get(page(offer)).content.decode()
    assert "Withdraw the offer" in html
    assert "Accept and start the contract" not in html
    response = client.post(withdraw, {"reason": "Budget cut"})
    assert response.url == page(offer)
    offer.refresh_from_db()
    assert offer.status == Offer.Status.WITHDRAWN
    change = StatusChange.objects.get(target_type="jobs.offer", target_id=offer.pk, to_status="withdrawn")
    assert change.reason == "Budget cut"
    assert "Withdrawn by the client on" in client.get(page(offer)).content.decode()


def test_the_client_cannot_accept_their_own_offer(client):
    offer = fixed_offer()
    client.force_login(offer.client)
    response = client.post(reverse("frontend:offer_accept", args=[offer.pk]))
    assert response.status_code == 403
    assert "Only the freelancer can answer this offer." in response.content.decode()
    assert not Contract.objects.exists()


def test_an_offer_past_its_time_cannot_be_accepted(client):
    offer = fixed_offer()
    client.force_login(offer.freelancer)
    with time_machine.travel(offer.expires_at + timedelta(minutes=1), tick=False):
        html = client.get(page(offer)).content.decode()
        assert "ran out unanswered" in html
        assert "Accept and start the contract" not in html
        response = client.post(reverse("frontend:offer_accept", args=[offer.pk]))
    assert response.status_code == 409
    assert "This offer has expired; ask the client to send a new one." in response.content.decode()
    assert not Contract.objects.exists()


def test_a_second_answer_is_refused_with_a_message(client):
    offer = fixed_offer()
    client.force_login(offer.freelancer)
    client.post(reverse("frontend:offer_decline", args=[offer.pk]))
    response = client.post(reverse("frontend:offer_accept", args=[offer.pk]))
    assert response.status_code == 409
    assert "Declined by you on" in response.content.decode()
    assert not Contract.objects.exists()


# ---- the offers list ------------------------------------------------------------------------------


def test_offers_received_and_sent(client):
    offer = fixed_offer()
    client.force_login(offer.freelancer)
    html = client.get(OFFERS).content.decode()
    assert f'href="{page(offer)}">{offer.title}</a>' in html
    assert "Review and answer" in html
    assert "in 7\xa0days" in html
    assert "?role=sent" not in html  # a freelancer only: no role switch

    client.force_login(offer.client)
    html = client.get(OFFERS).content.decode()
    assert f'href="{page(offer)}">{offer.title}</a>' in html
    assert f"To {offer.freelancer.get_full_name()}" in html


def test_someone_who_hires_and_works_switches_roles(client):
    both = make_freelancer()
    both.is_client = True
    both.save()
    received = make_offer(make_proposal(make_job(title="Work for me"), freelancer=both))
    sent = make_offer(make_proposal(make_job(client=both, title="Work from me")))
    client.force_login(both)
    html = client.get(OFFERS).content.decode()
    assert f'href="{page(received)}"' in html
    assert f'href="{page(sent)}"' not in html
    html = client.get(OFFERS + "?role=sent").content.decode()
    assert f'href="{page(sent)}"' in html
    assert f'href="{page(received)}"' not in html


def test_the_offers_list_empty_state(client):
    client.force_login(make_freelancer())
    html = client.get(OFFERS).content.decode()
    assert "No offers yet" in html
    assert reverse("frontend:find_work") in html


def _page_queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_offers_list_makes_the_same_queries_for_1_and_50_offers(client, settings):
    settings.PROPOSAL_DAILY_CAP = 100
    freelancer = make_freelancer()
    organisation = make_organisation()
    make_offer(make_proposal(make_job(), freelancer=freelancer))
    client.force_login(freelancer)
    one = _page_queries(client, OFFERS)
    for n in range(49):
        job = make_job(title=f"Job {n}", organisation=organisation if n % 2 else None)
        offer = make_offer(make_proposal(job, freelancer=freelancer))
        if n % 7 == 0:
            offer_accept(acting_user=freelancer, offer=offer)
    assert "View contract" in client.get(OFFERS).content.decode()
    assert _page_queries(client, OFFERS) == one
