"""Failed logins are limited per account and per client address (allauth's ``login_failed``), through
both ways in: the login page and the headless JSON API. The address is the client's, as far as
TRUSTED_PROXY_COUNT proxies vouch for it: behind the compose nginx every request comes from the
proxy's one address, and one attacker used to lock everyone out."""

import secrets

import pytest
from django.test import Client

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

NGINX = "172.18.0.9"
ATTEMPTS = 12  # past both the per-account (5) and the per-address (10) limit


def _fresh_address() -> str:
    return f"10.{secrets.randbelow(256)}.{secrets.randbelow(256)}.{secrets.randbelow(256)}"


def _logs_in(channel: str, email: str, password: str, **addressing) -> bool:
    client = Client(**addressing)
    if channel == "page":
        response = client.post("/accounts/login/", {"login": email, "password": password})
        return response.status_code == 302 and "/accounts/login/" not in response["Location"]
    response = client.post(
        "/_allauth/browser/v1/auth/login",
        {"email": email, "password": password},
        content_type="application/json",
    )
    return response.status_code == 200 and response.json()["meta"]["is_authenticated"]


def _attack(channel: str, email: str, **addressing) -> None:
    for _ in range(ATTEMPTS):
        assert not _logs_in(channel, email, "not the password", **addressing)


@pytest.fixture(params=["page", "headless"])
def channel(request):
    return request.param


def test_an_attacker_at_one_address_does_not_lock_out_another(channel, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    victim, bystander = make_user(), make_user()
    attacker, elsewhere = _fresh_address(), _fresh_address()
    _attack(channel, victim.email, REMOTE_ADDR=attacker)

    # The limits hold: from the attacker's address even the right password is refused now.
    assert not _logs_in(channel, victim.email, PASSWORD, REMOTE_ADDR=attacker)
    assert not _logs_in(channel, bystander.email, PASSWORD, REMOTE_ADDR=attacker)
    # Another user at another address is not affected.
    assert _logs_in(channel, bystander.email, PASSWORD, REMOTE_ADDR=elsewhere)


def test_behind_the_proxy_an_attacker_does_not_lock_out_everyone(channel, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    victim, bystander = make_user(), make_user()
    attacker, elsewhere = _fresh_address(), _fresh_address()
    _attack(channel, victim.email, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=f"{_fresh_address()}, {attacker}")

    assert _logs_in(channel, bystander.email, PASSWORD, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=elsewhere)


def test_behind_the_proxy_a_made_up_forwarded_for_does_not_escape_the_limit(channel, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    victim, other = make_user(), make_user()
    attacker = _fresh_address()
    for _ in range(ATTEMPTS):
        spoofed = f"{_fresh_address()}, {attacker}"
        assert not _logs_in(
            channel, victim.email, "not the password", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=spoofed
        )

    assert not _logs_in(channel, other.email, PASSWORD, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=attacker)


def test_fewer_forwarded_entries_than_trusted_proxies_is_no_server_error(channel, settings):
    """allauth's own reading raises ImproperlyConfigured (a 500) here; ours takes the leftmost entry,
    which one of our proxies appended (the request came in past the outer ones)."""
    settings.TRUSTED_PROXY_COUNT = 2
    user = make_user()
    assert _logs_in(channel, user.email, PASSWORD, REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=_fresh_address())
