"""Who hears of reviews, in which words, and by which road: a reminder goes to the side that has not
reviewed, emailed at once with the days left and the form's link; a reveal, a reply and a removal wait
for the digest. Whoever acted is never told; a member whose role does not hire (and anyone outside the
contract) hears nothing. Real reviews services, their real events, after commit."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse

from marketplace.accounts.models import User
from marketplace.organisations.models import Role
from messaging.email_policy import AT_ONCE_KINDS, DIGEST_KINDS, GROUP_OF_KIND
from messaging.models import EmailPreference, Notification
from reviews import services
from reviews.models import ReviewReport
from tests.factories import make_freelancer, make_user
from tests.messaging.digest_world import START, run_task
from tests.reviews.cast import CLIENT, Cast, build_cast
from tests.reviews.world import review_by_client, review_by_freelancer

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


@pytest.fixture
def story(django_capture_on_commit_callbacks):
    """The cast's ended contract (tests/reviews/cast.py), an outsider and a staff moderator; the clock
    stands still from the contract's end."""
    with time_machine.travel(START, tick=False) as clock:
        yield Story(
            build_cast(django_capture_on_commit_callbacks),
            outsider=make_freelancer(full_name="Olga Outside"),
            staff=make_user(staff=True, full_name="Sam Staff"),
            clock=clock,
            capture=django_capture_on_commit_callbacks,
        )


@dataclass
class Story:
    cast: Cast
    outsider: User
    staff: User
    clock: object
    capture: object

    @property
    def contract(self):
        return self.cast.contract

    @property
    def roles(self) -> dict[str, User]:
        return self.cast.roles

    @property
    def freelancer(self) -> User:
        return self.cast.freelancer

    @property
    def client_side(self) -> set[int]:
        return {user.pk for user in self.cast.side(CLIENT)}

    @property
    def nobody(self) -> set[int]:
        return {self.roles[role].pk for role in (Role.ADMIN, Role.FINANCE, Role.VIEWER)} | {
            self.outsider.pk,
            self.staff.pk,
        }

    def act(self, action, *args, **kwargs):
        """Run one action, its events and their side effects after commit; what it notified
        (recipient id → notification) and who was emailed at once."""
        before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        mails = len(mail.outbox)
        with self.capture(execute=True):
            result = action(*args, **kwargs)
        told = {n.recipient_id: n for n in Notification.objects.filter(pk__gt=before)}
        assert len(told) == Notification.objects.filter(pk__gt=before).count()  # one each
        return result, told, mail.outbox[mails:]

    def windows_due(self):
        return self.act(services.review_windows_due)


def _day(story, n: int) -> None:
    story.clock.move_to(story.contract.ended_at + timedelta(days=n, hours=1))


def test_the_day_3_reminder_tells_each_side_that_may_review_at_once_with_the_days_left(story):
    _day(story, 3)
    _, told, emails = story.windows_due()
    assert set(told) == story.client_side | {story.freelancer.pk}
    assert {n.kind for n in told.values()} == {Kind.REVIEW_REMINDER}
    review_url = reverse("frontend:contract_review", args=[story.contract.pk])
    assert {n.url for n in told.values()} == {review_url}
    assert told[story.freelancer.pk].title == "Review Acme Robotics for “Arm build”: 11 days left"
    assert told[story.roles[Role.OWNER].pk].title == "Review Ana Costa for “Arm build”: 11 days left"

    assert sorted(email.to[0] for email in emails) == sorted(
        [story.freelancer.email, story.roles[Role.OWNER].email, story.roles[Role.HIRING_MANAGER].email]
    )
    [email] = [email for email in emails if email.to == [story.freelancer.email]]
    assert email.subject.endswith("Review Acme Robotics for “Arm build”: 11 days left")
    assert "You have 11 days left to review Acme Robotics" in email.body
    assert f"{settings.SITE_URL}{review_url}" in email.body
    assert "Stop emails about review reminders:" in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert not Notification.objects.filter(recipient_id__in=story.nobody).exists()

    _, told, emails = story.windows_due()  # the same day again: nothing twice
    assert (told, emails) == ({}, [])


def test_the_day_10_reminder_skips_the_side_that_reviewed_and_says_nothing_of_it(story):
    _day(story, 3)
    story.windows_due()
    day_3 = Notification.objects.get(recipient=story.freelancer, kind=Kind.REVIEW_REMINDER)
    story.act(review_by_client, story.contract)
    _day(story, 10)
    _, told, emails = story.windows_due()
    assert set(told) == {story.freelancer.pk}
    note = told[story.freelancer.pk]
    # The same words as before the client reviewed, but the days left.
    assert note.title == day_3.title.replace("11 days", "4 days")
    assert note.body == day_3.body
    [email] = emails
    assert email.to == [story.freelancer.email]
    assert "4 days left" in email.body


def test_a_reminder_with_its_group_switched_off_is_in_the_app_only(story):
    EmailPreference.objects.create(user=story.freelancer, review_reminders=False)
    _day(story, 3)
    _, told, emails = story.windows_due()
    assert story.freelancer.pk in told
    assert story.freelancer.email not in {email.to[0] for email in emails}
    assert len(emails) == 2  # the client side's


def test_submitting_tells_nobody_and_the_second_review_tells_both_sides_but_its_author(story):
    _, told, emails = story.act(review_by_freelancer, story.contract)
    assert (told, emails) == ({}, [])

    hiring_manager = story.roles[Role.HIRING_MANAGER]
    _, told, emails = story.act(review_by_client, story.contract, user=hiring_manager)
    assert set(told) == (story.client_side - {hiring_manager.pk}) | {story.freelancer.pk}
    assert {n.kind for n in told.values()} == {Kind.REVIEWS_REVEALED}
    assert {n.title for n in told.values()} == {"Reviews for “Arm build” are published"}
    assert {n.url for n in told.values()} == {reverse("frontend:contract_detail", args=[story.contract.pk])}
    assert told[story.freelancer.pk].body == (
        "Read what Acme Robotics wrote about you on the contract page; you may reply once, publicly."
    )
    assert told[story.roles[Role.OWNER].pk].body == (
        "Read what Ana Costa wrote about you on the contract page; you may reply once, publicly."
    )
    assert emails == []  # the digest's
    assert not Notification.objects.filter(recipient_id__in=story.nobody).exists()


def test_the_window_closing_on_one_review_tells_both_sides_and_the_digest_carries_it(story):
    story.act(review_by_client, story.contract)
    story.clock.move_to(story.contract.ended_at + timedelta(days=settings.REVIEW_WINDOW_DAYS, minutes=1))
    _, told, emails = story.windows_due()
    revealed = {r: n for r, n in told.items() if n.kind == Kind.REVIEWS_REVEALED}
    assert set(revealed) == story.client_side | {story.freelancer.pk}
    assert {n.title for n in revealed.values()} == {"The review for “Arm build” is published"}
    assert revealed[story.freelancer.pk].body.startswith("Read what Acme Robotics wrote about you")
    assert revealed[story.roles[Role.OWNER].pk].body == "Your review is public now; the time to review is up."
    assert emails == []

    story.clock.shift(timedelta(minutes=settings.DIGEST_DELAY_MINUTES + 1))
    sent = len(mail.outbox)
    run_task(story.capture)
    [digest] = [email for email in mail.outbox[sent:] if email.to == [story.freelancer.email]]
    assert "Reviews\n\n- The review for “Arm build” is published" in digest.body


def test_the_window_closing_on_no_review_tells_nobody_anything(story):
    story.clock.move_to(story.contract.ended_at + timedelta(days=settings.REVIEW_WINDOW_DAYS, minutes=1))
    _, told, emails = story.windows_due()
    assert (told, emails) == ({}, [])


def _published_pair(story):
    story.act(review_by_freelancer, story.contract)
    story.act(review_by_client, story.contract)
    return story.contract.reviews.get(direction="of_freelancer"), story.contract.reviews.get(
        direction="of_client"
    )


def test_a_reply_tells_the_reviews_author_only(story):
    of_freelancer, of_client = _published_pair(story)
    _, told, emails = story.act(
        services.review_reply, acting_user=story.freelancer, review=of_freelancer, text="Thank you, Acme!"
    )
    assert set(told) == {story.roles[Role.OWNER].pk}
    note = told[story.roles[Role.OWNER].pk]
    assert (note.kind, note.title, note.body) == (
        Kind.REVIEW_REPLIED,
        "Ana Costa replied to your review for “Arm build”",
        "Thank you, Acme!",
    )
    assert emails == []

    _, told, _ = story.act(
        services.review_reply,
        acting_user=story.roles[Role.HIRING_MANAGER],
        review=of_client,
        text="Glad to have worked with you.",
    )
    assert set(told) == {story.freelancer.pk}
    assert told[story.freelancer.pk].title == "Acme Robotics replied to your review for “Arm build”"


def test_a_report_tells_no_party_and_a_removal_tells_author_and_reviewee_with_the_reason(story):
    of_freelancer, _ = _published_pair(story)
    _, told, emails = story.act(
        services.review_report, acting_user=story.freelancer, review=of_freelancer, reason="false"
    )
    assert (told, emails) == ({}, [])
    assert ReviewReport.objects.get().status == "open"

    _, told, emails = story.act(
        services.review_remove, acting_user=story.staff, review=of_freelancer, reason="Not about this work."
    )
    assert set(told) == {story.roles[Role.OWNER].pk, story.freelancer.pk}
    author, reviewee = told[story.roles[Role.OWNER].pk], told[story.freelancer.pk]
    assert author.title == "Your review for “Arm build” was removed by moderation"
    assert reviewee.title == "A review of you for “Arm build” was removed by moderation"
    assert {author.body, reviewee.body} == {"The reason: Not about this work."}
    assert {author.kind, reviewee.kind} == {Kind.REVIEW_REMOVED}
    assert (author.actor_id, reviewee.actor_id) == (None, None)  # moderation names no staff member
    assert emails == []
    assert not Notification.objects.filter(recipient=story.staff).exists()


def test_the_policy_emails_reminders_at_once_and_the_rest_in_the_digest():
    assert Kind.REVIEW_REMINDER in AT_ONCE_KINDS
    assert {Kind.REVIEWS_REVEALED, Kind.REVIEW_REPLIED, Kind.REVIEW_REMOVED} <= DIGEST_KINDS
    assert GROUP_OF_KIND[Kind.REVIEW_REMINDER].key == "review_reminders"
    assert GROUP_OF_KIND[Kind.REVIEW_REMOVED].key == "reviews"
