"""The lock inside ``core.transitions.transition`` is what orders two moves of one row when the
service that calls it locked nothing of that row first.

A freelancer declines an invitation (the service goes straight to ``transition``) while, in another
tab, they send the proposal it asked for (which moves the invitation to "proposal submitted"). The
proposal's transaction is held open with its locks taken; the decline must then wait and see the
invitation answered (a 409), never read the old state and write "declined" over the proposal.
Without the lock in ``transition`` the decline read "sent" and overwrote the answer, and the
invitation's state-change rows no longer chained.
"""

import threading
import time

import pytest
from django.db import connection, transaction

from marketplace.core.exceptions import Conflict
from marketplace.core.models import StatusChange
from marketplace.jobs.models import JobInvitation
from marketplace.jobs.services import job_invitation_decline, job_invite
from tests.factories import make_freelancer, make_job, make_proposal

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_decline_waits_for_the_proposal_in_flight_and_is_refused():
    job, freelancer = make_job(), make_freelancer()
    invitation = job_invite(
        acting_user=job.client, job=job, freelancer_handle=freelancer.freelancer_profile.handle
    )
    proposing = threading.Event()
    outcomes = {}

    def propose():
        try:
            with transaction.atomic():
                make_proposal(job, freelancer=freelancer)
                proposing.set()
                time.sleep(0.5)  # the decline runs now, against this uncommitted answer
            outcomes["propose"] = "done"
        finally:
            connection.close()

    def decline():
        proposing.wait(10)
        try:
            job_invitation_decline(
                acting_user=freelancer, invitation=JobInvitation.objects.get(pk=invitation.pk), reason="No."
            )
            outcomes["decline"] = "done"
        except Conflict as exc:
            outcomes["decline"] = exc.code
        finally:
            connection.close()

    threads = [threading.Thread(target=propose), threading.Thread(target=decline)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes == {"propose": "done", "decline": "illegal_transition"}
    invitation.refresh_from_db()
    assert invitation.status == JobInvitation.Status.PROPOSED
    moves = StatusChange.objects.filter(target_type="jobs.jobinvitation", target_id=invitation.pk)
    assert [(m.from_status, m.to_status) for m in moves.order_by("pk")] == [("sent", "proposed")]
