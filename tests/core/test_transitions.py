"""The one state-transition helper, on a real model (pool memberships)."""

import pytest
from django.db import transaction

from marketplace.core.exceptions import Conflict
from marketplace.core.models import StatusChange
from marketplace.core.transitions import status_changed, transition
from marketplace.organisations.models import PoolMembership
from marketplace.organisations.services.pools import (
    pool_invite,
    pool_membership_accept,
    pool_membership_decline,
    pool_membership_end,
)
from tests.factories import make_freelancer, make_organisation


@pytest.fixture
def invited(db):
    organisation = make_organisation()
    owner = organisation.memberships.get().user
    freelancer = make_freelancer()
    membership = pool_invite(acting_user=owner, organisation=organisation, freelancer_email=freelancer.email)
    return membership, freelancer, owner


def _history(membership) -> list[tuple]:
    return list(
        StatusChange.objects.filter(target_type="organisations.poolmembership", target_id=membership.pk)
        .order_by("pk")
        .values_list("from_status", "to_status", "actor_id", "reason")
    )


def test_each_move_is_recorded_with_actor_and_reason(invited):
    membership, freelancer, owner = invited
    pool_membership_accept(acting_user=freelancer, membership_id=membership.pk)
    pool_membership_end(acting_user=owner, membership_id=membership.pk, reason="Contract finished")
    membership.refresh_from_db()
    assert membership.status == PoolMembership.Status.ENDED
    assert membership.ended_by == owner
    assert _history(membership) == [
        ("invited", "active", freelancer.pk, "Accepted the invitation."),
        ("active", "ended", owner.pk, "Contract finished"),
    ]


def test_an_illegal_move_is_refused_and_changes_nothing(invited):
    membership, freelancer, _ = invited
    pool_membership_decline(acting_user=freelancer, membership_id=membership.pk)
    with pytest.raises(Conflict) as refused:
        pool_membership_accept(acting_user=freelancer, membership_id=membership.pk)
    assert refused.value.code == "illegal_transition"
    assert "declined" in refused.value.message
    membership.refresh_from_db()
    assert membership.status == PoolMembership.Status.DECLINED
    assert len(_history(membership)) == 1


def test_terminal_states_have_no_way_out():
    for status in (PoolMembership.Status.DECLINED, PoolMembership.Status.ENDED):
        assert not PoolMembership.TRANSITIONS.get(status)


def test_the_event_is_sent_only_after_commit(invited, django_capture_on_commit_callbacks):
    membership, freelancer, _ = invited
    received = []

    def receiver(sender, **event):
        received.append((sender, event["to_status"]))

    status_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            pool_membership_accept(acting_user=freelancer, membership_id=membership.pk)
        assert received == []
        for callback in callbacks:
            callback()
        assert received == [(PoolMembership, "active")]
    finally:
        status_changed.disconnect(receiver)


def test_nothing_is_sent_when_the_transaction_rolls_back(invited, django_capture_on_commit_callbacks):
    membership, freelancer, _ = invited
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        try:
            with transaction.atomic():
                transition(membership, PoolMembership.Status.ACTIVE, actor=freelancer)
                raise RuntimeError("roll back")
        except RuntimeError:
            pass
    assert callbacks == []
    membership.refresh_from_db()
    assert membership.status == PoolMembership.Status.INVITED
    assert _history(membership) == []


def test_transition_refuses_to_run_outside_a_transaction(transactional_db):
    organisation = make_organisation()
    freelancer = make_freelancer()
    membership = pool_invite(
        acting_user=organisation.memberships.get().user,
        organisation=organisation,
        freelancer_email=freelancer.email,
    )
    with pytest.raises(RuntimeError, match="inside"):
        transition(membership, PoolMembership.Status.ACTIVE, actor=freelancer)
