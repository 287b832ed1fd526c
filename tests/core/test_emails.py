"""Every email the product sends speaks in its own voice: the site's name before the subject, its
signature after the text, and none of allauth's stock phrases ("Hello from 127.0.0.1:8000!")."""

from datetime import timedelta
from pathlib import Path

import allauth
import pytest
import time_machine
from allauth.account.adapter import get_adapter
from allauth.core.context import request_context
from django.conf import settings
from django.core import mail
from django.template import Context, Engine
from django.test import RequestFactory
from django.urls import reverse

from marketplace.core.mail import send_site_email
from messaging.services import notification_create
from messaging.services.digest import digests_send_due
from tests.factories import make_freelancer
from tests.messaging.digest_world import START

pytestmark = pytest.mark.django_db

STOCK_PHRASES = ("Hello from", "Thank you for using", "receiving this", "testserver!")
ALLAUTH_TEMPLATES = Path(allauth.__file__).parent / "templates"
# Every email allauth can send (its installed templates, so an upgrade that adds one is caught).
ALLAUTH_EMAILS = sorted(
    str(path.relative_to(ALLAUTH_TEMPLATES)).removesuffix("_subject.txt")
    for path in ALLAUTH_TEMPLATES.glob("*/email/*_subject.txt")
)
PRODUCT_TEMPLATES = sorted(
    str(path.relative_to(path.parents[2]))
    for app in ("marketplace/organisations", "messaging")
    for path in (Path(settings.BASE_DIR) / app / "templates").glob("*/email/*.txt")
)
ALLAUTH_CONTEXT = {
    "activate_url": "http://testserver/accounts/confirm-email/the-key/",
    "key": "the-key",
    "code": "",
    "password_reset_url": "http://testserver/accounts/password/reset/key/the-key/",
    "signup_url": "http://testserver/accounts/signup/",
    "email": "someone@example.com",
    "from_email": "old@example.com",
    "to_email": "new@example.com",
    "deleted_email": "old@example.com",
    "ip": "127.0.0.1",
    "user_agent": "Firefox",
    "timestamp": "6 December 2026, 11:00",
}


def _assert_in_our_voice(message) -> None:
    assert message.subject.startswith(f"[{settings.SITE_NAME}] "), message.subject
    assert not any(phrase in message.subject + message.body for phrase in STOCK_PHRASES), message.body
    assert message.body.rstrip().endswith(f"— {settings.SITE_NAME}\n{settings.SITE_URL}"), message.body


def test_there_is_an_email_of_each_kind_to_check():
    assert "account/email/email_confirmation_signup" in ALLAUTH_EMAILS
    assert "mfa/email/totp_activated" in ALLAUTH_EMAILS
    assert len(ALLAUTH_EMAILS) >= 20
    assert "messaging/email/offer_received.txt" in PRODUCT_TEMPLATES
    assert "messaging/email/digest.txt" in PRODUCT_TEMPLATES
    assert "messaging/email/notification.txt" in PRODUCT_TEMPLATES
    assert "organisations/email/invitation.txt" in PRODUCT_TEMPLATES


def test_allauths_own_text_would_fail_the_check():
    """Positive control: the stock template this project overrides says what the check looks for."""
    stock = Engine(dirs=[ALLAUTH_TEMPLATES], libraries={"i18n": "django.templatetags.i18n"})
    context = Context({"current_site": {"name": "testserver"}})
    text = stock.get_template("account/email/base_message.txt").render(context)
    assert "Hello from testserver!" in text


@pytest.mark.parametrize("template_prefix", ALLAUTH_EMAILS)
@pytest.mark.parametrize("code", ["", "K7Q2PX"])
def test_every_allauth_email_speaks_in_the_products_voice(template_prefix, code):
    user = make_freelancer()
    with request_context(RequestFactory().get("/")):
        get_adapter().send_mail(template_prefix, user.email, {**ALLAUTH_CONTEXT, "user": user, "code": code})
    [message] = mail.outbox
    _assert_in_our_voice(message)
    if code and (template_prefix.endswith("_code") or "email_confirmation" in template_prefix):
        assert code in message.body


def test_the_verification_email_of_a_real_sign_up(client):
    data = {
        "email": "ada@example.com",
        "password1": "a-long-enough-password-2026",
        "full_name": "Ada Lovelace",
        "account_type": "freelancer",
        "accept_terms": "on",
    }
    assert client.post(reverse("account_signup"), data).status_code == 302
    [message] = mail.outbox
    _assert_in_our_voice(message)
    assert message.subject == f"[{settings.SITE_NAME}] Confirm your email address"
    assert f"signed up on {settings.SITE_NAME}" in message.body
    assert "/accounts/confirm-email/" in message.body


def test_the_password_reset_email_of_a_real_request(client):
    user = make_freelancer()
    assert client.post(reverse("account_reset_password"), {"email": user.email}).status_code == 302
    [message] = mail.outbox
    _assert_in_our_voice(message)
    assert "/accounts/password/reset/key/" in message.body


@pytest.mark.parametrize("template", PRODUCT_TEMPLATES)
def test_every_product_email_template_signs_off_the_same_way(template):
    send_site_email(to="someone@example.com", subject="Something happened", template=template, context={})
    [message] = mail.outbox
    _assert_in_our_voice(message)


def test_a_notification_email_carries_the_prefix_and_the_signature(django_capture_on_commit_callbacks):
    freelancer = make_freelancer()
    with django_capture_on_commit_callbacks(execute=True):
        notification_create(
            recipient_ids=[freelancer.pk],
            kind="payment_sent",
            title="$900.00 is on its way to you",
            url="/earnings/",
            email_context={"amount": "$900.00"},
        )
    [message] = mail.outbox
    _assert_in_our_voice(message)
    assert message.subject == f"[{settings.SITE_NAME}] $900.00 is on its way to you"
    assert f"{settings.SITE_URL}/earnings/" in message.body


def test_the_digest_email_carries_the_prefix_and_the_signature(django_capture_on_commit_callbacks):
    freelancer = make_freelancer()
    with time_machine.travel(START, tick=False) as clock:
        notification_create(
            recipient_ids=[freelancer.pk], kind="contract_started", title="Contract started", url="/x/"
        )
        clock.shift(timedelta(minutes=settings.DIGEST_DELAY_MINUTES))
        with django_capture_on_commit_callbacks(execute=True):
            assert digests_send_due() == 1
    [message] = mail.outbox
    _assert_in_our_voice(message)
    assert message.subject == f"[{settings.SITE_NAME}] You have 1 update"
    assert "Contract started" in message.body
    assert "/email/unsubscribe/" in message.body


def test_a_password_change_is_told_to_the_account(client):
    user = make_freelancer()
    user.set_password("the-old-password-2026")
    user.save()
    client.force_login(user)
    data = {
        "oldpassword": "the-old-password-2026",
        "password1": "a-new-long-password-2026",
        "password2": "a-new-long-password-2026",
    }
    assert client.post(reverse("account_change_password"), data).status_code == 302
    [message] = mail.outbox
    _assert_in_our_voice(message)
    assert message.to == [user.email]
    assert "Your password was changed." in message.body
