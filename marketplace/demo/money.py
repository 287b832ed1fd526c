"""Money in the demo: after the jobs demo has hired its freelancers, the fixed-price contracts' milestones
are funded with Stripe's test card 4242 4242 4242 4242, handed in, sent back for changes, approved and
paid out, refunded after a cancellation, and the finished contract is completed — through the real
services and the local fake Stripe, so the ledger, the receipts and the earnings are the product's own.

What a browser does against the processor is done here over HTTP, as the fake's pages would have it:
the card form confirms the PaymentIntent with the publishable key (then the page's confirmation reads
it back, as ``milestone_fund_confirm`` does), and a freelancer's Connect onboarding link is opened (then
the return page reads the account, ``connected_account_sync``). The demo skips one step of the product:
payouts are set up without two-factor authentication, so the demo's logins need no authenticator app.
Transfers and refunds that a step queued are sent at once (the after-commit task's own service, a no-op
when the eager task sent them already), so the demo does not depend on a worker.

Each milestone only ever moves forward towards its planned state, so a second run does nothing and what
people did in the demo (approved the waiting work, cancelled a contract) stays. The money needs the
local fake Stripe: ``seed_demo`` starts one when none is listening; against real Stripe it is skipped.
"""

import datetime
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone

from escrow.models import ConnectedAccount, Refund, Transfer
from escrow.services.connect import connected_account_sync, payout_onboarding_link
from escrow.services.payouts import refund_send, transfer_send
from marketplace.accounts.models import User
from marketplace.contracts import services
from marketplace.contracts.models import Contract, Milestone
from marketplace.core.exceptions import DomainError

from .accounts import DOMAIN, Step, logins_with
from .jobs import hired_people

logger = logging.getLogger(__name__)
Status = Milestone.Status

TEST_CARD = "4242424242424242"
# The road of a milestone to each state the demo shows, in order.
ROAD = {
    Status.PENDING: (),
    Status.FUNDED: (Status.FUNDED,),
    Status.SUBMITTED: (Status.FUNDED, Status.SUBMITTED),
    Status.REVISION_REQUESTED: (Status.FUNDED, Status.SUBMITTED, Status.REVISION_REQUESTED),
    Status.APPROVED: (Status.FUNDED, Status.SUBMITTED, Status.APPROVED),
    Status.RELEASED: (Status.FUNDED, Status.SUBMITTED, Status.APPROVED),  # paid on approval
    # Funded, then the contract is cancelled and the money goes back after the dispute window.
    Status.REFUNDED: (Status.FUNDED,),
}


@dataclass(frozen=True)
class MoneyPlan:
    """Where one demo contract's money stands: a state per milestone, in schedule order."""

    job_title: str
    milestones: tuple[str, ...]
    payouts: bool  # the freelancer has set up payouts (else an approved release waits for them)
    client_sees: str  # what logging in as its client shows (printed with the demo logins)
    freelancer_sees: str
    end: str = ""  # "completed" or "cancelled", once the milestones stand where planned
    end_reason: str = ""
    cancel_reason: str = ""  # one of Contract.CancelReason, for end="cancelled"


def _url(path: str) -> str:
    return f"{settings.STRIPE_API_BASE}{path}"


class _Stay(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the onboarding page sends the browser back to our site: no need to follow


def _pay_with_test_card(payment_intent_id: str, client_secret: str) -> None:
    """What the card form's Stripe.js does: confirm the PaymentIntent with the card, publishable key."""
    year = datetime.date.today().year + 3
    form = {
        "client_secret": client_secret,
        "payment_method_data[type]": "card",
        "payment_method_data[card][number]": TEST_CARD,
        "payment_method_data[card][exp_month]": "12",
        "payment_method_data[card][exp_year]": str(year),
        "payment_method_data[card][cvc]": "123",
    }
    request = urllib.request.Request(  # noqa: S310 (the configured fake Stripe)
        _url(f"/v1/payment_intents/{payment_intent_id}/confirm"),
        data=urlencode(form).encode(),
        headers={"Authorization": f"Bearer {settings.STRIPE_PUBLISHABLE_KEY}"},
    )
    with urllib.request.urlopen(request, timeout=settings.STRIPE_TIMEOUT_SECONDS):  # noqa: S310
        pass


def payouts_set_up(user: User) -> bool:
    """Onboard the freelancer's Connect account on the fake, as its owner would; False when they
    could be paid already."""
    account = ConnectedAccount.objects.filter(user=user).first()
    if account is not None and account.can_receive:
        return False
    payouts_page = f"{settings.SITE_URL}/account/payouts/"
    link = payout_onboarding_link(
        user=user, country=settings.STRIPE_CONNECT_COUNTRY, return_url=payouts_page, refresh_url=payouts_page
    )
    try:
        urllib.request.build_opener(_Stay).open(link, timeout=settings.STRIPE_TIMEOUT_SECONDS)
    except urllib.error.HTTPError as answer:
        if answer.code != 302:
            raise
    connected_account_sync(account_id=ConnectedAccount.objects.get(user=user).account_id)
    return True


def send_queued(hold_id: int) -> None:
    """Send the transfers and refunds the hold's last step queued (what the task does)."""
    for transfer_id in Transfer.objects.filter(
        settlement__hold_id=hold_id, status=Transfer.Status.INTENDED
    ).values_list("pk", flat=True):
        transfer_send(transfer_id)
    for refund_id in Refund.objects.filter(
        settlement__hold_id=hold_id, status=Refund.Status.INTENDED
    ).values_list("pk", flat=True):
        refund_send(refund_id)


def _fund(contract: Contract, milestone: Milestone) -> None:
    charge = services.milestone_fund_start(acting_user=contract.client, milestone=milestone)
    _pay_with_test_card(charge.payment_intent_id, charge.client_secret)
    services.milestone_fund_confirm(
        acting_user=contract.client, milestone=milestone, payment_intent_id=charge.payment_intent_id
    )


def _step(contract: Contract, milestone: Milestone, state: str) -> None:
    """Take one milestone one step, as its client or freelancer would."""
    client, freelancer = contract.client, contract.freelancer
    if state == Status.FUNDED:
        _fund(contract, milestone)
    elif state == Status.SUBMITTED:
        services.milestone_submit(
            acting_user=freelancer,
            milestone=milestone,
            message=f"“{milestone.title}” is ready for you to review: the files are in our shared folder "
            "and the notes explain what changed.",
            files=[
                ("handover-notes.txt", f"{milestone.title}: what was done and how to check it.\n".encode())
            ],
        )
    elif state == Status.REVISION_REQUESTED:
        services.milestone_request_revision(
            acting_user=client,
            milestone=milestone,
            message="Nearly there: please add the two stores that opened in May before we approve.",
        )
    elif state == Status.APPROVED:
        services.milestone_approve(acting_user=client, milestone=milestone)
        send_queued(milestone.hold_id)
    # RELEASED follows the approval's transfer, when the freelancer can be paid (escrow's
    # release_paid signal moves the milestone).


def _refund(milestone: Milestone) -> None:
    """A cancelled contract's funded milestone, refunded. No service ages a cancellation: its dispute
    window is moved into the past, then the refund runs as the milestone sweep would."""
    Milestone.objects.filter(pk=milestone.pk).update(refund_due_at=timezone.now() - timedelta(minutes=1))
    milestone.refresh_from_db()
    services.milestone_refund(milestone=milestone)
    send_queued(milestone.hold_id)


def _contract(plan: MoneyPlan) -> Contract | None:
    return (
        Contract.objects.filter(job__title=plan.job_title, job__client__email__iendswith=f"@{DOMAIN}")
        .select_related("client", "freelancer")
        .first()
    )


def _road_left(milestone: Milestone, target: str) -> tuple[str, ...]:
    """The steps still to take towards ``target``; none if somebody took the milestone elsewhere."""
    road = ROAD[target]
    if milestone.status == Status.PENDING:
        return road
    if milestone.status in road:
        return road[road.index(milestone.status) + 1 :]
    return ()


def money_seed(plan: MoneyPlan) -> bool:
    """Move the contract's money forward to the plan; True when anything moved."""
    contract = _contract(plan)
    if contract is None or contract.status != Contract.Status.ACTIVE:
        return False  # not hired (a skipped job), or ended already: what people did stays
    moved = False
    try:
        if plan.payouts and payouts_set_up(contract.freelancer):
            moved = True
        milestones = list(contract.milestones.order_by("position"))
        for milestone, target in zip(milestones, plan.milestones, strict=True):
            for state in _road_left(milestone, target):
                _step(contract, milestone, state)
                milestone.refresh_from_db()
                moved = True
        if plan.end:
            _end(contract, plan, milestones)
            moved = True
    except DomainError as exc:
        logger.warning("Demo money of “%s” stopped: %s", plan.job_title, exc.message)
    return moved


def _end(contract: Contract, plan: MoneyPlan, milestones: list[Milestone]) -> None:
    client = contract.client
    if plan.end == "completed":
        services.contract_complete(acting_user=client, contract=contract, note=plan.end_reason)
        return
    services.contract_cancel(
        acting_user=client, contract=contract, reason=plan.end_reason, cancel_reason=plan.cancel_reason
    )
    for milestone, target in zip(milestones, plan.milestones, strict=True):
        milestone.refresh_from_db()
        if target == Status.REFUNDED and milestone.status in Milestone.REFUNDABLE:
            _refund(milestone)


# --- The plan ---------------------------------------------------------------------------------------

MONEY = [
    # Paid, waiting for the client's approval (auto-approval countdown), and funded ahead of the work.
    MoneyPlan(
        "Landing page for residential solar quotes",
        (Status.RELEASED, Status.SUBMITTED, Status.FUNDED),
        payouts=True,
        client_sees="Client (Sunbeam Solar): work to approve, a paid and a funded milestone, receipts",
        freelancer_sees="Freelancer on Sunbeam Solar's landing page: earnings paid out and held in escrow",
    ),
    # All paid out, then completed.
    MoneyPlan(
        "Brand refresh for a specialty coffee roaster",
        (Status.RELEASED, Status.RELEASED, Status.RELEASED),
        payouts=True,
        client_sees="Client (Kaya Coffee Roasters): a completed contract, all its money paid out, receipts",
        freelancer_sees="Freelancer on Kaya's brand refresh: a completed contract, three payouts",
        end="completed",
        end_reason="Delivered on time — thank you!",
    ),
    # Approved, but the release waits for the freelancer's payouts; changes asked on the next part.
    MoneyPlan(
        "Runbooks for our store systems",
        (Status.APPROVED, Status.REVISION_REQUESTED, Status.PENDING),
        payouts=False,
        client_sees="the runbooks contract: changes requested, an approved payment waiting",
        freelancer_sees="Freelancer on Northwind's runbooks: changes to make, a payment waiting for payouts",
    ),
    # One part paid, the next refunded when the client cancelled, the last never funded.
    MoneyPlan(
        "Online shop for a hand-poured candle studio",
        (Status.RELEASED, Status.REFUNDED, Status.PENDING),
        payouts=True,
        client_sees="Client (Ember & Wick candles): a cancelled contract, one part paid, one refunded",
        freelancer_sees="Freelancer on Ember & Wick's shop: a cancelled contract, one payout",
        end="cancelled",
        end_reason="We're pausing the shop until after the holidays.",
        cancel_reason=Contract.CancelReason.PLANS_CHANGED,
    ),
]


def seed_steps() -> list[Step]:
    return [Step(f"money: {plan.job_title}", lambda plan=plan: money_seed(plan)) for plan in MONEY]


def demo_counts() -> dict[str, int]:
    """The demo contracts' milestones by state, and the money that moved (for the summary and tests)."""
    milestones = Milestone.objects.filter(contract__job__client__email__iendswith=f"@{DOMAIN}")
    moved = {
        "funded milestones": milestones.exclude(hold__charges=None).distinct().count(),
        "paid": milestones.filter(status=Status.RELEASED).count(),
        "refunded": milestones.filter(status=Status.REFUNDED).count(),
    }
    return moved


def demo_logins(logins: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``logins`` (what the account shows, email) with the money story's people."""
    for plan in MONEY:
        client, freelancer = hired_people(plan.job_title)
        logins = logins_with(logins, {client: plan.client_sees, freelancer: plan.freelancer_sees})
    return logins
