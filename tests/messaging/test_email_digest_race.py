"""Two runs of the digest task at once (overlapping beat ticks, two workers) send one digest: each
person is decided under a lock on their EmailPreference row."""

import pytest
import time_machine
from django.core import mail

from messaging.models import EmailDigest, EmailPreference
from messaging.services.digest import digests_send_due
from tests.factories import make_client, make_freelancer
from tests.support.concurrently import at_once

from .digest_world import START, conversation_of, minutes, post


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("had_a_digest", [False, True], ids=["first digest", "a later digest"])
def test_two_runs_at_once_send_one_digest(had_a_digest):
    """The first digest makes the person's row (the insert itself waits for the other's); a later
    one finds it, and only the row lock keeps the second run from sending too."""
    with time_machine.travel(START, tick=False) as clock:
        ada, bob = make_freelancer(), make_client(full_name="Bob")
        if had_a_digest:
            EmailPreference.objects.create(user=ada, digest_sent_at=START - minutes(45))
        conversation = conversation_of(ada, bob)
        for _ in range(3):
            post(conversation, bob)
        clock.shift(minutes(10))
        mail.outbox.clear()

        outcomes = at_once(digests_send_due, digests_send_due)

    assert sorted(outcomes) == [0, 1]
    assert EmailDigest.objects.count() == 1
    [email] = mail.outbox
    assert email.to == [ada.email]
    assert "3 new messages from Bob" in email.body
