"""Pages for organisations, invitations, talent pools and staff tools."""

from django.urls import path

from ..views import organisations as org
from ..views import pools_worker as pools
from ..views import staff, statements

urlpatterns = [
    path("organisations/", org.organisations, name="organisations"),
    path("organisations/<slug:slug>/", org.organisation, name="organisation"),
    path("organisations/<slug:slug>/leave/", org.organisation_leave, name="organisation_leave"),
    path(
        "organisations/<slug:slug>/members/<int:membership_id>/role/",
        org.member_role,
        name="organisation_member_role",
    ),
    path(
        "organisations/<slug:slug>/members/<int:membership_id>/remove/",
        org.member_remove,
        name="organisation_member_remove",
    ),
    path(
        "organisations/<slug:slug>/invitations/",
        org.organisation_invitations,
        name="organisation_invitations",
    ),
    path(
        "organisations/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        org.invitation_revoke,
        name="organisation_invitation_revoke",
    ),
    path("organisations/<slug:slug>/pool/", org.organisation_pool, name="organisation_pool"),
    path(
        "organisations/<slug:slug>/pool/invite/",
        org.organisation_pool_invite,
        name="organisation_pool_invite",
    ),
    path(
        "organisations/<slug:slug>/pool/<int:membership_id>/end/",
        org.organisation_pool_end,
        name="organisation_pool_end",
    ),
    path("organisations/<slug:slug>/api-keys/", org.organisation_api_keys, name="organisation_api_keys"),
    path(
        "organisations/<slug:slug>/api-keys/<str:key_id>/revoke/",
        org.api_key_revoke,
        name="organisation_api_key_revoke",
    ),
    path("organisations/<slug:slug>/settings/", org.organisation_settings, name="organisation_settings"),
    path(
        "organisations/<slug:slug>/statement/",
        statements.organisation_statement,
        name="organisation_statement",
    ),
    path(
        "organisations/<slug:slug>/statement/pdf/",
        statements.organisation_statement_pdf,
        name="organisation_statement_pdf",
    ),
    path(
        "organisations/<slug:slug>/statement/csv/",
        statements.organisation_statement_csv,
        name="organisation_statement_csv",
    ),
    path("invitations/<str:token>/", org.invitation, name="invitation"),
    path("invitations/<str:token>/respond/", org.invitation_respond, name="invitation_respond"),
    path("pools/", pools.pools, name="pools"),
    path("pools/<int:membership_id>/accept/", pools.pool_accept, name="pool_accept"),
    path("pools/<int:membership_id>/decline/", pools.pool_decline, name="pool_decline"),
    path("pools/<int:membership_id>/leave/", pools.pool_leave, name="pool_leave"),
    path("pools/<int:pool_id>/", pools.pool_page, name="pool_page"),
    path("pools/<int:pool_id>/apply/", pools.pool_apply, name="pool_apply"),
    path("pools/memberships/<int:membership_id>/", pools.pool_membership, name="pool_membership"),
    path(
        "pools/memberships/<int:membership_id>/requirements/<int:requirement_id>/upload/",
        pools.pool_credential_upload,
        name="pool_credential_upload",
    ),
    path(
        "pools/memberships/<int:membership_id>/requirements/<int:requirement_id>/sign/",
        pools.pool_agreement_sign,
        name="pool_agreement_sign",
    ),
    path(
        "pools/memberships/<int:membership_id>/override/",
        pools.pool_override_request,
        name="pool_override_request",
    ),
    path("staff/users/", staff.staff_users, name="staff_users"),
    path("staff/users/<int:user_id>/", staff.staff_user, name="staff_user"),
    path("staff/users/<int:user_id>/suspend/", staff.staff_user_suspend, name="staff_user_suspend"),
    path("staff/users/<int:user_id>/reinstate/", staff.staff_user_reinstate, name="staff_user_reinstate"),
    path("staff/users/<int:user_id>/badges/", staff.staff_badge_grant, name="staff_badge_grant"),
    path(
        "staff/users/<int:user_id>/badges/<str:kind>/revoke/",
        staff.staff_badge_revoke,
        name="staff_badge_revoke",
    ),
]
