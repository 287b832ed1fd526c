"""Two owners demote each other at the same moment: the organisation must keep an owner.

Each thread opens its own PostgreSQL connection; they meet at a barrier and then both call the
service. The service locks the owners' rows before counting them and checks the owner right again under
that lock, so the second waits for the first and is then refused.
"""

import threading

import pytest
from django.db import connection

from marketplace.core.exceptions import DomainError
from marketplace.organisations.models import Membership, Role
from marketplace.organisations.services.organisations import member_role_change
from tests.factories import add_member, make_organisation


@pytest.mark.parametrize("attempt", range(3))
def test_two_owners_demoting_each_other_leave_one_owner(transactional_db, attempt):
    organisation = make_organisation()
    first = organisation.memberships.get()
    second = Membership.objects.get(organisation=organisation, user=add_member(organisation, Role.OWNER))
    barrier = threading.Barrier(2, timeout=10)
    outcomes: list[str] = []

    def demote(actor, target) -> None:
        try:
            barrier.wait()
            member_role_change(
                acting_user=actor, organisation=organisation, membership_id=target.pk, role=Role.ADMIN
            )
            outcomes.append("demoted")
        except DomainError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=demote, args=(first.user, second)),
        threading.Thread(target=demote, args=(second.user, first)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # The loser is refused either as the last owner's demoter or, once demoted, for lack of the right.
    assert len(outcomes) == 2
    assert outcomes.count("demoted") == 1
    assert set(outcomes) - {"demoted"} <= {"last_owner", "role_forbids"}
    assert Membership.objects.filter(organisation=organisation, role=Role.OWNER).count() == 1
