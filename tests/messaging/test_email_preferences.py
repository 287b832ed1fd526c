"""Which emails one gets: the policy's groups, the at-once emails, the preferences (page and API), and
the signed one-click unsubscribe link (logged out, RFC 8058, tampered, expired)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from messaging.email_policy import AT_ONCE_KINDS, DIGEST_GROUPS, DIGEST_KINDS, GROUP_KEYS, GROUPS
from messaging.models import EmailPreference, Notification
from messaging.services import notification_create
from messaging.unsubscribe import UNSUBSCRIBE_LINK_MAX_AGE, unsubscribe_token
from tests.factories import make_freelancer, make_organisation
from tests.support.api import as_user, assert_error, make_api_key, with_key

from .digest_world import START

pytestmark = pytest.mark.django_db

API = "/api/me/email-preferences/"
ALL_ON = dict.fromkeys(GROUP_KEYS, True)


def _notify(user, kind, capture, title="Something happened"):
    with capture(execute=True):
        return notification_create(
            recipient_ids=[user.pk], kind=kind, title=title, body="Details.", url="/x/"
        )


def _link(email) -> str:
    """The unsubscribe address an email carries (its header and its footer say the same)."""
    url = email.extra_headers["List-Unsubscribe"].strip("<>")
    assert "Stop emails about" in email.body
    assert url in email.body
    return url.removeprefix(settings.SITE_URL)


def test_every_notification_kind_is_in_exactly_one_group():
    kinds = [kind for group in GROUPS for kind in group.kinds]
    assert sorted(kinds) == sorted(Notification.Kind.values)
    assert set(Notification.Kind.values) == AT_ONCE_KINDS | DIGEST_KINDS
    at_once = {"offers", "money", "review_reminders", "pools"}
    assert {group.key for group in GROUPS if group.at_once} == at_once
    assert {f.name for f in EmailPreference._meta.fields} >= set(GROUP_KEYS)


@pytest.mark.parametrize("kind", sorted(AT_ONCE_KINDS))
def test_offers_and_money_are_emailed_at_once_with_an_unsubscribe_link(
    kind, django_capture_on_commit_callbacks
):
    ada = make_freelancer()
    [note] = _notify(ada, kind, django_capture_on_commit_callbacks, title="It happened")
    [email] = mail.outbox
    assert email.to == [ada.email]
    assert email.subject == f"{settings.EMAIL_SUBJECT_PREFIX}It happened"
    assert "Details." in email.body
    assert f"{settings.SITE_URL}/x/" in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert _link(email).startswith("/email/unsubscribe/")
    assert note.digest is None


@pytest.mark.parametrize("kind", sorted(DIGEST_KINDS))
def test_the_other_kinds_are_not_emailed_at_once(kind, django_capture_on_commit_callbacks):
    _notify(make_freelancer(), kind, django_capture_on_commit_callbacks)
    assert not mail.outbox


def test_a_group_turned_off_is_not_emailed_at_once(django_capture_on_commit_callbacks):
    ada, bob = make_freelancer(), make_freelancer()
    EmailPreference.objects.create(user=ada, offers=False)
    with django_capture_on_commit_callbacks(execute=True):
        notification_create(
            recipient_ids=[ada.pk, bob.pk], kind=Notification.Kind.OFFER_EXPIRED, title="Gone"
        )
        notification_create(recipient_ids=[ada.pk], kind=Notification.Kind.PAYMENT_SENT, title="Paid")
    assert sorted((email.to[0], email.subject[-4:]) for email in mail.outbox) == sorted(
        [(bob.email, "Gone"), (ada.email, "Paid")]
    )
    assert Notification.objects.filter(recipient=ada).count() == 2  # still in the app


# --- The unsubscribe link ---------------------------------------------------------------------------


def test_the_link_works_logged_out_asking_first(django_capture_on_commit_callbacks):
    ada = make_freelancer(email="ada@example.com")
    _notify(ada, Notification.Kind.OFFER_RECEIVED, django_capture_on_commit_callbacks)
    url = _link(mail.outbox[0])
    browser = Client(enforce_csrf_checks=True)

    assert browser.head(url).status_code == 200  # a mail scanner's HEAD changes nothing either
    page = browser.get(url)
    assert page.status_code == 200
    assert b"Unsubscribe?" in page.content
    assert "a•••@example.com" in page.content.decode()
    assert not EmailPreference.objects.exists()  # a link scanner's GET changes nothing

    done = browser.post(url, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert b"You are unsubscribed" in done.content
    assert EmailPreference.objects.filter(user=ada, offers=False, money=True, messages=True).exists()
    assert browser.post(url).status_code == 200  # again: harmless

    mail.outbox.clear()
    _notify(ada, Notification.Kind.OFFER_RECEIVED, django_capture_on_commit_callbacks)
    assert not mail.outbox


def test_a_mail_clients_one_click_post_needs_no_cookie_or_token(django_capture_on_commit_callbacks):
    """RFC 8058: the client POSTs ``List-Unsubscribe=One-Click`` to the header's address, nothing else."""
    ada = make_freelancer()
    _notify(ada, Notification.Kind.PAYMENT_SENT, django_capture_on_commit_callbacks)
    response = Client(enforce_csrf_checks=True).post(
        _link(mail.outbox[0]), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert EmailPreference.objects.get(user=ada).money is False


def test_the_digests_link_turns_off_every_digest_group_only():
    ada = make_freelancer()
    url = reverse("frontend:email_unsubscribe", args=[unsubscribe_token(user_id=ada.pk, group="digest")])
    assert (
        b"digest (messages, proposals and invitations, contracts and work, your jobs, reviews, "
        b"saved searches, talent pool updates)" in Client().get(url).content
    )
    assert Client().post(url).status_code == 200
    preference = EmailPreference.objects.get(user=ada)
    assert {key: getattr(preference, key) for key in GROUP_KEYS} == {
        **ALL_ON,
        **dict.fromkeys(DIGEST_GROUPS, False),
    }


def _changed(token: str) -> str:
    """The same link with one character of its signature changed."""
    return token[:-1] + ("A" if token[-1] != "A" else "B")


@pytest.mark.parametrize(
    ("make_token", "message"),
    [
        (lambda user: _changed(unsubscribe_token(user_id=user.pk, group="offers")), "not valid"),
        (lambda user: "not-a-token", "not valid"),
        (lambda user: unsubscribe_token(user_id=user.pk, group="everything"), "not valid"),
        (lambda user: unsubscribe_token(user_id=user.pk + 1000, group="offers"), "not valid"),
    ],
    ids=["tampered", "garbage", "unknown group", "no such user"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_link_is_a_clear_400_and_changes_nothing(make_token, message, method):
    ada = make_freelancer()
    url = reverse("frontend:email_unsubscribe", args=[make_token(ada)])
    response = getattr(Client(), method)(url)
    assert response.status_code == 400
    assert message.encode() in response.content
    assert b"This link does not work" in response.content
    assert not EmailPreference.objects.exists()


def test_an_expired_link_is_a_clear_400():
    ada = make_freelancer()
    with time_machine.travel(START, tick=False) as clock:
        url = reverse("frontend:email_unsubscribe", args=[unsubscribe_token(user_id=ada.pk, group="money")])
        clock.shift(UNSUBSCRIBE_LINK_MAX_AGE - timedelta(minutes=1))
        assert Client().get(url).status_code == 200  # positive control: still good the day before
        clock.shift(timedelta(minutes=2))
        response = Client().post(url)
    assert response.status_code == 400
    assert b"expired" in response.content
    assert not EmailPreference.objects.exists()


def test_another_persons_link_cannot_be_made_from_mine():
    """The signature covers the user id: Ada's signature on Bob's id does not pass."""
    ada, bob = make_freelancer(), make_freelancer()
    _, timestamp, signature = unsubscribe_token(user_id=ada.pk, group="offers").split(":")
    bobs_payload = unsubscribe_token(user_id=bob.pk, group="offers").split(":")[0]
    forged = f"{bobs_payload}:{timestamp}:{signature}"
    assert Client().post(reverse("frontend:email_unsubscribe", args=[forged])).status_code == 400
    assert not EmailPreference.objects.exists()


# --- The settings page ------------------------------------------------------------------------------


def test_the_emails_page_shows_and_saves_the_choices(client):
    ada = make_freelancer()
    client.force_login(ada)
    page = client.get(reverse("frontend:account_emails"))
    assert page.status_code == 200
    html = page.content.decode()
    for group in GROUPS:
        assert f'name="{group.key}"' in html
    assert len(re.findall(r"checked", html)) == len(GROUPS)  # all on by default

    response = client.post(reverse("frontend:account_emails"), {"offers": "on", "money": "on"})
    assert response.status_code == 302
    preference = EmailPreference.objects.get(user=ada)
    assert (preference.offers, preference.money, preference.messages, preference.jobs) == (
        True,
        True,
        False,
        False,
    )
    assert "Your email choices are saved." in client.get(response["Location"]).content.decode()


def test_the_emails_page_needs_a_login(client):
    response = client.get(reverse("frontend:account_emails"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# --- The API ----------------------------------------------------------------------------------------


def test_the_api_reads_and_changes_your_own_choices():
    ada, bob = make_freelancer(), make_freelancer()
    api = as_user(ada)
    assert api.get(API).json() == ALL_ON
    response = api.patch(API, {"messages": False, "jobs": False}, format="json")
    assert response.status_code == 200
    assert response.json() == {**ALL_ON, "messages": False, "jobs": False}
    assert api.get(API).json()["messages"] is False
    assert as_user(bob).get(API).json() == ALL_ON


@pytest.mark.parametrize(
    "body",
    [{"everything": False}, {"messages": "perhaps"}, {"messages": None}],
    ids=["unknown group", "not a boolean", "null"],
)
def test_the_api_refuses_bad_input_and_stores_nothing(body):
    ada = make_freelancer()
    error = assert_error(as_user(ada).patch(API, body, format="json"), 400, "invalid")
    assert set(error["fields"]) == set(body)
    assert not EmailPreference.objects.exists()


def test_the_api_needs_a_session_not_an_api_key():
    assert_error(as_user(None).get(API), 403, "not_authenticated")
    organisation = make_organisation()
    api = with_key(as_user(None), make_api_key(organisation))
    assert api.get(API).status_code == 403
    assert api.patch(API, {"messages": False}, format="json").status_code == 403
