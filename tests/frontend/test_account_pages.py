"""Pages for one's own account: the allauth pages in the site's layout, sign-up with roles and terms,
the dashboard and the account settings."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from marketplace.accounts.models import ClientProfile, FreelancerProfile, User
from tests.factories import PASSWORD, make_client, make_freelancer, make_user

pytestmark = pytest.mark.django_db

ALLAUTH_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_email_verification_sent",
]


@pytest.mark.parametrize("name", ALLAUTH_PAGES)
def test_allauth_entrance_pages_use_the_site_layout(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'class="site-header"' in text, "the page should extend frontend/base.html"
    assert 'class="auth-card"' in text
    assert "<script>" not in text, "no inline script without a nonce (CSP)"


def _log_in(client, user) -> None:
    """Through the login form: allauth then counts the session as freshly authenticated."""
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize("name", ["account_email", "account_change_password", "mfa_index"])
def test_allauth_manage_pages_use_the_settings_layout(client, name):
    _log_in(client, make_freelancer())
    response = client.get(reverse(name))
    assert response.status_code == 200
    text = response.content.decode()
    assert 'class="settings-nav"' in text
    assert 'aria-label="Account settings"' in text


def test_totp_set_up_asks_to_reauthenticate_after_a_while(client):
    client.force_login(make_freelancer())  # no fresh password entry recorded
    response = client.get(reverse("mfa_activate_totp"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    assert 'class="auth-card"' in response.content.decode()


def test_totp_set_up_shows_a_qr_code_and_the_secret(client):
    user = make_freelancer()
    _log_in(client, user)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302
    text = client.get(reverse("mfa_activate_totp")).content.decode()
    assert 'class="qr-code" src="data:image/svg+xml' in text
    assert 'id="authenticator_secret"' in text


def _signup_data(**overrides) -> dict:
    data = {
        "email": "new.freelancer@example.com",
        "password1": "a long and unusual passphrase 42",
        "full_name": "Ada Lovelace",
        "account_type": "freelancer",
        "accept_terms": "on",
    }
    data.update(overrides)
    return data


def test_sign_up_records_roles_terms_and_sends_a_verification_email(client):
    response = client.post(reverse("account_signup"), _signup_data(account_type="both"))
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.freelancer@example.com")
    assert user.full_name == "Ada Lovelace"
    assert user.is_freelancer
    assert user.is_client
    assert user.terms_accepted_at is not None
    assert FreelancerProfile.objects.filter(user=user).exists()
    assert ClientProfile.objects.filter(user=user).exists()
    assert len(mail.outbox) == 1
    assert re.search(r"/accounts/confirm-email/[^/\s]+/", mail.outbox[0].body)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"accept_terms": ""}, "You must accept the terms of service to register."),
        ({"password1": "password"}, "This password is too common."),
        ({"email": "taken@example.com"}, "A user is already registered with this email address."),
        ({"full_name": ""}, "This field is required."),
    ],
    ids=["no-terms", "weak-password", "duplicate-email", "no-name"],
)
def test_sign_up_errors_are_shown_and_create_nothing(client, overrides, message):
    make_user(email="taken@example.com")
    users_before = User.objects.count()
    response = client.post(reverse("account_signup"), _signup_data(**overrides))
    assert response.status_code == 200  # allauth re-renders the form
    text = response.content.decode()
    assert message in text.replace("&#x27;", "'")
    assert 'class="errorlist' in text
    assert User.objects.count() == users_before


def test_login_with_an_unverified_address_asks_for_verification(client):
    user = make_user(verified=False)
    EmailAddress.objects.create(user=user, email=user.email, verified=False, primary=True)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")


def test_login_lands_on_the_dashboard(client):
    user = make_freelancer()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("frontend:dashboard")
    assert "Welcome," in response.content.decode()


def test_login_errors_are_shown(client):
    user = make_freelancer()
    response = client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.content.decode()


def test_password_reset_sends_a_link_that_leads_to_the_new_password_form(client):
    user = make_freelancer()
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    link = re.search(r"http://[^/]+(/accounts/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert "password1" in response.content.decode()


@pytest.mark.parametrize(
    "name", ["frontend:dashboard", "frontend:account_settings", "frontend:profile_edit", "frontend:portfolio"]
)
def test_own_pages_send_anonymous_visitors_to_log_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login") + "?next=")


def test_dashboard_for_a_new_freelancer_shows_what_is_left_to_set_up_and_links(client):
    user = make_freelancer()
    client.force_login(user)
    text = client.get(reverse("frontend:dashboard")).content.decode()
    assert "Finish setting up" in text
    assert 'class="meter"' in text
    assert reverse("frontend:profile_edit") in text
    assert reverse("frontend:portfolio") in text
    assert reverse("frontend:freelancer", kwargs={"handle": user.freelancer_profile.handle}) in text
    assert reverse("mfa_index") in text
    assert reverse("frontend:payouts") in text
    assert "Your work" in text


def test_dashboard_for_a_client_has_no_freelancer_parts(client):
    client.force_login(make_client())
    text = client.get(reverse("frontend:dashboard")).content.decode()
    assert "Proposals to review" in text
    assert reverse("frontend:client_profile_edit") in text
    assert "Waiting for your answer" not in text
    assert "Complete your profile" not in text


def test_account_settings_change_roles_and_time_zone(client):
    user = make_client()
    client.force_login(user)
    assert client.get(reverse("frontend:account_settings")).status_code == 200
    response = client.post(
        reverse("frontend:account_settings"),
        {"full_name": "Grace Hopper", "is_client": "on", "is_freelancer": "on", "timezone": "Asia/Tokyo"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.is_client, user.is_freelancer, user.timezone) == (
        "Grace Hopper",
        True,
        True,
        "Asia/Tokyo",
    )
    assert FreelancerProfile.objects.filter(user=user).exists()
    # Pages now show times in the user's time zone.
    text = client.get(reverse("frontend:account_settings")).content.decode()
    assert "(JST) in Asia/Tokyo" in text


def test_account_settings_refuse_dropping_every_role(client):
    user = make_client()
    client.force_login(user)
    response = client.post(reverse("frontend:account_settings"), {"full_name": "No Role", "timezone": "UTC"})
    assert response.status_code == 400
    assert "Keep at least one role" in response.content.decode()
    user.refresh_from_db()
    assert user.is_client
    assert user.full_name != "No Role"


def test_account_settings_refuse_an_unknown_time_zone(client):
    user = make_client()
    client.force_login(user)
    response = client.post(
        reverse("frontend:account_settings"),
        {"full_name": "X", "is_client": "on", "timezone": "Mars/Olympus"},
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    user.refresh_from_db()
    assert user.timezone == "UTC"


def test_navigation_shows_log_in_and_sign_up_to_visitors_and_log_out_to_members(client):
    text = client.get(reverse("frontend:landing")).content.decode()
    assert reverse("account_signup") in text
    assert reverse("account_login") in text
    client.force_login(make_freelancer())
    text = client.get(reverse("frontend:landing")).content.decode()
    assert f'action="{reverse("account_logout")}"' in text
    assert reverse("frontend:dashboard") in text
