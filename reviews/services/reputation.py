"""Reputation recomputed from the rows: a freelancer's job success score and rating
(``FreelancerReputation``), a client's scorecard (``ClientScorecard``; a person hiring alone, or an
organisation). The arithmetic is ``reviews.reputation``; here the facts are read, a bounded number
of queries whatever the number of contracts, and the results saved.

Recomputed after commit when something it reads changes (``reviews.receivers_reputation``: a
contract ended, a milestone's money reached an ended contract's freelancer, a dispute was decided
or settled, reviews were published or one removed) and nightly for everyone
(``reputation_recompute_all``: contracts age out of the period with nobody doing anything).
"""

from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from marketplace.accounts.models import ClientScorecard, FreelancerReputation, User
from marketplace.contracts.models import Contract, Milestone
from marketplace.disputes.models import Dispute
from marketplace.jobs.models import Job
from marketplace.organisations.models import Organisation

from ..models import Review
from ..reputation import jss, scorecard
from ..selectors.reviews import PAID

# A dispute the freelancer lost: decided by support with more refunded than released (a chargeback
# is the card's bank's decision, not a judgement of the work).
DISPUTE_LOST = Q(
    status=Dispute.Status.DECIDED,
    kind__in=(Dispute.Kind.MILESTONE, Dispute.Kind.CANCELLATION),
    refunded_minor__gt=F("released_minor"),
)


def _ended_contracts(user: User, since) -> list[jss.EndedContract]:
    """The freelancer's contracts ended since ``since``, with what classifies them: one query."""
    milestones = Milestone.objects.filter(contract=OuterRef("pk"))
    client_review = Review.objects.published().filter(
        contract=OuterRef("pk"), direction=Review.Direction.OF_FREELANCER
    )
    rows = (
        Contract.objects.filter(freelancer=user, status__in=Contract.TERMINAL, ended_at__gte=since)
        .annotate(
            funded=Exists(milestones.filter(funded_at__isnull=False)),
            released=Exists(milestones.filter(status__in=PAID)),
            dispute_lost=Exists(Dispute.objects.filter(DISPUTE_LOST, contract=OuterRef("pk"))),
            client_rating=Subquery(client_review.values("overall")[:1]),
        )
        .values_list(
            "ended_at",
            "amount_minor",
            "currency",
            "status",
            "ended_by_id",
            "cancel_reason",
            "funded",
            "released",
            "dispute_lost",
            "client_rating",
        )
    )
    return [
        jss.EndedContract(
            ended_at=ended_at,
            amount_minor=amount_minor,
            currency=currency,
            completed=status == Contract.Status.COMPLETED,
            cancelled_by_client=status == Contract.Status.CANCELLED and ended_by_id != user.pk,
            not_delivered=cancel_reason == Contract.CancelReason.NOT_DELIVERED,
            funded=funded,
            released=released,
            dispute_lost=dispute_lost,
            client_rating=client_rating,
        )
        for (
            ended_at,
            amount_minor,
            currency,
            status,
            ended_by_id,
            cancel_reason,
            funded,
            released,
            dispute_lost,
            client_rating,
        ) in rows
    ]


def _stars(reviews) -> dict:
    """The mean overall stars (two decimals) and the count of these published reviews: one query."""
    totals = reviews.aggregate(total=Sum("overall"), count=Count("pk"))
    return {
        "avg": scorecard.mean_stars(totals["total"] or 0, totals["count"]),
        "count": totals["count"],
    }


@transaction.atomic
def freelancer_reputation_recompute(user: User) -> FreelancerReputation:
    """The freelancer's job success score over the period and rating over all time (four queries,
    however many contracts and reviews)."""
    now = timezone.now()
    rules = jss.Rules.from_settings()
    since = jss.months_before(now, max(rules.period_months, rules.long_period_months))
    result = jss.job_success(_ended_contracts(user, since), now=now, rules=rules)
    rating = _stars(
        Review.objects.published().filter(reviewee=user, direction=Review.Direction.OF_FREELANCER)
    )
    reputation, _ = FreelancerReputation.objects.update_or_create(
        user=user,
        defaults={
            "rating_avg": rating["avg"],
            "rating_count": rating["count"],
            "job_success_score": result.score,
            "period_months": result.period_months,
            "ended_contracts": result.ended,
            "good_contracts": result.good,
            "bad_contracts": result.bad,
            "neutral_contracts": result.neutral,
            "good_weight": result.good_weight,
            "total_weight": result.total_weight,
            "computed_at": now,
        },
    )
    return reputation


def _client_side(prefix: str, user: User | None, organisation: Organisation | None) -> Q:
    """Rows (``prefix`` leads to a job or contract) of this client: the organisation's, or the
    person's own hiring outside any organisation."""
    if organisation is not None:
        return Q(**{f"{prefix}organisation": organisation})
    return Q(**{f"{prefix}client": user, f"{prefix}organisation__isnull": True})


def _owner(user: User | None, organisation: Organisation | None) -> dict:
    if (user is None) == (organisation is None):
        raise TypeError("A scorecard is of a user or of an organisation: give exactly one.")
    return {"organisation": organisation} if organisation is not None else {"user": user}


@transaction.atomic
def client_scorecard_recompute(
    *, user: User | None = None, organisation: Organisation | None = None
) -> ClientScorecard:
    """The scorecard of a person hiring alone (``user``: their jobs and contracts outside any
    organisation) or of an organisation (seven queries, however many jobs and contracts)."""
    owner = _owner(user, organisation)
    jobs = Job.objects.filter(_client_side("", user, organisation)).exclude(status=Job.Status.DRAFT)
    hiring = jobs.aggregate(
        posted=Count("pk"), hired=Count("pk", filter=Exists(Contract.objects.filter(job=OuterRef("pk"))))
    )
    times = [
        scorecard.MilestoneTimes(*row)
        for row in Milestone.objects.filter(_client_side("contract__", user, organisation)).values_list(
            "contract_id", "position", "contract__started_at", "funded_at", "submitted_at", "approved_at"
        )
    ]
    given = _stars(
        Review.objects.published().filter(
            _client_side("contract__", user, organisation), direction=Review.Direction.OF_FREELANCER
        )
    )
    received = Review.objects.published().filter(direction=Review.Direction.OF_CLIENT)
    received = (
        received.filter(organisation=organisation)
        if organisation is not None
        else received.filter(reviewee=user, organisation__isnull=True)
    )
    rating = _stars(received)
    disputes = Dispute.objects.filter(
        _client_side("contract__", user, organisation), opened_by_side=Dispute.Side.CLIENT
    ).count()
    card, _ = ClientScorecard.objects.update_or_create(
        **owner,
        defaults={
            "jobs_posted": hiring["posted"],
            "jobs_hired": hiring["hired"],
            "avg_days_to_approve": scorecard.mean_days(scorecard.approval_times(times)),
            "avg_days_to_pay": scorecard.mean_days(scorecard.funding_times(times)),
            "avg_rating_given": given["avg"],
            "ratings_given": given["count"],
            "rating_avg": rating["avg"],
            "rating_count": rating["count"],
            "disputes_opened": disputes,
            "computed_at": timezone.now(),
        },
    )
    return card


def reputation_recompute_for_contract(contract: Contract) -> None:
    """Both parties of the contract: the freelancer's reputation and the client's scorecard."""
    freelancer_reputation_recompute(contract.freelancer)
    if contract.organisation_id is not None:
        client_scorecard_recompute(organisation=contract.organisation)
    else:
        client_scorecard_recompute(user=contract.client)


def reputation_recompute_all() -> int:
    """Every freelancer with an ended contract or a reputation already, and every client (person or
    organisation) that posted a job or has a scorecard already; each in its own transaction. Returns
    how many rows were recomputed."""
    ended = Contract.objects.filter(status__in=Contract.TERMINAL)
    freelancers = User.objects.filter(
        Q(pk__in=ended.values("freelancer_id")) | Q(pk__in=FreelancerReputation.objects.values("user_id"))
    )
    posted = Job.objects.exclude(status=Job.Status.DRAFT)
    people = User.objects.filter(
        Q(pk__in=posted.filter(organisation__isnull=True).values("client_id"))
        | Q(pk__in=ClientScorecard.objects.filter(user__isnull=False).values("user_id"))
    )
    organisations = Organisation.objects.filter(
        Q(pk__in=posted.values("organisation_id"))
        | Q(pk__in=ClientScorecard.objects.filter(organisation__isnull=False).values("organisation_id"))
    )
    done = 0
    for freelancer in freelancers.order_by("pk").iterator():
        freelancer_reputation_recompute(freelancer)
        done += 1
    for person in people.order_by("pk").iterator():
        client_scorecard_recompute(user=person)
        done += 1
    for organisation in organisations.order_by("pk").iterator():
        client_scorecard_recompute(organisation=organisation)
        done += 1
    return done
