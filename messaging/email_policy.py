"""Which notification emails go out at once, which wait for a digest, and how people group them
when they choose what to receive: the one place that decides it.

PRODUCT.md: offers and money events are emailed at once; everything else (and unread messages)
only if still unread after ``DIGEST_DELAY_MINUTES`` with no open page in that time, batched into
at most one digest per ``DIGEST_MIN_INTERVAL_MINUTES``. A group's delivery follows from that, so a
person's choice is per group: email on or off (default on). "Work submitted" is a money event: the
client's approval, or their silence until ``MILESTONE_AUTO_APPROVE_DAYS``, releases the payment.
So are a dispute's steps that need an answer or move money (opened, an offer, settled or decided,
a case for support staff); its other steps go with contracts, in the digest. A reminder to review
an ended contract goes at once too (it has a deadline: the review window closes); the rest of
reviews (published, replied to, removed by moderation) waits for the digest, and so do the new
jobs of a saved search (an alert, not an answer anyone waits for). A talent pool membership let in,
suspended or removed, and a reminder before a credential or an override lapses, go at once (work
stops or starts on them); a pool's other news (steps of vetting, override decisions, and for its
managers members to review and the expiry sweep's doings) waits for the digest.

allauth's account emails (verification, password, two-factor) and organisation invitations are not
notifications and are not governed here: nobody can switch them off.
"""

from dataclasses import dataclass

from .models.notifications import Notification

Kind = Notification.Kind


@dataclass(frozen=True)
class EmailGroup:
    key: str  # the EmailPreference field, the API's name and the unsubscribe link's group
    label: str
    help: str
    at_once: bool
    kinds: frozenset[str]


GROUPS: tuple[EmailGroup, ...] = (
    EmailGroup(
        "offers",
        "Offers",
        "An offer for you, the answer to yours, an offer withdrawn or expired. Sent at once.",
        True,
        frozenset(
            {
                Kind.OFFER_RECEIVED,
                Kind.OFFER_ACCEPTED,
                Kind.OFFER_DECLINED,
                Kind.OFFER_WITHDRAWN,
                Kind.OFFER_EXPIRED,
            }
        ),
    ),
    EmailGroup(
        "money",
        "Money",
        "A milestone funded, work waiting for your approval, an hourly week charged (or its charge "
        "failed), payments, payouts and refunds; a dispute "
        "opened on your money, a settlement offered to you, a dispute settled or decided (and for support "
        "staff, a case to decide). Sent at once.",
        True,
        frozenset(
            {
                Kind.MILESTONE_FUNDED,
                Kind.MILESTONE_SUBMITTED,
                Kind.PAYMENT_SENT,
                Kind.PAYOUT_WAITING,
                Kind.REFUND_SENT,
                Kind.WEEK_CHARGED,
                Kind.WEEK_PAYMENT_FAILED,
                Kind.WEEK_PAID,
                Kind.DISPUTE_OPENED,
                Kind.DISPUTE_OFFER,
                Kind.DISPUTE_RESOLVED,
                Kind.DISPUTE_CASE,
            }
        ),
    ),
    EmailGroup(
        "messages",
        "Messages",
        "Messages you have not read, in the digest.",
        False,
        frozenset(),
    ),
    EmailGroup(
        "proposals",
        "Proposals and invitations",
        "Proposals on your jobs, invitations to propose, your proposals shortlisted or declined. "
        "In the digest.",
        False,
        frozenset(
            {
                Kind.JOB_INVITATION,
                Kind.JOB_INVITATION_WITHDRAWN,
                Kind.PROPOSAL_RECEIVED,
                Kind.PROPOSAL_SHORTLISTED,
                Kind.PROPOSAL_DECLINED,
            }
        ),
    ),
    EmailGroup(
        "contracts",
        "Contracts and work",
        "Contracts started, completed or cancelled; changes requested; work approved; a dispute's other "
        "steps (a response, evidence, escalation to support, a withdrawal). In the digest.",
        False,
        frozenset(
            {
                Kind.CONTRACT_STARTED,
                Kind.CONTRACT_COMPLETED,
                Kind.CONTRACT_CANCELLED,
                Kind.MILESTONE_REVISION,
                Kind.MILESTONE_APPROVED,
                Kind.DISPUTE_ACTIVITY,
            }
        ),
    ),
    EmailGroup(
        "jobs",
        "Your jobs",
        "A job about to expire, or expired. In the digest.",
        False,
        frozenset({Kind.JOB_EXPIRING, Kind.JOB_EXPIRED}),
    ),
    EmailGroup(
        "review_reminders",
        "Review reminders",
        "A reminder to review a contract that ended, with the days left to do it. Sent at once.",
        True,
        frozenset({Kind.REVIEW_REMINDER}),
    ),
    EmailGroup(
        "reviews",
        "Reviews",
        "The reviews of a contract published, a reply to your review, a review removed by moderation. "
        "In the digest.",
        False,
        frozenset({Kind.REVIEWS_REVEALED, Kind.REVIEW_REPLIED, Kind.REVIEW_REMOVED}),
    ),
    EmailGroup(
        "saved_searches",
        "Saved searches",
        "New jobs matching a saved search whose alerts are on. In the digest.",
        False,
        frozenset({Kind.SAVED_SEARCH_MATCH}),
    ),
    EmailGroup(
        "pools",
        "Talent pools",
        "Your membership of an organisation's talent pool let in, suspended or removed; a reminder "
        "before a credential or an override you hold expires. Sent at once.",
        True,
        frozenset({Kind.POOL_ACTIVE, Kind.POOL_SUSPENDED, Kind.POOL_REMOVED, Kind.POOL_EXPIRY_REMINDER}),
    ),
    EmailGroup(
        "pool_updates",
        "Talent pool updates",
        "Invitations to pools, the steps of your vetting, override decisions; for pool managers, members "
        "to review, overrides asked for, credentials uploaded or expiring, members the rules flagged, "
        "suspended or removed. In the digest.",
        False,
        frozenset(
            {
                Kind.POOL_INVITED,
                Kind.POOL_MEMBERSHIP,
                Kind.POOL_OVERRIDE,
                Kind.POOL_REVIEW,
                Kind.POOL_ENFORCED,
                Kind.POOL_EXPIRING,
            }
        ),
    ),
)

GROUP_BY_KEY = {group.key: group for group in GROUPS}
GROUP_KEYS = tuple(GROUP_BY_KEY)
GROUP_OF_KIND = {kind: group for group in GROUPS for kind in group.kinds}
MESSAGES = "messages"
# The digest's unsubscribe link: every group the digest carries, turned off at once.
DIGEST = "digest"
DIGEST_GROUPS = tuple(group.key for group in GROUPS if not group.at_once)
AT_ONCE_KINDS = frozenset(kind for group in GROUPS if group.at_once for kind in group.kinds)
DIGEST_KINDS = frozenset(kind for group in GROUPS if not group.at_once for kind in group.kinds)


def groups_of_link(key: str) -> tuple[str, ...]:
    """The preference fields an unsubscribe link's group stands for (empty: no such group)."""
    if key == DIGEST:
        return DIGEST_GROUPS
    return (key,) if key in GROUP_BY_KEY else ()
