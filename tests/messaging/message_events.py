"""A recorder of the live events the message services hand to ``send_events_on_commit``: each is
recorded only when (and if) the transaction commits, as the real one pushes it."""

from collections import defaultdict

from django.db import transaction

from messaging.services import messages as message_services


class SentEvents:
    def __init__(self):
        self.by_user: dict[int, list[dict]] = defaultdict(list)

    def record(self, user_ids, event: dict) -> None:
        def sent() -> None:
            for user_id in user_ids:
                self.by_user[user_id].append(event)

        transaction.on_commit(sent)

    def record_each(self, events: dict) -> None:
        """``send_events_on_commit``: each user's own event."""
        for user_id, event in events.items():
            self.record([user_id], event)

    def of(self, user, kind: str | None = None) -> list[dict]:
        return [event for event in self.by_user[user.pk] if kind is None or event["type"] == kind]

    def clear(self) -> None:
        self.by_user.clear()


def record_sent_events(monkeypatch) -> SentEvents:
    """Record, from now on, what the message services push (a test's fixture calls this)."""
    recorder = SentEvents()
    monkeypatch.setattr(message_services, "send_events_on_commit", recorder.record_each)
    return recorder
