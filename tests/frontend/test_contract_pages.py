"""Contract pages, for both parties: the list (active / ended) and the contract page with its
parties, terms, fee breakdown, milestones and history; completing and cancelling."""

import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.contracts.models import Contract, Milestone
from marketplace.contracts.services import contract_complete
from marketplace.core.models import StatusChange
from marketplace.organisations.models import Role
from tests.escrow.builders import fund_milestone, release
from tests.factories import (
    add_member,
    make_client,
    make_contract,
    make_freelancer,
    make_job,
    make_organisation,
)

pytestmark = pytest.mark.django_db

LIST = reverse("frontend:contracts")


@pytest.fixture
def fees(settings):
    settings.PLATFORM_CLIENT_FEE_BP = 500
    settings.PLATFORM_FREELANCER_FEE_BP = 1000


def detail(contract) -> str:
    return reverse("frontend:contract_detail", args=[contract.pk])


def fixed_contract(**job_fields) -> Contract:
    """Ana Costa's two milestones, whose fee shares need the cumulative split (40,001 + 99,999)."""
    return make_contract(
        freelancer=make_freelancer(full_name="Ana Costa"),
        milestones=(("Design", 40_001), ("Build", 99_999)),
        **job_fields,
    )


def test_the_list_shows_each_party_its_contracts(client):
    contract = fixed_contract()
    other = make_contract()
    for party in (contract.client, contract.freelancer):
        client.force_login(party)
        html = client.get(LIST).content.decode()
        assert f'href="{detail(contract)}"' in html
        assert f'href="{detail(other)}"' not in html
    client.force_login(contract.freelancer)
    assert "You work" in client.get(LIST).content.decode()


def test_the_list_filters_active_and_ended_and_has_an_empty_state(client):
    client_user = make_client()
    running = make_contract(make_job(client=client_user, title="Running contract"))
    ended = make_contract(make_job(client=client_user, title="Finished contract"))
    contract_complete(acting_user=client_user, contract=ended)
    client.force_login(client_user)
    active_html = client.get(LIST, {"show": "active"}).content.decode()
    assert f'href="{detail(running)}"' in active_html
    assert f'href="{detail(ended)}"' not in active_html
    ended_html = client.get(LIST, {"show": "ended"}).content.decode()
    assert f'href="{detail(ended)}"' in ended_html
    assert f'href="{detail(running)}"' not in ended_html

    client.force_login(make_client())
    html = client.get(LIST).content.decode()
    assert "No contracts yet" in html
    assert reverse("frontend:job_new") in html


def test_the_pages_need_a_login(client):
    contract = make_contract()
    assert client.get(LIST).status_code == 302
    assert client.get(detail(contract)).status_code == 302


def test_the_contract_page_shows_both_parties_terms_fees_and_milestones(client, fees):
    contract = fixed_contract()
    profile = contract.freelancer.freelancer_profile
    for party in (contract.client, contract.freelancer):
        client.force_login(party)
        html = client.get(detail(contract)).content.decode()
        assert contract.client.get_full_name() in html
        assert "Ana Costa" in html
        assert f'href="{reverse("frontend:freelancer", kwargs={"handle": profile.handle})}"' in html
        assert "Fixed price, $1,400.00 in total" in html
        assert re.search(r'data-fee="client-total">\$1,470\.00<', html)
        assert re.search(r'data-fee="freelancer-receives">\$1,260\.00<', html)
        # milestone 1: $400.01 plus $20.00 / less $40.00; milestone 2 takes the rest of the fees
        for amount in ("$400.01", "$420.01", "$360.01", "$999.99", "$1,049.99", "$899.99"):
            assert amount in html
        assert html.count(">Awaiting funding</span>") == 2
        assert "accepted the offer; the contract started" in html


def test_an_organisations_contract_names_the_organisation_and_its_members_see_it(client):
    organisation = make_organisation(name="Northwind Retail")
    viewer = add_member(organisation, Role.VIEWER)
    contract = make_contract(make_job(organisation=organisation))
    client.force_login(viewer)
    html = client.get(detail(contract)).content.decode()
    assert "Northwind Retail" in html
    assert "Mark completed" not in html  # a viewer may look, not act
    assert "Cancel the contract" not in html


def test_the_contract_page_is_404_for_outsiders(client):
    contract = make_contract()
    for outsider in (make_client(), make_freelancer()):
        client.force_login(outsider)
        assert client.get(detail(contract)).status_code == 404
        assert (
            client.post(
                reverse("frontend:contract_cancel", args=[contract.pk]), {"reason": "Because I can"}
            ).status_code
            == 404
        )
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE


def test_history_times_are_in_the_viewers_time_zone(client):
    contract = make_contract()
    accepted = StatusChange.objects.get(target_type="jobs.offer", to_status="accepted")
    StatusChange.objects.filter(pk=accepted.pk).update(created_at=datetime(2026, 3, 2, 23, 30, tzinfo=UTC))
    freelancer = contract.freelancer
    freelancer.timezone = "Asia/Tokyo"
    freelancer.save(update_fields=["timezone"])
    client.force_login(freelancer)
    html = client.get(detail(contract)).content.decode()
    assert "3 Mar 2026, 08:30" in html  # 23:30 UTC is 08:30 the next day in Tokyo
    assert "Asia/Tokyo" in html


def test_the_client_completes_the_freelancer_cannot(client):
    contract = make_contract()
    client.force_login(contract.freelancer)
    html = client.get(detail(contract)).content.decode()
    assert "Mark completed" not in html
    response = client.post(reverse("frontend:contract_complete", args=[contract.pk]))
    assert response.status_code == 403
    assert "Only the client who posted this job can do that." in response.content.decode()
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE

    client.force_login(contract.client)
    assert "Mark completed" in client.get(detail(contract)).content.decode()
    response = client.post(
        reverse("frontend:contract_complete", args=[contract.pk]), {"reason": "Great work"}
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert (contract.status, contract.end_reason, contract.ended_by) == (
        "completed",
        "Great work",
        contract.client,
    )
    html = client.get(detail(contract)).content.decode()
    assert "marked the contract completed" in html
    assert "Cancel the contract" not in html


def test_cancelling_without_a_reason_is_refused(client):
    contract = make_contract()
    client.force_login(contract.freelancer)
    response = client.post(
        reverse("frontend:contract_cancel", args=[contract.pk]), {"reason": "  ", "cancel_reason": "mutual"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Say why the contract is cancelled" in html
    assert 'id="cancel-reason"' in html
    assert '<details class="confirm confirm--block" open>' in html
    contract.refresh_from_db()
    assert contract.status == Contract.Status.ACTIVE


def test_either_party_cancels_with_a_reason(client):
    for party in ("freelancer", "client"):
        contract = make_contract()
        actor = getattr(contract, party)
        client.force_login(actor)
        reason = f"The {party} had to stop: the project lost its funding."
        response = client.post(
            reverse("frontend:contract_cancel", args=[contract.pk]),
            {"reason": reason, "cancel_reason": "plans_changed"},
        )
        assert response.status_code == 302
        contract.refresh_from_db()
        assert (contract.status, contract.end_reason, contract.ended_by, contract.cancel_reason) == (
            "cancelled",
            reason,
            actor,
            "plans_changed",
        )
        html = client.get(detail(contract)).content.decode()
        assert "cancelled the contract" in html
        assert reason in html


def test_the_list_makes_the_same_queries_for_1_and_50_contracts(client):
    client_user = make_client()
    make_contract(make_job(client=client_user))
    client.force_login(client_user)

    def queries() -> int:
        client.get(LIST)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    one = queries()
    for _ in range(49):
        make_contract(make_job(client=client_user))
    assert queries() == one


def test_the_contract_page_makes_the_same_queries_for_1_and_20_funded_milestones(client):
    """The ledger, the money in plain words, the history with its money events and the cancel
    dialog's refunds are bounded, for each side (20 milestones is a contract's most)."""

    def queries(contract, viewer) -> int:
        client.force_login(viewer)
        client.get(detail(contract))
        with CaptureQueriesContext(connection) as captured:
            html = client.get(detail(contract)).content.decode()
        assert "Held for “" in html
        assert "What happens to the money" in html
        return len(captured)

    small = make_contract(milestones=[("Only", 10_000)])
    fund_milestone(small.milestones.get())
    large = make_contract(milestones=[(f"Part {n}", 10_000 + n) for n in range(20)])
    for n, milestone in enumerate(large.milestones.all()):
        fund_milestone(milestone)
        if n % 2:
            release(Milestone.objects.get(pk=milestone.pk).hold)
    for side in ("client", "freelancer"):
        assert queries(large, getattr(large, side)) == queries(small, getattr(small, side))
