"""Statements: totals reconcile to the ledger to the cent (summed here from the entries, not from
the statement's code), who may see which statement (with positive controls), bad ranges (400 with a
code, the page's form error), the CSV and PDF, the API, and bounded query counts."""

import csv
import datetime as dt
import io
import re

import pytest
import time_machine
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from escrow.models import Hold, LedgerEntry
from marketplace.organisations.models import Role
from marketplace.statements.ranges import DateRange
from marketplace.statements.selectors import statement_of_organisation, statement_of_user
from tests.escrow.builders import fund_milestone, payouts_ready, refund, release
from tests.factories import add_member, make_client, make_contract, make_freelancer, make_organisation

pytestmark = pytest.mark.django_db

STATEMENT = reverse("frontend:statement")
DAY1 = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def fees(settings):
    settings.PLATFORM_CLIENT_FEE_BP = 500
    settings.PLATFORM_FREELANCER_FEE_BP = 1000


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def at(day: int):
    return time_machine.travel(DAY1 + dt.timedelta(days=day), tick=False)


@pytest.fixture
def story():
    """An organisation's contract (Cleo, its owner, pays) with Ana over four milestones on four days:
    Design funded (day 0) and released and paid out (day 1); Build funded (day 1) and half
    refunded (day 2); Test funded (day 2) and split 3/4 released; Launch funded (day 3), held."""
    cleo = make_client(full_name="Cleo Client")
    org = make_organisation(owner=cleo, name="Acme")
    ana = make_freelancer(full_name="Ana Costa")
    payouts_ready(ana)
    with at(0):
        contract = make_contract(
            client=cleo,
            freelancer=ana,
            organisation=org,
            title="Booking page",
            milestones=[("Design", 40_000), ("Build", 100_000), ("Test", 20_000), ("Launch", 33_333)],
        )
        design, build, test, launch = contract.milestones.all()
        fund_milestone(design)
    hold = lambda m: Hold.objects.get(milestone=m)  # noqa: E731
    with at(1):
        release(hold(design))
        fund_milestone(build)
    with at(2):
        refund(hold(build), 50_000)
        fund_milestone(test)
        release(hold(test), 15_000, sent=False)
    with at(3):
        fund_milestone(launch)
    return {"cleo": cleo, "org": org, "ana": ana, "contract": contract}


def ledger_sum(accounts_q, *, before=None, since=None) -> int:
    entries = LedgerEntry.objects.filter(accounts_q)
    if before is not None:
        entries = entries.filter(transaction__created_at__lt=before)
    if since is not None:
        entries = entries.filter(transaction__created_at__gte=since)
    return entries.aggregate(total=Sum("amount_minor"))["total"] or 0


def section(statement, side):
    return next(s for s in statement.sections if s.side == side)


def test_totals_reconcile_to_the_ledger_to_the_cent(story):
    from django.db.models import Q

    period = DateRange(dt.date(2026, 3, 3), dt.date(2026, 3, 4), "UTC")  # days 1 and 2
    cleo, ana = story["cleo"], story["ana"]
    mine = statement_of_user(cleo, period)
    client = section(mine, "client")
    held = Q(account__kind="escrow_held", account__hold__payer=cleo)
    assert client.opening_minor == ledger_sum(held, before=period.starts_at)
    assert client.closing_minor == ledger_sum(held, before=period.ends_before)
    assert client.opening_minor == 42_000  # Design: 40,000 + 5 % fee, funded on day 0
    # Each kind's total against the postings of that kind on those accounts, summed here.
    in_range = {"since": period.starts_at, "before": period.ends_before}
    totals = {kind: total for kind, _label, total in client.totals}
    assert totals["charge"] + totals["client_fee"] == ledger_sum(
        held & Q(transaction__kind="fund"), **in_range
    )
    assert totals["release"] + totals["client_fee_earned"] == ledger_sum(
        held & Q(transaction__kind="release"), **in_range
    )
    assert totals["refund"] + totals["client_fee_refund"] == ledger_sum(
        held & Q(transaction__kind="refund"), **in_range
    )
    assert totals["charge"] == 100_000 + 20_000
    assert totals["client_fee"] == 5_000 + 1_000
    assert totals["release"] == -(40_000 + 15_000)
    assert totals["refund"] == -50_000
    # The running balance ends where the closing balance is.
    assert client.lines[-1].balance_minor == client.closing_minor

    earned = section(statement_of_user(ana, period), "freelancer")
    payable = Q(account__kind="freelancer_payable", account__user=ana)
    assert earned.opening_minor == ledger_sum(payable, before=period.starts_at) == 0
    assert earned.closing_minor == ledger_sum(payable, before=period.ends_before)
    totals = {kind: total for kind, _label, total in earned.totals}
    assert totals == {"release": 55_000, "freelancer_fee": -5_500, "payout": -36_000}
    assert earned.closing_minor == 13_500  # Test's 15,000 less its fee, not paid out yet

    org = section(statement_of_organisation(story["org"], period), "client")
    assert (org.opening_minor, org.closing_minor) == (client.opening_minor, client.closing_minor)
    # In the organisation's words: whose card a refund goes back to, whose work the escrow holds.
    assert "Refunded to Cleo Client" in [line.label for line in org.lines]
    assert "Refunded to you" in [line.label for line in client.lines]
    assert org.balance_means == "held in escrow for the organisation's work"


def test_lines_say_what_each_movement_was_for(story):
    period = DateRange(dt.date(2026, 3, 2), dt.date(2026, 3, 5), "UTC")
    client = section(statement_of_user(story["cleo"], period), "client")
    first = client.lines[0]
    assert first.kind == "charge"
    assert first.label == "Card payment into escrow for Ana Costa"
    assert first.purpose == "Milestone “Design” of “Booking page”"
    assert re.fullmatch(r"milestone:\d+", first.reference)
    kinds = [line.kind for line in client.lines]
    assert kinds[:4] == ["charge", "client_fee", "release", "client_fee_earned"]
    assert "refund" in kinds
    assert "client_fee_refund" in kinds
    # Payments that went through link to their receipts: every card payment, the refund sent.
    from escrow.models import Charge, Refund, Transfer

    receipts = {line.receipt for line in client.lines if line.receipt}
    assert receipts == {("charge", c.pk) for c in Charge.objects.filter(hold__payer=story["cleo"])} | {
        ("refund", r.pk) for r in Refund.objects.filter(settlement__hold__payer=story["cleo"])
    }
    payouts = section(statement_of_user(story["ana"], period), "freelancer").lines
    assert {line.receipt for line in payouts if line.kind == "payout"} == {
        ("transfer", t.pk) for t in Transfer.objects.filter(destination_user=story["ana"], status="sent")
    }


def test_each_person_sees_only_their_own_statement(story, client):
    stranger = make_client(full_name="Sid Stranger")
    query = "?from=2026-03-01&to=2026-03-31"
    client.force_login(stranger)
    page = client.get(STATEMENT + query)
    assert page.status_code == 200
    assert "Nothing in this period" in text_of(page.content.decode())
    assert "Booking page" not in page.content.decode()
    client.force_login(story["cleo"])  # the positive control
    page = text_of(client.get(STATEMENT + query).content.decode())
    assert "Booking page" in page
    assert "Opening balance" in page


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.OWNER, 200),
        (Role.FINANCE, 200),
        (Role.ADMIN, 403),
        (Role.HIRING_MANAGER, 403),
        (Role.VIEWER, 403),
    ],
)
def test_organisation_statement_by_role(story, client, role, status):
    org = story["org"]
    member = story["cleo"] if role == Role.OWNER else add_member(org, role)
    client.force_login(member)
    url = reverse("frontend:organisation_statement", args=[org.slug]) + "?from=2026-03-01&to=2026-03-31"
    page = client.get(url)
    assert page.status_code == status
    assert ("Booking page" in page.content.decode()) == (status == 200)
    api = client.get(f"/api/organisations/{org.slug}/statements/?from=2026-03-01&to=2026-03-31")
    assert api.status_code == status
    if status == 200:
        assert api.json()["sections"][0]["side"] == "client"
    else:
        assert api.json()["error"]["code"] == "role_forbids"


def test_organisation_statement_is_404_to_others(story, client):
    client.force_login(make_client())
    url = reverse("frontend:organisation_statement", args=[story["org"].slug])
    assert client.get(url).status_code == 404
    assert client.get(f"/api/organisations/{story['org'].slug}/statements/").status_code == 404


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("?from=2026-03-10&to=2026-03-01", "range_reversed"),
        ("?from=2025-01-01&to=2026-01-02", "range_too_long"),
        ("?from=2026-02-30&to=2026-03-01", "date_invalid"),
        ("?from=yesterday", "date_invalid"),
    ],
)
def test_bad_ranges_answer_400_with_a_code(client, query, code):
    client.force_login(make_client())
    page = client.get(STATEMENT + query)
    assert page.status_code == 400
    assert f'data-error-code="{code}"' in page.content.decode()
    assert client.get(reverse("frontend:statement_csv") + query).status_code == 400
    api = client.get("/api/statements/" + query)
    assert api.status_code == 400
    assert api.json()["error"]["code"] == code


def test_a_full_year_is_allowed(client):
    client.force_login(make_client())
    assert client.get(STATEMENT + "?from=2025-01-01&to=2025-12-31").status_code == 200  # 365 days
    assert client.get(STATEMENT + "?from=2024-01-01&to=2024-12-31").status_code == 200  # 366 days


def test_csv_streams_every_line_with_balances(story, client):
    client.force_login(story["ana"])
    response = client.get(reverse("frontend:statement_csv") + "?from=2026-03-01&to=2026-03-31")
    assert response.status_code == 200
    assert response.streaming
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0]["kind"] == "opening_balance"
    assert rows[-1]["kind"] == "closing_balance"
    lines = rows[1:-1]
    assert sum(int(row["amount_minor"]) for row in lines) == int(rows[-1]["balance_minor"])
    assert {row["kind"] for row in lines} == {"release", "freelancer_fee", "payout"}
    assert rows[-1]["balance"] == "135.00"


def test_pdf_is_made(story, client):
    client.force_login(story["cleo"])
    response = client.get(reverse("frontend:statement_pdf") + "?from=2026-03-01&to=2026-03-31")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_api_statement(story, client):
    client.force_login(story["cleo"])
    body = client.get("/api/statements/?from=2026-03-01&to=2026-03-31").json()
    assert body["from"] == "2026-03-01"
    assert body["timezone"] == "UTC"
    client_side = body["sections"][0]
    assert client_side["opening_minor"] == 0
    assert client_side["closing_minor"] == sum(line["amount_minor"] for line in client_side["lines"])


def _statement_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_lines(client):
    """The same number of queries at 1 funded milestone and at 50 (each released and paid out)."""
    from tests.escrow.builders import paid_history

    url = STATEMENT + "?from=2026-01-01&to=2026-12-31"
    with at(0):
        one = make_client()
        paid_history(1, client=one)
        many = make_client()
        paid_history(50, client=many)
    with at(5):
        client.force_login(one)
        few = _statement_queries(client, url)
        client.force_login(many)
        lots = _statement_queries(client, url)
    assert few == lots
    with at(5):
        api_few = _statement_queries(client, "/api/statements/?from=2026-01-01&to=2026-12-31")
        client.force_login(one)
        assert _statement_queries(client, "/api/statements/?from=2026-01-01&to=2026-12-31") == api_few


# ---- the yearly earnings statement and organisation receipts --------------------------------


def test_yearly_earnings_by_rail_and_thresholds(story, client):
    client.force_login(story["ana"])
    with at(10):
        body = client.get("/api/earnings/2026/").json()
        page = client.get(reverse("frontend:earnings_year", args=[2026]))
    (rail,) = body["rails"]
    assert rail["rail"] == "processor"
    assert rail["currency"] == "USD"
    assert (rail["released_minor"], rail["freelancer_fees_minor"], rail["net_minor"]) == (
        55_000,
        5_500,
        49_500,
    )
    assert (rail["paid_out_minor"], rail["payouts"], rail["releases"]) == (36_000, 1, 2)
    nec, k = body["thresholds"]
    assert nec["form"] == "1099-NEC"
    assert nec["rule"] == "1099-NEC $2,000 for payments outside card/payment networks"
    assert (nec["amount_minor"], nec["crossed"]) == (0, False)
    assert k["form"] == "1099-K"
    assert (k["amount_minor"], k["count"], k["amount_crossed"], k["count_crossed"]) == (
        36_000,
        1,
        False,
        False,
    )
    text = text_of(page.content.decode())
    assert "above $20,000 and 200 transactions" in text
    assert "Form 1099-K: threshold not crossed" in text
    assert "Informational only" in text


def test_thresholds_cross_by_amount_and_count_separately():
    from marketplace.statements.selectors import Threshold

    def k(amount, count):
        return Threshold("1099-K", "", "", amount, count, 2_000_000, 200)

    assert not k(2_000_000, 201).crossed  # exactly $20,000 is not above it
    assert not k(2_000_001, 200).crossed  # 200 transactions is not above 200
    assert k(2_000_001, 201).crossed
    assert k(2_000_001, 5).amount_crossed
    assert not k(2_000_001, 5).count_crossed
    nec = Threshold("1099-NEC", "", "", 200_000, 0, 200_000, None)
    assert nec.crossed
    assert nec.count_crossed is None


def test_yearly_earnings_exports(story, client):
    client.force_login(story["ana"])
    response = client.get(reverse("frontend:earnings_year_csv", args=[2026]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows == [
        {
            "year": "2026", "rail": "processor", "currency": "USD", "released": "550.00",
            "freelancer_fees": "55.00", "net": "495.00", "releases": "2", "paid_out": "360.00",
            "payouts": "1", "released_minor": "55000", "freelancer_fees_minor": "5500",
            "net_minor": "49500", "paid_out_minor": "36000",
        }
    ]  # fmt: skip
    data = client.get(reverse("frontend:earnings_year_json", args=[2026])).json()
    assert data["informational"] is True
    pdf = client.get(reverse("frontend:earnings_year_pdf", args=[2026]))
    assert pdf.content.startswith(b"%PDF")
    assert client.get(reverse("frontend:earnings_year", args=[1999])).status_code == 404


def test_finance_members_open_the_organisations_receipts(story, client):
    from escrow.models import Charge

    charge = Charge.objects.filter(hold__milestone__contract=story["contract"]).first()
    url = reverse("frontend:receipt", args=["charge", charge.pk])
    finance = add_member(story["org"], Role.FINANCE)
    viewer = add_member(story["org"], Role.VIEWER)
    client.force_login(finance)
    assert client.get(url).status_code == 200
    client.force_login(viewer)
    assert client.get(url).status_code == 404
    client.force_login(make_client())
    assert client.get(url).status_code == 404


def test_money_pages_link_to_statements(story, client):
    client.force_login(story["ana"])
    earnings = client.get(reverse("frontend:earnings")).content.decode()
    assert "data-link-statement" in earnings
    assert "data-link-earnings-year" in earnings
    assert "data-link-statement" in client.get(reverse("frontend:payments")).content.decode()


# ---- billed weeks, time zones, the other query counts ------------------------------------------


def _billed_week(contract):
    """A week of an hourly contract billed into escrow (the hold as hourly billing makes it, the
    week's row pointing at it), funded."""
    from escrow.services.holds import hold_create
    from marketplace.core.money import Money
    from marketplace.hourly.models import Timesheet
    from tests.escrow.builders import fund

    week = Timesheet.objects.create(
        contract=contract, week_start=dt.date(2026, 3, 2), status="charging", currency="USD", minutes=600
    )
    hold = hold_create(
        payer=contract.client,
        payee=contract.freelancer,
        amount=Money(50_000, "USD"),
        client_fee_bp=500,
        freelancer_fee_bp=1000,
        reference=f"timesheet:{week.pk}",
        transfer_group=f"contract-{contract.pk}",
    )
    Timesheet.objects.filter(pk=week.pk).update(hold=hold, amount_minor=50_000, status="in_review")
    fund(hold)
    return week, hold


def test_a_billed_week_is_named_and_counts_for_the_organisation(story):
    with at(4):
        week, _hold = _billed_week(story["contract"])
    period = DateRange(dt.date(2026, 3, 6), dt.date(2026, 3, 6), "UTC")
    org = section(statement_of_organisation(story["org"], period), "client")
    charge = org.lines[0]
    assert charge.reference == f"timesheet:{week.pk}"
    assert charge.purpose == "Week of 2 Mar 2026 of “Booking page”"
    assert [line.amount_minor for line in org.lines] == [50_000, 2_500]
    # Another organisation's statement does not show it.
    other = make_organisation(name="Other")
    assert statement_of_organisation(other, period).sections == []


def test_dates_are_the_viewers_time_zone(client):
    """A payment at 05:00 UTC on 2 March is 1 March, 19:00 in Honolulu (UTC-10): the Honolulu
    viewer's statement of 1 March has it, of 2 March does not; at UTC it is the other way round."""
    from tests.escrow.builders import fund_milestone

    cleo = make_client(timezone="Pacific/Honolulu")
    contract = make_contract(client=cleo, milestones=[("Design", 10_000)])
    with time_machine.travel(dt.datetime(2026, 3, 2, 5, tzinfo=dt.UTC), tick=False):
        fund_milestone(contract.milestones.get())
    client.force_login(cleo)
    first = client.get("/api/statements/?from=2026-03-01&to=2026-03-01").json()
    second = client.get("/api/statements/?from=2026-03-02&to=2026-03-02").json()
    assert first["timezone"] == "Pacific/Honolulu"
    assert len(first["sections"][0]["lines"]) == 2
    assert second["sections"][0]["opening_minor"] == 10_500
    assert second["sections"][0]["lines"] == []
    utc = statement_of_user(cleo, DateRange(dt.date(2026, 3, 2), dt.date(2026, 3, 2), "UTC"))
    assert len(utc.sections[0].lines) == 2
    page = client.get(STATEMENT + "?from=2026-03-01&to=2026-03-01").content.decode()
    assert "dates in Pacific/Honolulu" in page
    assert "1 Mar 2026" in page


def test_organisation_statement_and_yearly_earnings_query_counts_do_not_grow(client):
    from tests.escrow.builders import paid_history

    with at(0):
        owners, freelancers = [], []
        for count in (1, 50):
            owner = make_client()
            org = make_organisation(owner=owner)
            freelancer = make_freelancer()
            payouts_ready(freelancer)
            for chunk in range(0, count, 20):  # at most 20 milestones a contract
                contract = make_contract(
                    client=owner,
                    freelancer=freelancer,
                    organisation=org,
                    milestones=[5_000] * min(20, count - chunk),
                )
                for milestone in contract.milestones.all():
                    fund_milestone(milestone)
                    release(Hold.objects.get(milestone=milestone))
            owners.append((owner, org))
            freelancers.append(freelancer)
        paid_history(3, freelancer=freelancers[0])
    counts = []
    with at(5):
        for owner, org in owners:
            client.force_login(owner)
            url = (
                reverse("frontend:organisation_statement", args=[org.slug]) + "?from=2026-01-01&to=2026-12-31"
            )
            counts.append(_statement_queries(client, url))
        assert counts[0] == counts[1]
        years = []
        for freelancer in freelancers:
            client.force_login(freelancer)
            years.append(_statement_queries(client, reverse("frontend:earnings_year", args=[2026])))
        assert years[0] == years[1]


def _text_boxes(box):
    for child in getattr(box, "children", ()):
        if type(child).__name__ == "TextBox":
            yield child
        yield from _text_boxes(child)


def test_the_pdf_statement_fits_its_pages(story, client):
    """The PDF's layout (WeasyPrint's own boxes, from the same print template and stylesheet): every
    line of text lies inside the page's margins, and the closing balance is there."""
    import weasyprint
    from django.template.loader import render_to_string

    from frontend.views.money import _fetch_nothing

    client.force_login(story["cleo"])
    response = client.get(STATEMENT + "?from=2026-03-01&to=2026-03-31")
    context = {key: response.context[key] for key in ("statement", "statement_zone", "site_name")}
    printed = render_to_string("frontend/money/statement_print.html", context)
    css = weasyprint.CSS(
        string=render_to_string("frontend/money/statement_pdf.css"), url_fetcher=_fetch_nothing
    )
    document = weasyprint.HTML(string=printed, url_fetcher=_fetch_nothing).render(stylesheets=[css])
    texts = []
    for page in document.pages:
        right = page.width - page._page_box.margin_right
        for box in _text_boxes(page._page_box):
            texts.append(box.text)
            assert box.position_x + box.width <= right + 0.5, f"{box.text!r} runs past the margin"
    joined = " ".join(texts)
    assert "Closing balance" in joined
    assert "Card payment into escrow for Ana Costa" in joined
