"""Who hears of each step of a dispute, in which words, and by which road: the steps that need an
answer or move money are emailed at once, the others wait for the digest; nobody outside the
dispute (the other organisation, a freelancer with no tie, a member whose role does not act on the
contract) hears anything. Real disputes services, their real events, after commit."""

import pytest

from marketplace.contracts.models import Milestone
from marketplace.core.money import Money
from marketplace.disputes import services
from marketplace.organisations.models import Role
from messaging.email_policy import AT_ONCE_KINDS
from messaging.models import Notification
from tests.escrow.builders import fund_milestone
from tests.factories import make_organisation, make_user
from tests.messaging.conversation_cast import build_cast

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


@pytest.fixture
def story(django_capture_on_commit_callbacks, mailoutbox):
    cast = build_cast()
    cast.support = make_user(is_support=True, full_name="Sue Support")
    cast.other_support = make_user(is_support=True, full_name="Sid Support")
    cast.other_org_owner = make_organisation(name="Beta").memberships.get().user
    milestone = Milestone.objects.select_related("contract").filter(contract=cast.contract).first()
    fund_milestone(milestone)
    milestone.refresh_from_db()
    cast.milestone = milestone
    cast.capture = django_capture_on_commit_callbacks
    cast.outbox = mailoutbox
    return cast


def client_side(cast) -> set[int]:
    """The contract's client (the hiring manager who posted it) and the roles that act on it."""
    return {cast.roles[role].pk for role in (Role.OWNER, Role.HIRING_MANAGER, Role.FINANCE)}


def step(cast, service, **kwargs):
    """Run one step; what of the dispute it notified (recipient id → (kind, title, body)) and who
    was emailed about it (a decision's money has its own notifications too: payout waiting)."""
    before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    mails = len(cast.outbox)
    with cast.capture(execute=True):
        result = service(**kwargs)
    notifications = Notification.objects.filter(pk__gt=before, kind__startswith="dispute_")
    told = {n.recipient_id: (n.kind, n.title, n.body) for n in notifications}
    titles = {title for _, title, _ in told.values()}
    emailed = {m.to[0] for m in cast.outbox[mails:] if any(m.subject.endswith(t) for t in titles)}
    return result, told, emailed


def emails(users) -> set[str]:
    return {user.email for user in users}


def test_every_step_tells_the_right_people(story):
    nobody = {
        story.outsider.pk,
        story.other_org_owner.pk,
        story.roles[Role.VIEWER].pk,
        story.roles[Role.ADMIN].pk,
    }
    owner, finance = story.roles[Role.OWNER], story.roles[Role.FINANCE]
    amount = story.milestone.amount_minor

    dispute, told, emailed = step(
        story,
        services.dispute_open,
        acting_user=story.freelancer,
        milestone=story.milestone,
        reason="not_approved",
        description="Handed in, never answered.",
        amount=Money(amount, story.contract.currency),
    )
    assert set(told) == client_side(story)
    kind, title, _ = told[owner.pk]
    assert kind == Kind.DISPUTE_OPENED
    assert title.startswith(f"Ana Costa opened a dispute on milestone “{story.milestone.title}”: respond by ")
    assert emailed == emails(story.roles[r] for r in (Role.OWNER, Role.HIRING_MANAGER, Role.FINANCE))

    _, told, emailed = step(
        story, services.dispute_respond, acting_user=owner, dispute=dispute, response="It was late and wrong."
    )
    assert set(told) == {story.freelancer.pk}
    assert told[story.freelancer.pk][0] == Kind.DISPUTE_ACTIVITY
    assert emailed == set()  # the digest's

    offer, told, emailed = step(
        story,
        services.offer_propose,
        acting_user=story.freelancer,
        dispute=dispute,
        release=Money(amount - 10_000, story.contract.currency),
        refund=Money(10_000, story.contract.currency),
    )
    assert set(told) == client_side(story)
    assert {kind for kind, _, _ in told.values()} == {Kind.DISPUTE_OFFER}
    assert len(emailed) == 3

    _, told, _ = step(story, services.offer_decline, acting_user=finance, offer=offer)
    assert set(told) == {story.freelancer.pk}

    step(story, services.dispute_ask_support, acting_user=story.freelancer, dispute=dispute)
    dispute, told, emailed = step(story, services.dispute_ask_support, acting_user=owner, dispute=dispute)
    dispute.refresh_from_db()
    assert dispute.status == "escalated"
    support = {story.support.pk, story.other_support.pk}
    assert {r for r, (kind, _, _) in told.items() if kind == Kind.DISPUTE_CASE} == support
    parties = {r for r, (kind, _, _) in told.items() if kind == Kind.DISPUTE_ACTIVITY}
    assert parties >= (client_side(story) - {owner.pk}) | {story.freelancer.pk}
    assert emails([story.support]) <= emailed

    _, told, emailed = step(
        story,
        services.dispute_assign,
        acting_user=story.support,
        dispute=dispute,
        assignee=story.other_support,
    )
    assert told.keys() == {story.other_support.pk}
    assert emailed == {story.other_support.email}

    _, told, emailed = step(
        story,
        services.dispute_decide,
        acting_user=story.other_support,
        dispute=dispute,
        outcome="split",
        release=Money(amount - 15_000, story.contract.currency),
        refund=Money(15_000, story.contract.currency),
        reason="Half the work was usable.",
    )
    assert set(told) == client_side(story) | {story.freelancer.pk}
    kind, title, body = told[story.freelancer.pk]
    assert kind == Kind.DISPUTE_RESOLVED
    assert "decided" in title
    assert body.startswith("Ana Costa receives $")
    assert "Acme Robotics gets $" in body
    assert len(emailed) == 4

    assert not Notification.objects.filter(recipient_id__in=nobody).exists()


def test_withdrawing_tells_both_sides_but_the_opener(story):
    owner = story.roles[Role.OWNER]
    dispute, _, _ = step(
        story,
        services.dispute_open,
        acting_user=owner,
        milestone=story.milestone,
        reason="quality",
        description="Not what we agreed.",
        amount=Money(5_000, story.contract.currency),
    )
    assert Notification.objects.get(recipient=story.freelancer).kind == Kind.DISPUTE_OPENED
    _, told, emailed = step(
        story, services.dispute_withdraw, acting_user=owner, dispute=dispute, reason="Sorted."
    )
    assert set(told) == (client_side(story) - {owner.pk}) | {story.freelancer.pk}
    assert {kind for kind, _, _ in told.values()} == {Kind.DISPUTE_ACTIVITY}
    assert emailed == set()


def test_the_email_policy_sends_answers_and_money_at_once():
    assert {
        Kind.DISPUTE_OPENED,
        Kind.DISPUTE_OFFER,
        Kind.DISPUTE_RESOLVED,
        Kind.DISPUTE_CASE,
    } <= AT_ONCE_KINDS
    assert Kind.DISPUTE_ACTIVITY not in AT_ONCE_KINDS
