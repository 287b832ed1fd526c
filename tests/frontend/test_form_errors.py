"""A form that comes back with errors says so in the title, ties each error to its field (radio
groups and the reason fields included) and loads form-errors.js, which moves focus to the errors."""

import re

import pytest
from django.urls import reverse

from tests.factories import make_client, make_contract

pytestmark = pytest.mark.django_db

SCRIPT = "frontend/form-errors.js"


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def described_by(html: str, tag_start: str) -> list[str]:
    """The ids the element opening with ``tag_start`` is described by; each must be on the page."""
    tag = html[html.index(tag_start) :].split(">", 1)[0]
    ids = re.search(r'aria-describedby="([^"]*)"', tag).group(1).split()
    for id_ in ids:
        assert f'id="{id_}"' in html, f"{tag_start} points at #{id_}, which is not on the page"
    return ids


def test_a_failed_post_says_error_first_in_the_title_and_ties_radio_errors_to_their_group(client):
    client.force_login(make_client())
    page = client.get(reverse("frontend:job_new")).content.decode()
    assert not title(page).startswith("Error")
    assert SCRIPT in page

    response = client.post(reverse("frontend:job_new"), {"title": "", "budget_type": "fixed"})
    html = response.content.decode()
    assert response.status_code == 400
    assert title(html).startswith("Error: ")
    assert SCRIPT in html
    group = '<fieldset class="field field--choices field--error" aria-describedby="id_experience_level'
    assert described_by(html, group) == ["id_experience_level_error"]
    assert 'aria-invalid="true"' in html[html.index(group) : html.index("</fieldset>", html.index(group))]


def test_the_cancel_reasons_error_is_tied_to_its_field(client):
    contract = make_contract()
    client.force_login(contract.client)
    response = client.post(
        reverse("frontend:contract_cancel", args=[contract.pk]), {"reason": "  ", "cancel_reason": "other"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert described_by(html, '<textarea id="cancel-reason"') == ["cancel-reason-error"]
    assert '<div id="cancel-reason-error"><p class="field__error">' in html
