"""What each person wants emailed, and the digests sent to them."""

from django.conf import settings
from django.db import models


class EmailPreference(models.Model):
    """One per person who ever changed a choice or got a digest; no row means every group is on.

    Each boolean is a group of ``messaging.email_policy.GROUPS``. ``digest_sent_at`` keeps digests at
    most one per ``DIGEST_MIN_INTERVAL_MINUTES``; the digest task locks this row while it decides, so
    two runs at once cannot both send.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="email_preference"
    )
    offers = models.BooleanField(default=True)
    money = models.BooleanField(default=True)
    messages = models.BooleanField(default=True)
    proposals = models.BooleanField(default=True)
    contracts = models.BooleanField(default=True)
    jobs = models.BooleanField(default=True)
    review_reminders = models.BooleanField(default=True)
    reviews = models.BooleanField(default=True)
    saved_searches = models.BooleanField(default=True)
    pools = models.BooleanField(default=True)
    pool_updates = models.BooleanField(default=True)
    digest_sent_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Email preferences of user {self.user_id}"


class EmailDigest(models.Model):
    """One digest email: to whom, when, and how much it carried. The notifications it carried point
    at it (``Notification.digest``); messages are tracked per conversation
    (``Participant.digest_message_id``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField()
    notification_count = models.PositiveIntegerField(default=0)
    message_count = models.PositiveIntegerField(default=0)
    conversation_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["user", "-sent_at"], name="messaging_digest_user")]

    def __str__(self) -> str:
        return f"Digest {self.pk} to user {self.user_id} at {self.sent_at:%Y-%m-%d %H:%M}"
