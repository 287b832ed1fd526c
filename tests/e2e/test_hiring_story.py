"""The hiring story in a browser, two people in their own contexts: a client posts a public job and
invites a freelancer; the freelancer proposes; the client shortlists and sends an offer (fee breakdown
checked against figures computed here from the settings' basis points); the freelancer accepts; the
contract page shows both parties to each of them. Every page is screenshotted (``hiring-*``)."""

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.conf import settings
from playwright.sync_api import Browser, expect

from marketplace.accounts.models import FreelancerProfile
from marketplace.contracts.models import Contract
from marketplace.core.models import StatusChange
from marketplace.jobs.models import Job, JobInvitation, Offer, Proposal
from tests.e2e.conftest import DESKTOP, PHONE
from tests.e2e.test_organisation_invites import Session
from tests.factories import make_client, make_freelancer

TITLE = "Booking page for a yoga studio"
SKILLS = ["Django", "PostgreSQL"]
PRICE = "1234.50"
MILESTONES = [("Design and calendar", "600.25"), ("Reminders and launch", "634.25")]
COVER_LETTER = (
    "I have built booking pages for three studios in Django, with calendars, reminders and "
    "payments. I would start with the calendar, then the reminders."
)
INVITE_MESSAGE = "We loved your portfolio; would you have time in March?"
OFFER_MESSAGE = "Looking forward to working with you. Let's start on Monday."


# ---- the expected figures, computed here rather than by escrow.fees --------------------------------


def minor(major: str) -> int:
    return int(Decimal(major) * 100)


def usd(amount_minor: int) -> str:
    return f"${Decimal(amount_minor) / 100:,.2f}"


def percent(bp: int) -> str:
    return f"{Decimal(bp) / 100}%"


def fee(amount_minor: int, bp: int) -> int:
    return int((Decimal(amount_minor) * bp / 10_000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def part_fees(parts: list[int], bp: int) -> list[int]:
    """Each milestone's fee: the fee on everything up to it minus the fee on everything before it."""
    cumulative = [sum(parts[: i + 1]) for i in range(len(parts))]
    return [fee(upto, bp) - fee(upto - part, bp) for upto, part in zip(cumulative, parts, strict=True)]


def expected_fees() -> dict:
    client_bp, freelancer_bp = settings.PLATFORM_CLIENT_FEE_BP, settings.PLATFORM_FREELANCER_FEE_BP
    total = minor(PRICE)
    parts = [minor(amount) for _, amount in MILESTONES]
    client_parts, freelancer_parts = part_fees(parts, client_bp), part_fees(parts, freelancer_bp)
    return {
        "client_rate": percent(client_bp),
        "freelancer_rate": percent(freelancer_bp),
        "amount": usd(total),
        "client_fee": usd(fee(total, client_bp)),
        "freelancer_fee": usd(fee(total, freelancer_bp)),
        "client_total": usd(total + fee(total, client_bp)),
        "freelancer_receives": usd(total - fee(total, freelancer_bp)),
        "parts": [
            {
                "title": title,
                "amount": usd(part),
                "client_fee": usd(client_fee),
                "freelancer_fee": usd(freelancer_fee),
                "client_pays": usd(part + client_fee),
                "freelancer_receives": usd(part - freelancer_fee),
            }
            for (title, _), part, client_fee, freelancer_fee in zip(
                MILESTONES, parts, client_parts, freelancer_parts, strict=True
            )
        ],
    }


# ---- page helpers -----------------------------------------------------------------------------------


class Person(Session):
    """``Session`` whose screenshots leave the page as it was (Playwright hides the caret by default,
    leaving ``style=""`` on every input) and check that tables fit their boxes."""

    def shot(self, name: str) -> None:
        self.assert_tables_fit()
        self.page.evaluate("window.scrollTo(0, 0)")
        self.page.screenshot(path=self.shots / f"{name}.png", full_page=True, caret="initial")

    def assert_tables_fit(self) -> None:
        """No table is wider than its box: a table-wrap that scrolls sideways hides a column's end."""
        clipped = self.page.evaluate(
            """[...document.querySelectorAll('.table-wrap')]
                .filter((wrap) => wrap.scrollWidth > wrap.clientWidth)
                .map((wrap) => `${wrap.scrollWidth}px in ${wrap.clientWidth}px`)"""
        )
        assert clipped == [], f"table cut off on {self.page.url}: {clipped}"


def phone_shot(session: Person, name: str) -> None:
    """The same page at phone width: no sideways scrolling, and a screenshot; then back to desktop."""
    session.page.set_viewport_size(PHONE)
    session.assert_no_horizontal_scroll()
    session.shot(f"{name}-phone")
    session.page.set_viewport_size(DESKTOP)


def expect_row(table, title: str, *values: str) -> None:
    row = table.get_by_role("row", name=re.compile(re.escape(title)))
    for value in values:
        expect(row).to_contain_text(value)


def expect_fee_summary(scope, fees: dict) -> None:
    expect(scope.locator("[data-fee=client-total]")).to_have_text(fees["client_total"])
    expect(scope.locator("[data-fee=freelancer-receives]")).to_have_text(fees["freelancer_receives"])
    expect(scope.locator(".fee-box--client .fee-box__sum")).to_have_text(
        f"{fees['amount']} + client fee {fees['client_fee']} ({fees['client_rate']})"
    )
    expect(scope.locator(".fee-box--freelancer .fee-box__sum")).to_have_text(
        f"{fees['amount']} \N{MINUS SIGN} freelancer fee {fees['freelancer_fee']} ({fees['freelancer_rate']})"
    )


def expect_contract(session: Person, client_name: str, freelancer_name: str, fees: dict) -> None:
    page = session.page
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    parties = page.get_by_role("region", name="Parties")
    expect(parties.locator(".party")).to_have_text(
        [re.compile(f"Client\\s+{client_name}"), re.compile(f"Freelancer\\s+{freelancer_name}")]
    )
    terms = page.get_by_role("region", name="Terms")
    expect(terms).to_contain_text(f"Fixed price, {fees['amount']} in total")
    expect(terms).to_contain_text(f"Client {fees['client_rate']}, freelancer {fees['freelancer_rate']}")
    expect_fee_summary(terms, fees)
    schedule = page.get_by_role("table", name="The milestone schedule, in order")
    expect(schedule.locator("tbody tr")).to_have_count(len(MILESTONES))
    for position, part in enumerate(fees["parts"], start=1):
        values = (part["amount"], part["client_pays"], part["freelancer_receives"], "Awaiting funding")
        expect_row(schedule, f"{position}. {part['title']}", *values)


# ---- the story --------------------------------------------------------------------------------------


def test_client_posts_invites_offers_and_the_freelancer_accepts(
    browser: Browser, asgi_server: str, artifacts_dir: Path
):
    base = asgi_server
    shots = artifacts_dir / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    client = make_client(email="harriet@example.com", full_name="Harriet Cole")
    freelancer = make_freelancer(email="ana@example.com", full_name="Ana Costa")
    FreelancerProfile.objects.filter(user=freelancer).update(headline="Django developer for small businesses")
    fees = expected_fees()
    errors: list[str] = []

    # The client posts a public, fixed-price job for one hire, with skills.
    harriet = Person(browser, base, shots, errors)
    page = harriet.page
    page.goto(f"{base}/jobs/mine/")
    harriet.log_in(client.email)
    expect(page).to_have_url(f"{base}/jobs/mine/")
    expect(page.get_by_text("You have not posted a job yet")).to_be_visible()
    harriet.shot("hiring-my-jobs-empty")
    page.locator("main").get_by_role("link", name="Post a job").click()
    expect(page.get_by_role("heading", name="Post a job", level=1)).to_be_visible()
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Description", exact=True).fill(
        "A booking page for our studio: a **weekly calendar**, online booking and email reminders.\n\n"
        "- Works on phones\n- Launch before March"
    )
    page.get_by_label("Category", exact=True).select_option(label="Web development")
    page.locator(".skill-group summary", has_text="Web development").click()
    for skill in SKILLS:
        page.get_by_label(skill, exact=True).check()
    page.get_by_label("Fixed price", exact=True).check()
    page.get_by_label("Currency", exact=True).select_option("USD")
    page.get_by_label("Budget (fixed price)").fill("1500")
    page.get_by_label("Expected duration").select_option(label="1 to 4 weeks")
    expect(page.get_by_label("Freelancers to hire")).to_have_value("1")
    page.get_by_label("Intermediate", exact=True).check()
    expect(page.get_by_label("Remote", exact=True)).to_be_checked()
    expect(page.get_by_role("radio", name=re.compile("^Public"))).to_be_checked()
    expect(page.get_by_role("complementary", name="How posting works")).to_contain_text(
        f"plus a {fees['client_rate']} fee; the freelancer's fee is {fees['freelancer_rate']}"
    )
    harriet.shot("hiring-job-new")
    page.get_by_role("button", name="Post job", exact=True).click()
    expect(page.locator("#messages")).to_contain_text(f"“{TITLE}” is posted. Invite freelancers to propose.")
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.locator(".job-head__badges")).to_contain_text("Open")
    expect(page.locator(".job-facts")).to_contain_text("$1,500.00 fixed price")
    expect(page.get_by_role("list", name="Skills").get_by_role("listitem")).to_have_text(SKILLS)
    harriet.shot("hiring-job-posted")
    job_url = page.url

    # She looks the freelancer up and invites her from the job's page, by the handle in the address.
    handle = freelancer.freelancer_profile.handle
    page.goto(f"{base}/freelancers/{handle}/")
    expect(page.get_by_role("heading", name="Ana Costa", level=1)).to_be_visible()
    harriet.shot("hiring-freelancer-profile")
    page.goto(job_url)
    invite = page.get_by_role("region", name="Invite a freelancer")
    invite.get_by_label("Freelancer's handle").fill(handle)
    invite.get_by_label("Message").fill(INVITE_MESSAGE)
    invite.get_by_role("button", name="Send invitation").click()
    expect(page.locator("#messages")).to_contain_text("Ana Costa is invited to propose.")
    sent = page.get_by_role("region", name="Invitations sent")
    expect(sent.get_by_role("listitem")).to_have_count(1)
    expect(sent.get_by_role("listitem")).to_contain_text("Ana Costa")
    expect(sent.get_by_role("listitem")).to_contain_text("Sent")
    harriet.shot("hiring-job-invited")

    # The freelancer sees the invitation, marked as one to answer, and opens the job.
    ana = Person(browser, base, shots, errors)
    fpage = ana.page
    fpage.goto(f"{base}/job-invitations/")
    ana.log_in(freelancer.email)
    expect(fpage).to_have_url(f"{base}/job-invitations/")
    expect(fpage.locator("nav.tabs a[aria-current=page]")).to_have_text(re.compile("To answer\\s+1"))
    card = fpage.get_by_role("article", name=TITLE)
    expect(card.locator(".work-row__badges")).to_have_text("To answer")
    expect(card).to_contain_text("Harriet Cole")
    expect(card).to_contain_text("$1,500.00 fixed price")
    expect(card.locator(".work-quote")).to_have_text(INVITE_MESSAGE)
    ana.shot("hiring-invitations-freelancer")
    card.get_by_role("link", name="View job and propose").click()
    expect(fpage.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    invitation = fpage.get_by_role("region", name="You are invited to propose")
    expect(invitation).to_contain_text("Harriet Cole invited you")
    expect(invitation).to_contain_text(INVITE_MESSAGE)
    expect(fpage.get_by_role("region", name="About the job").locator("strong")).to_have_text(
        "weekly calendar"
    )
    expect(fpage.get_by_role("list", name="Skills").get_by_role("listitem")).to_have_text(SKILLS)
    expect(fpage.get_by_role("heading", name="Send a proposal")).to_be_visible()
    ana.shot("hiring-job-freelancer")
    phone_shot(ana, "hiring-job-freelancer")

    # She proposes: a cover letter, her price and two milestones that add up to it.
    fpage.get_by_label("Cover letter").fill(COVER_LETTER)
    fpage.get_by_label("Your price").fill(PRICE)
    fpage.get_by_label("How long it will take").select_option(label="1 to 4 weeks")
    rows = fpage.locator("[data-milestone-row]:visible")
    expect(rows).to_have_count(1)
    expect(rows.get_by_role("button", name="Remove")).to_be_hidden()  # a lone row stays
    fpage.get_by_role("button", name="Add a milestone").click()
    expect(rows).to_have_count(2)
    expect(rows.get_by_role("button", name="Remove")).to_have_count(2)
    for row, (title, amount) in zip((rows.nth(0), rows.nth(1)), MILESTONES, strict=True):
        row.get_by_label("Milestone", exact=True).fill(title)
        row.get_by_label("Amount", exact=True).fill(amount)
    expect(fpage.locator("[data-milestone-sum]")).to_have_text(
        f"Milestones add up to {PRICE} USD — matches the total."
    )
    ana.shot("hiring-proposal-filled")
    fpage.get_by_role("button", name="Send proposal").click()
    # (the form posts to …/propose/#propose; the redirect keeps the fragment, as browsers do)
    expect(fpage).to_have_url(re.compile(r"/proposals/(#propose)?$"))
    expect(fpage.locator("#messages")).to_contain_text(f"Your proposal for “{TITLE}” is sent.")
    mine = fpage.get_by_role("article", name=TITLE)
    expect(mine.locator(".work-row__badges")).to_have_text(re.compile("Invited\\s+Submitted"))
    expect(mine).to_contain_text(f"{fees['amount']} in 2 milestones")
    ana.shot("hiring-proposals-freelancer")

    # The client sees the proposal (marked as invited), shortlists it and opens the offer form.
    page.reload()
    expect(page.get_by_role("heading", name=re.compile("^Proposals"))).to_contain_text("1")
    proposal = page.get_by_role("article", name="Ana Costa")
    expect(proposal.locator(".proposal__badges")).to_have_text(re.compile("Invited\\s+Submitted"))
    expect(proposal).to_contain_text("Django developer for small businesses")
    expect(proposal).to_contain_text(COVER_LETTER)
    expect(proposal.locator(".proposal__terms")).to_contain_text(fees["amount"])
    expect(proposal.locator(".milestone-lines li")).to_have_text(
        [re.compile(f"{re.escape(p['amount'])}\\s+{p['title']}") for p in fees["parts"]]
    )
    expect(sent.get_by_role("listitem")).to_contain_text("Proposal submitted")
    harriet.shot("hiring-job-proposal")
    proposal.get_by_role("button", name="Shortlist").click()
    expect(proposal.get_by_role("status")).to_have_text("Shortlisted.")
    expect(proposal.locator(".proposal__badges")).to_have_text(re.compile("Invited\\s+Shortlisted"))
    expect(proposal.get_by_role("button", name="Shortlist")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Proposals by status").get_by_role("link")).to_have_text(
        [re.compile("All\\s+1"), re.compile("Shortlisted\\s+1")]
    )
    harriet.shot("hiring-job-shortlisted")
    proposal.get_by_role("link", name="Send offer").click()
    expect(page.get_by_role("heading", name="Send an offer to Ana Costa", level=1)).to_be_visible()
    expect(page.get_by_label("Contract title")).to_have_value(TITLE)
    expect(page.get_by_label("Total price")).to_have_value(PRICE)
    offer_rows = page.locator("[data-milestone-row]:visible")
    expect(offer_rows).to_have_count(2)
    for index, (title, amount) in enumerate(MILESTONES):
        expect(offer_rows.nth(index).get_by_label("Milestone", exact=True)).to_have_value(title)
        expect(offer_rows.nth(index).get_by_label("Amount", exact=True)).to_have_value(amount)

    # The fee breakdown: both totals and each milestone's share.
    breakdown = page.locator("#fee-breakdown")
    expect_fee_summary(breakdown, fees)
    per_milestone = breakdown.get_by_role("table", name="Per milestone")
    for part in fees["parts"]:
        expect_row(
            per_milestone, part["title"], part["amount"], part["client_pays"], part["freelancer_receives"]
        )
    # Typing asks the server for the breakdown again (htmx); the figures stay the same.
    with page.expect_response(re.compile(r"/offer/preview/$")) as preview:
        page.get_by_label("Message to the freelancer").fill(OFFER_MESSAGE)
    assert preview.value.ok
    expect_fee_summary(breakdown, fees)
    harriet.shot("hiring-offer-new")
    phone_shot(harriet, "hiring-offer-new")
    page.get_by_role("button", name="Send offer").click()
    expect(page).to_have_url(re.compile(r"/offers/\d+/$"))
    expect(page.locator("#messages")).to_contain_text(
        "Your offer is sent to Ana Costa; they have a week to answer."
    )
    expect(page.locator(".job-head__badges")).to_contain_text("Offer from your side")
    expect(page.get_by_role("button", name="Accept and start the contract")).to_have_count(0)
    harriet.shot("hiring-offer-sent-client")

    # The freelancer opens the offer: the same breakdown, and her answer.
    fpage.goto(f"{base}/offers/")
    offer_card = fpage.get_by_role("article", name=TITLE)
    expect(offer_card).to_contain_text("From Harriet Cole")
    expect(offer_card).to_contain_text(f"{fees['amount']} in 2 milestones")
    ana.shot("hiring-offers-freelancer")
    offer_card.get_by_role("link", name="Review and answer").click()
    expect(fpage.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(fpage.locator(".job-head__badges")).to_contain_text("Offer to you")
    expect(fpage.get_by_role("region", name="Between").locator(".party__name")).to_have_text(
        ["Harriet Cole", "Ana Costa"]
    )
    expect(fpage.get_by_role("region", name="Message from the client")).to_contain_text(OFFER_MESSAGE)
    expect(fpage.get_by_role("region", name="Terms")).to_contain_text(
        f"Fixed price, {fees['amount']} in total"
    )
    expect_fee_summary(fpage.get_by_role("region", name="Fee breakdown"), fees)
    schedule = fpage.get_by_role("table", name="Milestone schedule")
    for position, part in enumerate(fees["parts"], start=1):
        values = (
            part["amount"],
            f"{part['client_pays']} incl. fee {part['client_fee']}",
            f"{part['freelancer_receives']} after fee {part['freelancer_fee']}",
        )
        expect_row(schedule, f"{position}. {part['title']}", *values)
    expect_row(schedule, "Total", fees["amount"], fees["client_total"], fees["freelancer_receives"])
    answer = fpage.get_by_role("complementary", name="Your answer")
    expect(answer).to_contain_text(
        f"You receive {fees['freelancer_receives']} after the {fees['freelancer_rate']} fee."
    )
    ana.shot("hiring-offer-freelancer")
    phone_shot(ana, "hiring-offer-freelancer")

    # She accepts: the contract starts, and its page shows both parties, the terms and the schedule.
    answer.get_by_role("button", name="Accept and start the contract").click()
    expect(fpage).to_have_url(re.compile(r"/contracts/\d+/$"))
    expect(fpage.locator("#messages")).to_contain_text("You accepted the offer: the contract has started.")
    expect(fpage.locator(".job-head__badges")).to_have_text(re.compile("Active\\s+You work on it"))
    expect_contract(ana, "Harriet Cole", "Ana Costa", fees)
    history = fpage.get_by_role("region", name="History").get_by_role("listitem")
    expect(history).to_have_text(
        [
            re.compile("Harriet Cole shortlisted the proposal"),
            re.compile("Harriet Cole sent an offer"),
            re.compile("You accepted the offer; the contract started"),
        ]
    )
    ana.shot("hiring-contract-freelancer")
    phone_shot(ana, "hiring-contract-freelancer")
    contract_url = fpage.url

    # The client's job page: closed (one hire wanted), the proposal hired, a link to the contract.
    page.goto(job_url)
    expect(page.locator(".job-head__badges")).to_contain_text("Closed")
    expect(page.locator(".job-ending")).to_have_text(
        re.compile(r"Closed on \d+ \w+ \d{4}, \d\d:\d\d \w+: filled when Ana Costa accepted the offer\.")
    )
    expect(proposal.locator(".proposal__badges")).to_have_text(re.compile("Invited\\s+Hired"))
    expect(page.get_by_role("region", name="Invite a freelancer")).to_have_count(0)
    harriet.shot("hiring-job-closed")
    proposal.get_by_role("link", name="View contract").click()
    expect(page).to_have_url(contract_url)
    expect(page.locator(".job-head__badges")).to_have_text(re.compile("Active\\s+You hire"))
    expect_contract(harriet, "Harriet Cole", "Ana Costa", fees)
    expect(page.get_by_role("region", name="History").get_by_role("listitem")).to_have_text(
        [
            re.compile("You shortlisted the proposal"),
            re.compile("You sent an offer"),
            re.compile("Ana Costa accepted the offer; the contract started"),
        ]
    )
    harriet.shot("hiring-contract-client")
    phone_shot(harriet, "hiring-contract-client")

    for session in (harriet, ana):
        session.context.close()
    assert errors == []

    # In the database: one contract on the offer's terms, the job closed, every move on record.
    contract = Contract.objects.get()
    job = Job.objects.get()
    offer = Offer.objects.get()
    proposal_row = Proposal.objects.get()
    invitation_row = JobInvitation.objects.get()
    assert (contract.job_id, contract.offer_id, contract.client_id, contract.freelancer_id) == (
        job.pk,
        offer.pk,
        client.pk,
        freelancer.pk,
    )
    assert contract.amount_minor == minor(PRICE)
    assert (contract.client_fee_bp, contract.freelancer_fee_bp) == (
        settings.PLATFORM_CLIENT_FEE_BP,
        settings.PLATFORM_FREELANCER_FEE_BP,
    )
    assert [(m.position, m.title, m.amount_minor) for m in contract.milestones.order_by("position")] == [
        (position, title, minor(amount)) for position, (title, amount) in enumerate(MILESTONES, start=1)
    ]
    assert job.status == Job.Status.CLOSED
    assert job.hires_wanted == 1
    assert sorted(skill.name for skill in job.skills.all()) == SKILLS
    assert (offer.status, proposal_row.status, invitation_row.status) == ("accepted", "hired", "proposed")
    history_rows = set(
        StatusChange.objects.values_list("target_type", "target_id", "from_status", "to_status", "actor_id")
    )
    assert history_rows == {
        ("jobs.job", job.pk, "draft", "open", client.pk),
        ("jobs.jobinvitation", invitation_row.pk, "sent", "proposed", freelancer.pk),
        ("jobs.proposal", proposal_row.pk, "submitted", "shortlisted", client.pk),
        ("jobs.proposal", proposal_row.pk, "shortlisted", "offered", client.pk),
        ("jobs.offer", offer.pk, "sent", "accepted", freelancer.pk),
        ("jobs.proposal", proposal_row.pk, "offered", "hired", freelancer.pk),
        ("jobs.job", job.pk, "open", "closed", freelancer.pk),
    }
