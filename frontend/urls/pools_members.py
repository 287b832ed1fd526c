"""The pool managers' pages: member lists, member files, reviewers' actions, the review queue."""

from django.urls import path

from ..views import pools_members as members

_POOL = "organisations/<slug:slug>/pools/<int:pool_id>/members/"
_MEMBER = f"{_POOL}<int:membership_id>/"

urlpatterns = [
    path("organisations/<slug:slug>/pools/review/", members.review_queue, name="pool_review"),
    path(
        "organisations/<slug:slug>/pools/credentials/<int:credential_id>/<slug:decision>/",
        members.credential_decide,
        name="pool_credential_decide",
    ),
    path(_POOL, members.pool_members, name="pool_members"),
    path(f"{_POOL[:-1]}.csv", members.pool_members_csv, name="pool_members_csv"),
    path(f"{_POOL}add/", members.pool_member_add, name="pool_member_add"),
    path(_MEMBER, members.pool_member, name="pool_member"),
    path(f"{_MEMBER}<slug:action>/", members.pool_member_action, name="pool_member_action"),
    path(
        f"{_MEMBER}rules/<int:requirement_id>/approve/",
        members.pool_member_rule_approve,
        name="pool_member_rule_approve",
    ),
    path(
        f"{_MEMBER}overrides/<int:override_id>/<slug:decision>/",
        members.pool_member_override,
        name="pool_member_override",
    ),
]
