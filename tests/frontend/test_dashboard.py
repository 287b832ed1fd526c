"""The dashboard as a workspace: a freelancer's offers, invitations, contracts, work to hand in and
money; a client side's proposals per job, milestones to fund and approve (with the auto-approval
countdown), contracts and spending; an organisation's items for its members by role, never for
anyone else; the empty states; the same number of queries for 1 and 50 of everything; and the
Payments link in the main navigation."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from escrow.selectors import earnings_of, spending_of
from frontend.workspace import _next_milestone
from marketplace.contracts.models import Milestone
from marketplace.contracts.selectors import client_side_hold_ids
from marketplace.contracts.services import milestone_submit
from marketplace.jobs.models import Job
from marketplace.jobs.services import job_invite
from marketplace.organisations.models import Role
from tests.escrow.builders import fund_milestone, paid_history
from tests.factories import (
    add_member,
    make_client,
    make_contract,
    make_freelancer,
    make_job,
    make_offer,
    make_organisation,
    make_proposal,
)

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("frontend:dashboard")
PARTS = (("design", 10_000), ("build", 20_000), ("launch", 5_000))


def world(n: int, tag: str) -> dict:
    """An organisation (its owner a client, plus a viewer, a hiring manager and a finance member)
    and a freelancer, with ``n`` of everything: contracts (even ones the organisation's, odd ones the
    owner's own) of three milestones (submitted, funded, waiting for funding); open jobs, each with
    an offer waiting for the freelancer and a new proposal from someone else; and invitations."""
    owner = make_client(full_name=f"Olga {tag}")
    organisation = make_organisation(owner=owner, name=f"Org {tag}")
    freelancer = make_freelancer(full_name=f"Fay {tag}")
    handle = freelancer.freelancer_profile.handle
    for i in range(n):
        org = organisation if i % 2 == 0 else None
        side = "org" if org else "own"
        contract = make_contract(
            client=owner,
            organisation=org,
            freelancer=freelancer,
            title=f"{tag} contract {i} {side}",
            milestones=[
                (f"{tag} design {i}", 10_000),
                (f"{tag} build {i}", 20_000),
                (f"{tag} launch {i}", 5_000),
            ],
        )
        design, build, _launch = contract.milestones.all()
        fund_milestone(design)
        design.refresh_from_db()
        milestone_submit(acting_user=freelancer, milestone=design, message="Done, see the notes.")
        fund_milestone(build)
        job = make_job(client=owner, organisation=org, title=f"{tag} open job {i} {side}")
        make_offer(make_proposal(job, freelancer=freelancer))
        make_proposal(job)
        invited = make_job(client=owner, organisation=org, title=f"{tag} invite job {i} {side}")
        job_invite(acting_user=owner, job=invited, freelancer_handle=handle)
    return {
        "owner": owner,
        "organisation": organisation,
        "freelancer": freelancer,
        "viewer": add_member(organisation, Role.VIEWER),
        "hiring": add_member(organisation, Role.HIRING_MANAGER),
        "finance": add_member(organisation, Role.FINANCE),
    }


def dashboard_of(client, user) -> str:
    client.force_login(user)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    return response.content.decode()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def two_worlds():
    return world(2, "alpha"), world(1, "beta")


# ---- what each side sees -----------------------------------------------------------------------


def test_the_freelancer_sees_offers_invitations_work_to_hand_in_contracts_and_money(client, two_worlds):
    alpha, _beta = two_worlds
    html = dashboard_of(client, alpha["freelancer"])
    text = text_of(html)
    assert "Offer: alpha open job 0 org" in text
    assert "Invitation: alpha invite job 1 own" in text
    assert re.search(r"Expires\s+<time datetime=\"[^\"]+\"[^>]*>in 7\xa0days</time>", html)
    # Funded, not yet handed in: linked to its milestone page, where it is handed in.
    build = Milestone.objects.get(title="alpha build 0")
    assert reverse("frontend:milestone_detail", args=[build.contract_id, build.pk]) in html
    assert "alpha build 0" in text
    assert "Funded: start work" in text
    assert "alpha contract 1 own" in text
    assert "with Org alpha" in text
    # Held in escrow for them: two contracts of 100.00 + 200.00 submitted or funded.
    assert "Held in escrow $600.00" in text
    assert "Set up payouts" in text  # not set up yet
    # The client's side of the same contracts is not theirs.
    assert "Work to approve" not in text
    assert "Milestones to fund" not in text


def test_the_client_sees_new_proposals_per_job_work_to_approve_with_its_countdown_and_spending(
    client, two_worlds
):
    alpha, _beta = two_worlds
    html = dashboard_of(client, alpha["owner"])
    text = text_of(html)
    job = Job.objects.get(title="alpha open job 1 own")
    assert "alpha open job 0 org" in text
    assert "alpha open job 1 own" in text
    assert "1 new" in text
    assert reverse("frontend:job_proposals", args=[job.pk]) + "?status=submitted" in html
    assert "alpha design 0" in text
    assert "alpha design 1" in text
    assert "Approved automatically in 14 days" in text
    assert "alpha launch 0" in text
    assert "alpha launch 1" in text
    assert text.count("Review and approve") == 2
    assert text.count("Fund ") >= 2
    # In escrow: twice 100.00 + 200.00; paid in this month: the same plus the client fee.
    assert "In escrow $600.00" in text
    assert "Paid in this month $" in text


def test_another_clients_and_another_organisations_items_never_appear(client, two_worlds):
    alpha, beta = two_worlds
    for who in ("owner", "viewer", "finance", "freelancer"):
        text = text_of(dashboard_of(client, alpha[who]))
        assert "alpha contract 0 org" in text, who  # positive control
        assert "beta" not in text, who
    text = text_of(dashboard_of(client, beta["viewer"]))
    assert "beta contract 0 org" in text
    assert "alpha" not in text


@pytest.mark.parametrize(
    ("role", "fund", "approve"),
    [("viewer", False, False), ("hiring", True, False), ("finance", True, True), ("owner", True, True)],
)
def test_organisation_members_see_its_items_with_the_actions_their_role_allows(
    client, two_worlds, role, fund, approve
):
    alpha, _beta = two_worlds
    html = dashboard_of(client, alpha[role])
    text = text_of(html)
    assert "alpha contract 0 org" in text
    assert "alpha design 0" in text
    assert "alpha launch 0" in text
    assert "alpha open job 0 org" in text
    if role != "owner":  # the owner's own contract is theirs alone
        assert "alpha contract 1 own" not in text
        assert "alpha launch 1" not in text
    launch = Milestone.objects.get(title="alpha launch 0")
    assert (reverse("frontend:milestone_fund", args=[launch.contract_id, launch.pk]) in html) is fund
    assert ("Review and approve" in text) is approve


# ---- empty states -------------------------------------------------------------------------------


def test_a_new_freelancer_and_a_new_client_are_told_what_to_do_first(client):
    text = dashboard_of(client, make_freelancer())
    assert f'href="{reverse("frontend:find_work")}"' in text
    assert f'href="{reverse("frontend:payouts")}"' in text
    assert "Finish setting up" in text
    assert "Complete your profile" in text
    text = dashboard_of(client, make_client())
    assert f'href="{reverse("frontend:job_new")}"' in text
    assert "No open jobs" in text
    assert "Nothing to fund" in text
    assert "Your freelance work" not in text


# ---- money, from escrow's selectors --------------------------------------------------------------


def test_paid_this_month_and_spent_this_month_count_only_what_moved_since_then():
    client_user, freelancer = make_client(), make_freelancer()
    paid_history(2, client=client_user, freelancer=freelancer, amount_minor=10_000)
    just_before, later = timezone.now() - timedelta(hours=1), timezone.now() + timedelta(hours=1)
    (earnings,) = earnings_of(freelancer, since=just_before)
    assert earnings.paid_since_minor == earnings.paid_minor > 0
    assert earnings_of(freelancer, since=later)[0].paid_since_minor == 0
    (spending,) = spending_of(client_side_hold_ids(client_user), since=just_before)
    assert spending.held_minor == 0  # all released
    assert spending.spent_since_minor > 20_000  # two milestones plus the client fee
    assert spending_of(client_side_hold_ids(client_user), since=later) == []  # nothing held or paid since
    assert spending_of(client_side_hold_ids(freelancer), since=just_before) == []  # payee, not payer


# ---- query counts -------------------------------------------------------------------------------


def _queries(client, user) -> int:
    client.force_login(user)
    client.get(DASHBOARD)  # warm the session and per-process caches
    with CaptureQueriesContext(connection) as captured:
        response = client.get(DASHBOARD)
    assert response.status_code == 200
    return len(captured)


def test_the_dashboard_takes_as_many_queries_for_50_of_everything_as_for_1(client, settings):
    settings.PROPOSAL_DAILY_CAP = 500
    one, fifty = world(1, "one"), world(50, "fifty")
    for who in ("freelancer", "owner", "viewer"):
        counts = (_queries(client, one[who]), _queries(client, fifty[who]))
        assert counts[0] == counts[1], (who, counts)
        print(f"queries: dashboard of the {who} {counts}")
    # Positive control: the 50 are there (shown 8 to a section, with a link to all).
    assert "All active contracts" in dashboard_of(client, fifty["freelancer"])


# ---- navigation ---------------------------------------------------------------------------------


def _main_nav(html: str) -> str:
    """The main navigation's own items, up to the avatar menu (which links Payments for the others)."""
    return html[html.index('<ul class="nav-list">') : html.index('<li class="nav-sep nav-account">')]


def _header(html: str) -> str:
    return html[html.index("<header") : html.index("</header>")]


def test_clients_and_organisation_members_reach_payments_from_the_main_navigation(client):
    payments = reverse("frontend:payments")
    owner = make_client()
    member = add_member(make_organisation(owner=owner))
    for user in (owner, member):
        client.force_login(user)
        nav = _main_nav(client.get(DASHBOARD).content.decode())
        assert f'<a href="{payments}">Payments</a>' in nav
        nav = _main_nav(client.get(payments).content.decode())
        assert f'<a href="{payments}" aria-current="page">Payments</a>' in nav
        assert _header(client.get(DASHBOARD).content.decode()).count(f'href="{payments}"') == 1  # once
    client.force_login(make_freelancer())
    html = client.get(DASHBOARD).content.decode()
    assert payments not in _main_nav(html)
    assert _header(html).count(f'href="{payments}"') == 1  # in the avatar menu


@pytest.mark.parametrize("settled", ["released", "refunded", "split", "cancelled"])
def test_the_next_milestone_skips_one_whose_money_is_settled(settled):
    contract = make_contract(milestones=[("First", 10_000), ("Second", 20_000)])
    first = contract.milestones.get(position=1)
    fund_milestone(first)  # a hold, as every status past pending needs; how it settled is not tested
    Milestone.objects.filter(pk=first.pk).update(status=settled)
    assert _next_milestone(contract).title == "Second"
