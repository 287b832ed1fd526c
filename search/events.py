"""Domain events of search, for the apps above (messaging turns them into notifications).

Sent once the sender's transaction commits (``send_on_commit``), so a receiver sees the rows it is
told of. Search never imports messaging: ``messaging.receivers_search`` listens.
"""

from functools import partial

from django.db import transaction
from django.dispatch import Signal

# user=, saved_search=SavedSearch, job_ids=list[int]: open jobs the user may see, opened since the
# saved search last announced, matching it; newest first.
saved_search_matched = Signal()


def send_on_commit(signal: Signal, sender, **kwargs) -> None:
    transaction.on_commit(partial(signal.send, sender=sender, **kwargs))
