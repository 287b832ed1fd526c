"""Demo reviews for ``manage.py seed_demo``, after the money demo has ended its contracts: on the
completed contract both sides review each other (so both reviews are published, and the freelancer
replies to theirs) and the client reports the freelancer's review to staff; on the cancelled one,
with one part paid, only the freelancer has reviewed, so the review stays hidden and the client has a
review waiting. Then every demo person's reputation is computed.

Reviews are written through ``review_submit`` as their authors, so the double-blind reveal, the
reply and the report are the product's own. A side that has reviewed already is left alone, so a
second run adds nothing and what people did in the demo stays.
"""

from dataclasses import dataclass

from django.db import transaction

from marketplace.contracts.models import Contract
from reviews.models import Review
from reviews.services import reputation_recompute_all, review_reply, review_report, review_submit

from .accounts import DOMAIN, STAFF_EMAIL, Step, logins_with
from .jobs import hired_people

Direction = Review.Direction


@dataclass(frozen=True)
class ReviewPlan:
    """One side's review of a demo contract (found by its job's title), with what follows it."""

    job_title: str
    direction: str
    overall: int
    sub_scores: dict
    text: str
    would_hire_again: bool | None = None
    private_note: str = ""
    reply: str = ""  # the reviewee's public reply, once published
    report: tuple[str, str] | None = None  # the reviewee's report to staff: (reason, details)


BRAND = "Brand refresh for a specialty coffee roaster"
SHOP = "Online shop for a hand-poured candle studio"
REVIEWS = [
    ReviewPlan(
        BRAND,
        Direction.OF_FREELANCER,
        5,
        {"quality": 5, "communication": 5, "expertise": 5, "deadlines": 4},
        "The new logo and bags look like us, only better. Clear drafts, quick answers and every file "
        "we needed for the printer. The packaging took a week longer than planned, for good reasons.",
        would_hire_again=True,
        private_note="We'd hire them again for the café signage next spring.",
        reply="Thank you! It was a pleasure to work on a brand with this much history.",
    ),
    ReviewPlan(
        BRAND,
        Direction.OF_CLIENT,
        3,
        {"clarity": 3, "communication": 3, "payment_promptness": 5},
        "Paid every milestone on time. The brief changed twice after the first drafts, and feedback "
        "rounds took a week or more, which stretched the schedule.",
        report=(
            "false",
            "The brief never changed: we only asked for the colours we agreed in the kickoff call, "
            "and we answered every draft within three days (see the contract's messages).",
        ),
    ),
    ReviewPlan(
        SHOP,
        Direction.OF_CLIENT,
        4,
        {"clarity": 4, "communication": 4, "payment_promptness": 5},
        "A clear brief and friendly feedback. The shop was paused for the holidays, which was fair "
        "and kindly explained; the first part was paid at once.",
        private_note="Happy to continue in January if they come back to it.",
    ),
]


def _contract(plan: ReviewPlan) -> Contract | None:
    return (
        Contract.objects.filter(job__title=plan.job_title, job__client__email__iendswith=f"@{DOMAIN}")
        .select_related("client", "freelancer")
        .first()
    )


def _follow_up(contract: Contract, plan: ReviewPlan) -> None:
    """The reviewee's reply to the plan's (now published) review, and their report of it."""
    review = Review.objects.get(contract=contract, direction=plan.direction)
    reviewee = contract.freelancer if plan.direction == Direction.OF_FREELANCER else contract.client
    if plan.reply:
        review_reply(acting_user=reviewee, review=review, text=plan.reply)
    if plan.report:
        reason, details = plan.report
        review_report(acting_user=reviewee, review=review, reason=reason, details=details)


@transaction.atomic
def review_seed(plan: ReviewPlan) -> bool:
    """Write the plan's review; True when it did. The second side's review publishes both, and then
    the replies and reports of both follow. A contract the demo did not end (no money without the
    fake Stripe) is skipped."""
    contract = _contract(plan)
    if contract is None or contract.status not in Contract.TERMINAL:
        return False
    if Review.objects.filter(contract=contract, direction=plan.direction).exists():
        return False
    client_side = plan.direction == Direction.OF_FREELANCER
    review = review_submit(
        acting_user=contract.client if client_side else contract.freelancer,
        contract=contract,
        overall=plan.overall,
        text=plan.text,
        sub_scores=plan.sub_scores,
        would_hire_again=plan.would_hire_again,
        private_note=plan.private_note,
    )
    if review.revealed_at is not None:
        for published in (one for one in REVIEWS if one.job_title == plan.job_title):
            _follow_up(contract, published)
    return True


# What logging in shows of the reviews: (the client's, the freelancer's) per contract, and staff's.
SEES = {
    BRAND: ("reviews published both ways, one reported to staff", "reviews published both ways, a reply"),
    SHOP: ("a review waiting for you", "your review, hidden until the client's or the window's end"),
}
STAFF_SEES = "a reported review (/staff/reviews/)"


def demo_logins(logins: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``logins`` (what the account shows, email) with what the review story shows its people."""
    logins = logins_with(logins, {STAFF_EMAIL: STAFF_SEES})
    for job_title, (client_sees, freelancer_sees) in SEES.items():
        client, freelancer = hired_people(job_title)
        logins = logins_with(logins, {client: client_sees, freelancer: freelancer_sees})
    return logins


def reputation_seed() -> bool:
    """Everyone's reputation as the nightly task would compute it (the demo's reviews are new)."""
    reputation_recompute_all()
    return False


def seed_steps() -> list[Step]:
    steps = [
        Step(f"review: {plan.job_title} ({plan.direction})", lambda plan=plan: review_seed(plan))
        for plan in REVIEWS
    ]
    return [*steps, Step("reputation", reputation_seed)]
