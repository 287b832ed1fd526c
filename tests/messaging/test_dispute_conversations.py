"""A dispute's conversation: it opens with the dispute (after the service commits), its readers are
the contract conversation's people plus every support user, support staff read and post there, and
the rows follow support staff being added or removed and members changing role."""

import pytest

from marketplace.contracts.models import Milestone
from marketplace.core.money import Money
from marketplace.disputes.services import dispute_assign, dispute_open
from marketplace.organisations.models import Role
from marketplace.organisations.services.organisations import member_role_change
from messaging.models import Conversation, Participant
from messaging.selectors.conversations import conversations_of, dispute_conversation_for, messages_page
from messaging.services.conversations import conversation_for_dispute
from messaging.services.messages import message_post
from tests.escrow.builders import fund_milestone
from tests.factories import make_user
from tests.messaging.conversation_cast import build_cast

pytestmark = pytest.mark.django_db


def readers(conversation: Conversation) -> dict[int, str]:
    rows = Participant.objects.filter(conversation=conversation, removed_at__isnull=True)
    return dict(rows.values_list("user_id", "side"))


@pytest.fixture
def case(django_capture_on_commit_callbacks):
    cast = build_cast()
    cast.support = make_user(is_support=True, full_name="Sue Support")
    milestone = Milestone.objects.select_related("contract").filter(contract=cast.contract).first()
    fund_milestone(milestone)
    milestone.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        cast.dispute = dispute_open(
            acting_user=cast.freelancer,
            milestone=milestone,
            reason="not_approved",
            description="The work was handed in and never answered.",
            amount=Money(milestone.amount_minor, cast.contract.currency),
        )
    return cast


def test_opening_a_dispute_opens_its_conversation_for_both_sides_and_support(case):
    conversation = Conversation.objects.get(dispute=case.dispute)
    assert conversation.kind == Conversation.Kind.DISPUTE
    assert conversation.title.startswith("Dispute: ")
    contract_readers = readers(case.contract_conversation())
    assert readers(conversation) == {**contract_readers, case.support.pk: Participant.Side.SUPPORT}
    assert case.outsider.pk not in readers(conversation)
    assert Role.VIEWER not in {role for role, user in case.roles.items() if user.pk in readers(conversation)}
    for user in (case.freelancer, case.roles[Role.OWNER], case.support):
        assert dispute_conversation_for(user, case.dispute) == conversation
    for user in (case.outsider, case.roles[Role.VIEWER], make_user(staff=True)):
        assert dispute_conversation_for(user, case.dispute) is None


def test_without_the_commit_no_conversation_opens(django_capture_on_commit_callbacks):
    cast = build_cast()
    milestone = cast.contract.milestones.select_related("contract").first()
    fund_milestone(milestone)
    milestone.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=False):
        dispute_open(
            acting_user=cast.freelancer,
            milestone=milestone,
            reason="other",
            description="Something else went wrong here.",
            amount=Money(1_000, cast.contract.currency),
        )
    assert not Conversation.objects.filter(kind=Conversation.Kind.DISPUTE).exists()


def test_support_posts_to_both_sides_and_contact_details_are_not_flagged(case):
    conversation = dispute_conversation_for(case.support, case.dispute)
    message = message_post(
        acting_user=case.support,
        conversation_id=conversation.pk,
        body="Hello both: please send the delivery, and mail me at sue@example.com if it is large.",
    )
    assert message.contact_flags == []  # a contract exists: no off-platform contact check
    for user in (case.freelancer, case.roles[Role.OWNER]):
        assert [m.pk for m in messages_page(user, conversation)] == [message.pk]
        assert Participant.objects.get(conversation=conversation, user=user).unread == 1
    reply = message_post(acting_user=case.freelancer, conversation_id=conversation.pk, body="Sent, thanks.")
    assert messages_page(case.support, conversation)[0] == reply


def test_support_staff_made_later_read_it_and_former_staff_do_not(case, django_capture_on_commit_callbacks):
    conversation = Conversation.objects.get(dispute=case.dispute)
    with django_capture_on_commit_callbacks(execute=True):
        newcomer = make_user(is_support=True, full_name="Nia New")
        promoted = make_user(full_name="Pat Promoted")
        promoted.is_support = True
        promoted.save()
    assert dispute_conversation_for(newcomer, case.dispute) == conversation
    assert dispute_conversation_for(promoted, case.dispute) == conversation
    with django_capture_on_commit_callbacks(execute=True):
        promoted.is_support = False
        promoted.save(update_fields=["is_support"])
    assert dispute_conversation_for(promoted, case.dispute) is None
    assert not conversations_of(promoted).exists()


def test_a_support_flag_set_without_a_signal_is_caught_up_by_the_next_step(
    case, django_capture_on_commit_callbacks
):
    """``update()`` sends no ``post_save``: assigning the case (a dispute step) re-derives the rows."""
    late = make_user(full_name="Lee Late")
    type(late).objects.filter(pk=late.pk).update(is_support=True)
    late.refresh_from_db()
    assert dispute_conversation_for(late, case.dispute) is None
    with django_capture_on_commit_callbacks(execute=True):
        dispute_assign(acting_user=case.support, dispute=case.dispute, assignee=late)
    assert dispute_conversation_for(late, case.dispute) is not None


def test_a_member_whose_role_changes_follows_the_contract_rules(case, django_capture_on_commit_callbacks):
    conversation = conversation_for_dispute(case.dispute)
    viewer = case.roles[Role.VIEWER]
    owner = case.roles[Role.OWNER]
    membership = case.contract.organisation.memberships.get(user=viewer)
    with django_capture_on_commit_callbacks(execute=True):
        member_role_change(
            acting_user=owner,
            organisation=case.contract.organisation,
            membership_id=membership.pk,
            role=Role.FINANCE,
        )
    assert readers(conversation)[viewer.pk] == Participant.Side.CLIENT
    with django_capture_on_commit_callbacks(execute=True):
        member_role_change(
            acting_user=owner,
            organisation=case.contract.organisation,
            membership_id=membership.pk,
            role=Role.VIEWER,
        )
    assert viewer.pk not in readers(conversation)


def test_the_inbox_links_it_to_the_dispute_page_and_supports_to_the_case(case, client):
    conversation = Conversation.objects.get(dispute=case.dispute)
    url = f"/messages/{conversation.pk}/"
    client.force_login(case.freelancer)
    html = client.get(url).content.decode()
    assert f'<a href="/disputes/{case.dispute.pk}/">Open the dispute</a>' in html
    client.force_login(case.support)
    inbox = client.get("/messages/").content.decode()
    assert conversation.title in inbox
    assert (
        f'<a href="/support/disputes/{case.dispute.pk}/">Open the case</a>'
        in client.get(url).content.decode()
    )
