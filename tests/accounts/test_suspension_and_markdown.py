"""Suspension as a user meets it, and the Markdown sanitiser behind profile bios."""

import pytest
from django.urls import reverse

from marketplace.accounts.models import Badge
from marketplace.accounts.services.staff import badge_grant, badge_revoke, user_reinstate, user_suspend
from marketplace.core.exceptions import Conflict, InvalidInput, PermissionDenied
from marketplace.core.markdown import markdown_to_safe_html
from marketplace.core.models import AuditEntry
from tests.factories import make_freelancer, make_user


def test_a_suspended_user_sees_only_why(client, db):
    staff = make_user(staff=True)
    freelancer = make_freelancer()
    reason = "Asked a client to pay outside the platform."
    user_suspend(acting_user=staff, user_id=freelancer.pk, reason=reason)
    client.force_login(freelancer)
    response = client.get(reverse("frontend:landing"))
    assert response.status_code == 302
    assert response["Location"] == reverse("frontend:suspended")
    page = client.get(reverse("frontend:suspended"))
    assert page.status_code == 403
    assert reason in page.content.decode()
    api = client.get("/api/me/")
    assert api.status_code == 403
    assert api.json()["error"]["code"] == "account_suspended"

    user_reinstate(acting_user=staff, user_id=freelancer.pk)
    assert client.get(reverse("frontend:landing")).status_code == 200
    assert client.get(reverse("frontend:suspended")).status_code == 302


def test_staff_actions_are_audited_and_refused_to_others(db):
    staff = make_user(staff=True)
    member = make_user()
    target = make_freelancer()
    with pytest.raises(PermissionDenied):
        user_suspend(acting_user=member, user_id=target.pk, reason="no")
    with pytest.raises(InvalidInput):
        user_suspend(acting_user=staff, user_id=target.pk, reason="  ")
    badge_grant(acting_user=staff, user_id=target.pk, kind=Badge.Kind.IDENTITY)
    with pytest.raises(Conflict):
        badge_grant(acting_user=staff, user_id=target.pk, kind=Badge.Kind.IDENTITY)
    badge_revoke(acting_user=staff, user_id=target.pk, kind=Badge.Kind.IDENTITY)
    user_suspend(acting_user=staff, user_id=target.pk, reason="Fake identity documents")
    user_reinstate(acting_user=staff, user_id=target.pk, note="Documents checked by phone")
    trail = list(
        AuditEntry.objects.filter(target_type="accounts.user", target_id=str(target.pk))
        .order_by("pk")
        .values_list("actor_id", "action")
    )
    assert trail == [
        (staff.pk, "badge.grant"),
        (staff.pk, "badge.revoke"),
        (staff.pk, "user.suspend"),
        (staff.pk, "user.reinstate"),
    ]


@pytest.mark.parametrize(
    ("markdown", "must_not_contain", "must_contain"),
    [
        ("<script>alert(1)</script>", "<script", "&lt;script&gt;"),
        ("[click](javascript:alert(1))", 'href="javascript', "click"),
        ('<img src=x onerror="alert(1)">', "<img", ""),
        ("# Big heading", "<h1>", "<h3>Big heading</h3>"),
        ("**bold** and [site](https://example.com)", "onclick", 'rel="nofollow noopener noreferrer ugc"'),
    ],
)
def test_markdown_is_sanitised(markdown, must_not_contain, must_contain):
    html = markdown_to_safe_html(markdown)
    assert must_not_contain not in html
    assert must_contain in html


def test_profile_and_settings_services_refuse_values_outside_their_choices(db):
    from marketplace.accounts.services.onboarding import account_settings_update
    from marketplace.accounts.services.profiles import FreelancerProfileInput, freelancer_profile_update

    freelancer = make_freelancer()
    with pytest.raises(InvalidInput) as refused:
        account_settings_update(
            user=freelancer, full_name="A", is_client=False, is_freelancer=True, timezone_name="Mars/Olympus"
        )
    assert refused.value.code == "unknown_timezone"
    data = {"headline": "", "bio": "", "hourly_rate_minor": None, "currency": "USD", "city": None}
    data |= {"availability": "full_time", "languages": [], "skills": [], "tags": [], "visibility": "public"}
    for field, code in (("visibility", "invalid_visibility"), ("availability", "invalid_availability")):
        with pytest.raises(InvalidInput) as refused:
            freelancer_profile_update(
                user=freelancer, data=FreelancerProfileInput(**{**data, field: "nonsense"})
            )
        assert refused.value.code == code
