"""A change recorded while a send of the same object is in flight stays pending: the send read the
older document, so deleting the row would lose the change until the next reconcile. ``index_send``
deletes only the rows not recorded again since it started (the ``queued_at`` guard)."""

import threading

import pytest
from django.db import connection, transaction

from search.services.indexing import index_changed, index_send
from tests.factories import make_freelancer
from tests.support.search_memory import pending, pending_cleared

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_change_recorded_during_a_send_waits_for_the_next_one(memory_search):
    profile = make_freelancer().freelancer_profile
    pending_cleared()
    index_changed(index="talent", ids=[profile.pk])
    memory_search.entered, memory_search.release = threading.Event(), threading.Event()
    sent = []

    def send():
        try:
            sent.append(index_send(index="talent"))
        finally:
            connection.close()

    sender = threading.Thread(target=send)
    sender.start()
    assert memory_search.entered.wait(timeout=30)  # the send holds the old document now
    with transaction.atomic():
        profile.headline = "Changed while sending"
        profile.save()
    memory_search.release.set()
    sender.join(timeout=30)

    assert sent == [1]
    assert memory_search.documents("talent")[profile.pk].fields["headline"] == ""
    assert pending("talent") == {profile.pk}  # kept for the next send

    memory_search.entered = None
    assert index_send(index="talent") == 1
    assert memory_search.documents("talent")[profile.pk].fields["headline"] == "Changed while sending"
    assert pending("talent") == set()
