"""Sign-up through allauth's headless JSON API (/_allauth/browser/v1/): its errors carry allauth's
codes, and a refused sign-up adds no account."""

import pytest
from django.core import mail

from marketplace.accounts.models import User
from tests.factories import make_user

pytestmark = pytest.mark.django_db

SIGNUP = "/_allauth/browser/v1/auth/signup"


def _signup(client, **changes):
    body = {
        "email": "new.person@example.com",
        "password": "a long and unusual passphrase 42",
        "full_name": "New Person",
        "account_type": "freelancer",
        "accept_terms": True,
        **changes,
    }
    return client.post(SIGNUP, body, content_type="application/json")


def _error_codes(response) -> set[tuple[str, str]]:
    body = response.json()
    assert body["status"] == 400
    return {(error.get("param"), error["code"]) for error in body["errors"]}


def test_a_valid_signup_creates_the_account_and_asks_for_verification(client):
    response = _signup(client)
    # 401: the account exists but is not authenticated until the address is verified.
    assert response.status_code == 401, response.content
    flows = {flow["id"]: flow for flow in response.json()["data"]["flows"]}
    assert flows["verify_email"]["is_pending"]
    user = User.objects.get(email="new.person@example.com")
    assert (user.full_name, user.is_freelancer, user.is_client) == ("New Person", True, False)
    assert user.terms_accepted_at is not None
    assert len(mail.outbox) == 1


def test_a_duplicate_email_is_refused(client):
    make_user(email="taken@example.com")
    before = User.objects.count()
    response = _signup(client, email="Taken@Example.com")
    assert response.status_code == 400
    assert ("email", "email_taken") in _error_codes(response)
    assert User.objects.count() == before


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short", "password_too_short"),
        ("password123", "password_too_common"),
        ("8451937260", "password_entirely_numeric"),
    ],
)
def test_a_weak_password_is_refused(client, password, code):
    response = _signup(client, password=password)
    assert response.status_code == 400
    assert ("password", code) in _error_codes(response)
    assert not User.objects.exists()


def test_the_terms_must_be_accepted(client):
    response = _signup(client, accept_terms=False)
    assert response.status_code == 400
    assert ("accept_terms", "required") in _error_codes(response)
    assert not User.objects.exists()
