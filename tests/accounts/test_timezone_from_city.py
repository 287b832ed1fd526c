"""The account's time zone follows the profile's city when the city is set or changed (the
services, so the pages and the API alike); a zone chosen later in account settings stands until the
city changes again; pages say which zone their times are in."""

import re

import pytest
from django.urls import reverse

from marketplace.accounts.models import City
from marketplace.accounts.services.onboarding import account_settings_update
from marketplace.accounts.services.profiles import client_profile_update
from tests.escrow.builders import fund_milestone
from tests.factories import make_client, make_contract, make_freelancer
from tests.frontend.test_profile_pages import _profile_data

pytestmark = pytest.mark.django_db


def city(name: str, country: str) -> City:
    return City.objects.filter(name=name, country_code=country).order_by("-population").first()


def choose_zone(user, zone: str) -> None:
    account_settings_update(
        user=user,
        full_name=user.full_name,
        is_client=user.is_client,
        is_freelancer=user.is_freelancer,
        timezone_name=zone,
    )


def test_choosing_berlin_on_the_freelancer_profile_sets_europe_berlin(client):
    user = make_freelancer()
    assert user.timezone == "UTC"
    client.force_login(user)
    response = client.post(reverse("frontend:profile_edit"), _profile_data(city=city("Berlin", "DE").pk))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.timezone == "Europe/Berlin"


def test_a_later_choice_stands_until_the_city_changes_again():
    user = make_client()
    berlin, tokyo = city("Berlin", "DE"), city("Tokyo", "JP")
    client_profile_update(user=user, company_name="", website="", city=berlin)
    assert user.timezone == "Europe/Berlin"
    choose_zone(user, "Europe/Lisbon")
    client_profile_update(user=user, company_name="Acme", website="", city=berlin)  # same city
    user.refresh_from_db()
    assert user.timezone == "Europe/Lisbon"
    client_profile_update(user=user, company_name="Acme", website="", city=None)  # cleared: kept
    user.refresh_from_db()
    assert user.timezone == "Europe/Lisbon"
    client_profile_update(user=user, company_name="Acme", website="", city=tokyo)  # changed
    user.refresh_from_db()
    assert user.timezone == "Asia/Tokyo"


def test_the_api_profile_update_derives_the_zone_too(client):
    user = make_freelancer()
    client.force_login(user)
    response = client.patch(
        "/api/me/freelancer-profile/",
        {"city": city("Berlin", "DE").geonameid},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    user.refresh_from_db()
    assert user.timezone == "Europe/Berlin"


def test_pages_say_which_zone_their_times_are_in(client):
    user = make_client()
    client_profile_update(user=user, company_name="", website="", city=city("Berlin", "DE"))
    client.force_login(user)
    html = client.get(reverse("frontend:account_settings")).content.decode()
    assert 'value="Europe/Berlin" selected' in html
    assert "in Europe/Berlin" in html
    contract = make_contract(client=user, milestones=[("Only", 10_000)])
    fund_milestone(contract.milestones.get())
    html = client.get(reverse("frontend:contract_detail", args=[contract.pk])).content.decode()
    zone = "CEST" if "CEST" in html else "CET"  # Berlin's abbreviation, summer or winter
    assert re.search(rf"Started <time [^>]+>[^<]+ {zone}</time>", html)
    assert re.search(rf"<time [^>]+>[^<]+ {zone}</time></td>", html)  # the money table's dates
    assert "Times are in your time zone (Europe/Berlin)" in html
