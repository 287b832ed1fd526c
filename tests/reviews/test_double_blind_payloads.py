"""Double-blind, through every payload the platform sends out.

While one side's review waits for the other's, this records everything that leaves the platform —
every ``Notification`` row, every email (subject, text and HTML; the digest task is run too), every
websocket event (the ``UserEvent`` log, and a real channel-layer socket of the other side), and the
answer of every page and API route (walked from the URL configuration, parameters filled from the
contract) for the other side and for a visitor — and asserts that the review's distinctive words,
its private note and its star wording appear nowhere, and that nothing at all changed for the other
side: its every page and API answer is the same before and after the first review, and nothing was
sent to anyone when it was submitted. Positive control: once the reviews are published (the second
review, or the window closing with the beat task) the same recording finds the text and the stars
for the other side; the private note never reaches the reviewee, even then.
"""

import difflib
import json
import re
import uuid
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

import pytest
import time_machine
from asgiref.sync import async_to_sync, sync_to_async
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from messaging.models import Conversation, Notification, UserEvent
from reviews import services
from reviews.models import Review
from tests.messaging.digest_world import START, run_task
from tests.reviews.cast import CLIENT, FREELANCER, Cast, build_cast
from tests.reviews.world import CLIENT_REVIEW, FREELANCER_REVIEW
from tests.support.websockets import communicator, received_all, session_cookie

# Star wording of the first review (two stars everywhere): how pages and the API would show it.
FIRST_STARS = 2
STAR_WORDING = ("★★☆☆☆", f"{FIRST_STARS} of 5", f'"overall":{FIRST_STARS}', f'"overall": {FIRST_STARS}')

SECOND_WORDS = "The second side's words, all fine here."

# Routes that are not about anyone's work (sign-in, probes, webhooks, files by token) or whose GET
# acts (following a notification marks it read; the payouts steps talk to Stripe).
SKIPPED_ROUTES = re.compile(
    r"^(admin/|accounts/|_allauth/|ops|healthz|readyz|stripe/|images/|media/|email/|invitations/|favicon"
    r"|api/schema/|api/docs/|account/payouts/(start|return)/|notifications/<int:pk>/$)"
)
# Volatile parts of a page that differ between two identical requests.
VOLATILE = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+'), r"\1…"),
    (re.compile(r'(name="csrf-token" content=")[^"]+'), r"\1…"),
    (re.compile(r'("X-CSRFToken": ")[^"]+'), r"\1…"),
    (re.compile(r'(nonce=")[^"]+'), r"\1…"),
]


@dataclass
class Story:
    cast: Cast
    clock: object = None
    capture: object = None

    @property
    def contract(self):
        return self.cast.contract

    def side(self, side: str) -> list:
        return self.cast.side(side)

    def submit(self, side: str, *, overall: int, words: str, note: str) -> Review:
        """The side's review, every star ``overall``, with its events and their effects after commit."""
        with self.capture(execute=True):
            return submit(self, side, overall=overall, words=words, note=note)


def submit(story: Story, side: str, *, overall: int, words: str, note: str) -> Review:
    review = CLIENT_REVIEW if side == CLIENT else FREELANCER_REVIEW
    return services.review_submit(
        acting_user=story.side(side)[0],
        contract=story.contract,
        **{
            **review,
            "overall": overall,
            "sub_scores": dict.fromkeys(review["sub_scores"], overall),
            "text": words,
            "private_note": note,
        },
    )


@pytest.fixture
def story(django_capture_on_commit_callbacks):
    with time_machine.travel(START, tick=False) as clock:
        cast = build_cast(django_capture_on_commit_callbacks)
        yield Story(cast, clock, django_capture_on_commit_callbacks)


# --- The recording ----------------------------------------------------------------------------------


def _walk(patterns, prefix: str = ""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern).removeprefix("^")
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


# A parameter that names nothing of this story: the route is still asked (and must leak nothing).
NOTHING = {"int": "2147483000", "slug": "no-such-thing", "str": "no-such-thing", "path": "no-such-thing"}


def _values(story: Story, route: str, converter: str, name: str) -> list[tuple[str, str]]:
    """What a route's parameter can be in this story, by the route's first word, as (value, label):
    the contract, its milestones, job, proposal, offer, conversation and reviews, the freelancer's
    handle, the organisation's slug; else an id of nothing. The label names the value in the
    recording: the first review is "review-1" whether it exists or not (asked with an id of nothing
    until it does), so its routes are compared with themselves before and after it is written."""
    contract = story.contract
    head = route.removeprefix("api/").removeprefix("staff/").split("/")[0]
    conversations = Conversation.objects.filter(contract=contract).values_list("pk", flat=True)
    if name == "pk" and head == "reviews":
        reviews = Review.objects.filter(contract=contract).order_by("pk").values_list("pk", flat=True)
        return [(str(pk), f"review-{n}") for n, pk in enumerate(reviews, start=1)] or [
            (NOTHING["int"], "review-1")
        ]
    known = {
        "handle": [contract.freelancer.freelancer_profile.handle],
        "slug": [contract.organisation.slug],
        "mid": list(contract.milestones.values_list("pk", flat=True)),
        "pk": {
            "contracts": [contract.pk],
            "jobs": [contract.job_id],
            "proposals": [contract.offer.proposal_id],
            "offers": [contract.offer_id],
            "messages": list(conversations),
            "conversations": list(conversations),
        }.get(head),
    }
    values = [str(value) for value in known.get(name) or []] or [NOTHING.get(converter, NOTHING["str"])]
    return [(value, value) for value in values]


def _urls(story: Story) -> dict[str, str]:
    """Every route's address in the recording (its parameters' labels) → the address to ask (their
    values), one per combination of values."""
    urls = {}
    for route in _walk(get_resolver().url_patterns):
        if SKIPPED_ROUTES.match(route) or "(?P" in route:
            continue
        addresses = [("/" + route, "/" + route)]
        for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", route):
            placeholder = f"<{converter}:{name}>" if converter else f"<{name}>"
            addresses = [
                (label.replace(placeholder, shown, 1), url.replace(placeholder, value, 1))
                for label, url in addresses
                for value, shown in _values(story, route, converter or "str", name)
            ]
        urls.update(addresses)
    return urls


def _answer(client: Client, url: str, label: str) -> str:
    """Status, redirect and body, with the address asked written as its label (a login redirect
    repeats it) and the volatile parts blanked."""
    response = client.get(url)
    text = f"{response.status_code} {response.get('Location', '')}\n"
    if not getattr(response, "streaming", False):
        text += response.content.decode(errors="replace")
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return text.replace(url, label).replace(quote(url, safe=""), quote(label, safe=""))


def pages(story: Story, viewer) -> dict[str, str]:
    """The answer of every GET route to ``viewer`` (None: a visitor), by address (as labelled)."""
    client = Client()
    if viewer is not None:
        client.force_login(viewer)
    return {label: _answer(client, url, label) for label, url in sorted(_urls(story).items())}


@dataclass
class Sent:
    """What went out since a mark: notifications, emails (each part), websocket events."""

    notifications: list[str]
    emails: list[str]
    events: list[str]

    @property
    def all(self) -> list[str]:
        return [*self.notifications, *self.emails, *self.events]


def _email_parts(email) -> str:
    html = " ".join(content for content, _ in getattr(email, "alternatives", []))
    return f"{email.to} {email.subject}\n{email.body}\n{html}"


class Mark:
    def __init__(self):
        self.notification = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.event = UserEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        self.email = len(mail.outbox)

    def sent(self, recipients=None) -> Sent:
        notes = Notification.objects.filter(pk__gt=self.notification)
        events = UserEvent.objects.filter(pk__gt=self.event)
        emails = mail.outbox[self.email :]
        if recipients is not None:
            ids = {user.pk for user in recipients}
            notes, events = notes.filter(recipient_id__in=ids), events.filter(user_id__in=ids)
            emails = [email for email in emails if set(email.to) & {user.email for user in recipients}]
        return Sent(
            notifications=[f"{n.kind} {n.title} {n.body} {n.url}" for n in notes],
            emails=[_email_parts(email) for email in emails],
            events=[json.dumps(event.payload, ensure_ascii=False) for event in events],
        )


def _digests(story: Story) -> None:
    """What the digest task would send once everything now unread is old enough."""
    story.clock.shift(timedelta(minutes=settings.DIGEST_DELAY_MINUTES + 1))
    run_task(story.capture)


def changes(before: dict[str, str], after: dict[str, str]) -> dict[str, list[str]]:
    """Address → the lines that differ (a unified diff), for every answer that is not the same."""
    return {
        url: [
            line
            for line in difflib.unified_diff(before[url].splitlines(), after.get(url, "").splitlines(), n=0)
            if line[:1] in "+-" and line[:3] not in ("+++", "---")
        ]
        for url in before.keys() | after.keys()
        if before.get(url) != after.get(url)
    }


def traces(texts, needles) -> list[tuple[str, str]]:
    """(needle, where) for each needle found in any of the texts (``texts``: a dict or a list)."""
    items = texts.items() if isinstance(texts, dict) else enumerate(texts)
    return [(needle, str(where)) for where, text in items for needle in needles if needle in text]


def _secrets() -> dict[str, str]:
    return {"text": f"Text {uuid.uuid4().hex} text", "note": f"Note {uuid.uuid4().hex} note"}


def _other(side: str) -> str:
    return FREELANCER if side == CLIENT else CLIENT


# --- The orderings ----------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "reveal"),
    [(CLIENT, "second_review"), (FREELANCER, "second_review"), (CLIENT, "window"), (FREELANCER, "window")],
    ids=["client-then-freelancer", "freelancer-then-client", "client-alone", "freelancer-alone"],
)
def test_nothing_of_a_hidden_review_leaves_the_platform_until_it_is_published(story, first, reveal):
    other = _other(first)
    reader = story.side(other)[0]  # the other side, who must learn nothing
    secret = _secrets()
    stars = [*STAR_WORDING]
    hidden = [secret["text"], secret["note"], *stars]

    before = {"other": pages(story, reader), "visitor": pages(story, None)}
    assert changes(before["other"], pages(story, reader)) == {}, "the recording itself must be stable"
    # The pages the other side would look at are among those asked, and answered.
    contract_page = f"/contracts/{story.contract.pk}/"
    profile_page = f"/freelancers/{story.cast.freelancer.freelancer_profile.handle}/"
    handle = story.cast.freelancer.freelancer_profile.handle
    for url in (
        contract_page,
        f"/contracts/{story.contract.pk}/review/",
        "/dashboard/",
        profile_page,
        f"/freelancers/{handle}/reviews/",
        f"/api/contracts/{story.contract.pk}/",
        f"/api/contracts/{story.contract.pk}/reviews/",
        "/api/reviews/waiting/",
        f"/api/freelancers/{handle}/reviews/",
        f"/api/profiles/{handle}/",
    ):
        assert before["other"][url].startswith("200"), url

    mark = Mark()
    first_review = story.submit(first, overall=FIRST_STARS, words=secret["text"], note=secret["note"])
    assert first_review.revealed_at is None
    # Submitting sent nothing to anyone: no notification, email or event, of any kind.
    assert mark.sent().all == []
    # Not a byte changed in what the other side or a visitor is answered.
    assert changes(before["other"], pages(story, reader)) == {}
    assert changes(before["visitor"], pages(story, None)) == {}

    # Reminders and digests during the window: the other side is reminded, the words say nothing.
    story.clock.move_to(story.contract.ended_at + timedelta(days=3, hours=1))
    with story.capture(execute=True):
        services.review_windows_due()
    _digests(story)
    sent = mark.sent()
    assert {kind.split()[0] for kind in sent.notifications} == {Notification.Kind.REVIEW_REMINDER}
    assert {n.recipient_id for n in Notification.objects.filter(pk__gt=mark.notification)} == {
        user.pk for user in story.side(other)
    }
    assert traces(sent.all, hidden) == []
    assert traces(pages(story, reader), hidden) == []
    assert traces(pages(story, None), hidden) == []

    # The reveal: the second review, or the window closing with the beat task.
    mark = Mark()
    if reveal == "second_review":
        story.submit(other, overall=5, words=SECOND_WORDS, note="")
    else:
        story.clock.move_to(story.contract.ended_at + timedelta(days=settings.REVIEW_WINDOW_DAYS, minutes=1))
        with story.capture(execute=True):
            services.review_windows_due()
    first_review.refresh_from_db()
    assert first_review.is_published
    _digests(story)

    after = pages(story, reader)
    for needle in (secret["text"], "★★☆☆☆", f"{FIRST_STARS} of 5"):
        assert needle in after[contract_page], needle
    if first == CLIENT:  # the review of the freelancer is on the public profile
        assert secret["text"] in pages(story, None)[profile_page]
    # Notifications told the first side it was published (and no one anything else).
    told = Notification.objects.filter(pk__gt=mark.notification)
    assert set(told.values_list("kind", flat=True)) == {Notification.Kind.REVIEWS_REVEALED}
    assert {user.pk for user in story.side(first)} <= set(told.values_list("recipient_id", flat=True))
    # The private note never reaches the reviewee's side, nor a visitor, nor any notification, email
    # or event of anyone.
    assert traces(after, [secret["note"]]) == []
    for person in story.side(other)[1:]:
        assert traces(pages(story, person), [secret["note"]]) == []
    assert traces(pages(story, None), [secret["note"]]) == []
    assert traces(mark.sent().all, [secret["note"], secret["text"]]) == []


# --- The websocket, end to end ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", [CLIENT, FREELANCER])
def test_the_other_sides_open_page_receives_nothing_until_the_reveal(first):
    """Real sockets on the Redis channel layer: the first review sends no frame to anyone of either
    side; the second sends the other side the reveal, whose frame carries no review words."""
    story = Story(build_cast())
    people = [*story.cast.roles.values(), story.cast.freelancer]
    cookies = [session_cookie(person) for person in people]
    secret = _secrets()

    async def scenario():
        sockets = [communicator(cookie=cookie) for cookie in cookies]
        for ws in sockets:
            assert (await ws.connect())[0]
        await sync_to_async(submit)(
            story, first, overall=FIRST_STARS, words=secret["text"], note=secret["note"]
        )
        for ws in sockets:
            assert await ws.receive_nothing(timeout=1)
        await sync_to_async(submit)(story, _other(first), overall=5, words=SECOND_WORDS, note="")
        frames = {person.pk: await received_all(ws) for person, ws in zip(people, sockets, strict=True)}
        for ws in sockets:
            await ws.disconnect()
        return frames

    frames = async_to_sync(scenario)()
    told = {user.pk for user in story.side(CLIENT) + story.side(FREELANCER)} - {
        story.side(_other(first))[0].pk
    }
    for person in people:
        if person.pk in told:
            [frame] = frames[person.pk]
            assert frame["type"] == "notification"
            assert frame["title"] == "Reviews for “Arm build” are published"
        else:  # the second author (not told of their own action), the members who do not hire
            assert frames[person.pk] == []
    assert traces([json.dumps(f, ensure_ascii=False) for f in frames.values()], secret.values()) == []
