"""REST API routes for organisations, their members and invitations, and talent pools (under /api/).

Their names are in the ``api`` namespace, shared with the accounts app's routes
(``marketplace.config.urls`` mounts both lists under it), as they were before this app was split off.
"""

from django.urls import path

from .views import me, members, organisations, pool_settings, worker

urlpatterns = [
    path("me/pool-memberships/", me.MyPoolMembershipsView.as_view(), name="my-pool-memberships"),
    path(
        "me/pool-memberships/<int:membership_id>/accept/",
        me.MyPoolMembershipAcceptView.as_view(),
        name="my-pool-membership-accept",
    ),
    path(
        "me/pool-memberships/<int:membership_id>/decline/",
        me.MyPoolMembershipDeclineView.as_view(),
        name="my-pool-membership-decline",
    ),
    # The worker's side of pools (api/worker.py).
    path("pools/", worker.PoolListView.as_view(), name="worker-pools"),
    path("pools/<int:pool_id>/", worker.PoolDetailView.as_view(), name="worker-pool"),
    path("pools/<int:pool_id>/apply/", worker.PoolApplyView.as_view(), name="worker-pool-apply"),
    path(
        "me/pool-memberships/<int:membership_id>/",
        worker.MyPoolMembershipDetailView.as_view(),
        name="my-pool-membership",
    ),
    path(
        "me/pool-memberships/<int:membership_id>/credentials/",
        worker.MyCredentialsView.as_view(),
        name="my-pool-membership-credentials",
    ),
    path(
        "me/pool-memberships/<int:membership_id>/agreements/<int:requirement_id>/sign/",
        worker.AgreementSignView.as_view(),
        name="my-pool-membership-sign",
    ),
    path(
        "me/pool-memberships/<int:membership_id>/override-requests/",
        worker.OverrideRequestView.as_view(),
        name="my-pool-membership-override-requests",
    ),
    path("organisations/", organisations.OrganisationListView.as_view(), name="organisations"),
    path("organisations/<slug:slug>/", organisations.OrganisationDetailView.as_view(), name="organisation"),
    path("organisations/<slug:slug>/members/", organisations.MemberListView.as_view(), name="members"),
    path(
        "organisations/<slug:slug>/members/<int:membership_id>/",
        organisations.MemberDetailView.as_view(),
        name="member",
    ),
    path(
        "organisations/<slug:slug>/invitations/",
        organisations.InvitationListView.as_view(),
        name="invitations",
    ),
    path(
        "organisations/<slug:slug>/invitations/<int:invitation_id>/",
        organisations.InvitationDetailView.as_view(),
        name="invitation",
    ),
    path("organisations/<slug:slug>/pool/", organisations.PoolView.as_view(), name="pool"),
    *[
        path(f"organisations/<slug:slug>/pools/{route}", view.as_view(), name=name)
        for route, view, name in (
            ("", pool_settings.PoolListView, "pools"),
            ("<int:pool_id>/", pool_settings.PoolDetailView, "pool-settings"),
            ("<int:pool_id>/tiers/", pool_settings.TierListView, "pool-tiers"),
            ("<int:pool_id>/tiers/<int:tier_id>/", pool_settings.TierDetailView, "pool-tier"),
            ("<int:pool_id>/requirements/", pool_settings.RequirementListView, "pool-requirements"),
            (
                "<int:pool_id>/requirements/reorder/",
                pool_settings.RequirementOrderView,
                "pool-requirements-reorder",
            ),
            (
                "<int:pool_id>/requirements/<int:requirement_id>/",
                pool_settings.RequirementDetailView,
                "pool-requirement",
            ),
        )
    ],
    path(
        "invitations/<str:token>/accept/",
        organisations.InvitationAcceptView.as_view(),
        name="invitation-accept",
    ),
    path(
        "invitations/<str:token>/decline/",
        organisations.InvitationDeclineView.as_view(),
        name="invitation-decline",
    ),
    path(
        "pool-memberships/<int:membership_id>/end/",
        organisations.PoolMembershipEndView.as_view(),
        name="pool-membership-end",
    ),
]

# The pool managers' routes (api/members.py): member list and file, reviewer actions, review queue.
_MEMBER = "organisations/<slug:slug>/pools/<int:pool_id>/members/<int:membership_id>/"
urlpatterns += [
    path(
        "organisations/<slug:slug>/pools/<int:pool_id>/members/",
        members.PoolMemberListView.as_view(),
        name="pool-members",
    ),
    path(_MEMBER, members.PoolMemberDetailView.as_view(), name="pool-member"),
    path(f"{_MEMBER}approve/", members.MemberApproveView.as_view(), name="pool-member-approve"),
    path(f"{_MEMBER}send-back/", members.MemberSendBackView.as_view(), name="pool-member-send-back"),
    path(f"{_MEMBER}suspend/", members.MemberSuspendView.as_view(), name="pool-member-suspend"),
    path(f"{_MEMBER}reinstate/", members.MemberReinstateView.as_view(), name="pool-member-reinstate"),
    path(f"{_MEMBER}remove/", members.MemberRemoveView.as_view(), name="pool-member-remove"),
    path(f"{_MEMBER}tier/", members.MemberTierView.as_view(), name="pool-member-tier"),
    path(
        f"{_MEMBER}rules/<int:requirement_id>/approve/",
        members.MemberRuleApproveView.as_view(),
        name="pool-member-rule-approve",
    ),
    path(
        f"{_MEMBER}overrides/<int:override_id>/grant/",
        members.MemberOverrideGrantView.as_view(),
        name="pool-member-override-grant",
    ),
    path(
        f"{_MEMBER}overrides/<int:override_id>/deny/",
        members.MemberOverrideDenyView.as_view(),
        name="pool-member-override-deny",
    ),
    path("organisations/<slug:slug>/pools/review/", members.ReviewQueueView.as_view(), name="pool-review"),
    path(
        "organisations/<slug:slug>/credentials/<int:credential_id>/verify/",
        members.CredentialVerifyView.as_view(),
        name="credential-verify",
    ),
    path(
        "organisations/<slug:slug>/credentials/<int:credential_id>/reject/",
        members.CredentialRejectView.as_view(),
        name="credential-reject",
    ),
]
