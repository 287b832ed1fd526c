"""The per-user event log behind the websocket.

Every event pushed to a user is also stored with that user's next ``seq`` (1, 2, 3, … with no
gaps): the cursor row is locked while the number is taken, inside the writer's transaction, so a
user's events commit in ``seq`` order. A page remembers the last ``seq`` it saw; after a reconnect
it asks for everything after it and gets it once, in order — or, when that is older than what is
kept (``USER_EVENTS_KEEP_DAYS``), is told to reload. Ephemeral signals (typing) are not stored.
"""

from django.conf import settings
from django.db import models


class UserEventCursor(models.Model):
    """One per user: the last ``seq`` handed out, and when one of the user's pages was last open."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="event_cursor"
    )
    last_seq = models.BigIntegerField(default=0)
    # Presence: written when a page connects and on its heartbeats (the digest's "no open page").
    last_seen_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Event cursor of user {self.user_id} at {self.last_seq}"


class UserEvent(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    seq = models.BigIntegerField()
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "seq"], name="messaging_userevent_seq"),
        ]
        indexes = [models.Index(fields=["created_at"], name="messaging_userevent_created")]

    def __str__(self) -> str:
        return f"Event {self.seq} of user {self.user_id}"
