"""Conversations (one per proposal, contract, dispute, or a direct pair), their participants and
messages.

Participants are rows, not a rule evaluated on each read: a conversation's reader list is decided
when it opens (from its subject: the proposal's or contract's parties and the organisation's roles
that act on it) and kept in step by the services when those change. Every read and write asks for
an active ``Participant`` row of the viewer (support staff join a dispute's conversation as
participants too).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Conversation(models.Model):
    class Kind(models.TextChoices):
        PROPOSAL = "proposal", "Proposal"
        CONTRACT = "contract", "Contract"
        DISPUTE = "dispute", "Dispute"
        DIRECT = "direct", "Direct"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    proposal = models.OneToOneField(
        "jobs.Proposal", null=True, blank=True, on_delete=models.CASCADE, related_name="conversation"
    )
    contract = models.OneToOneField(
        "contracts.Contract", null=True, blank=True, on_delete=models.CASCADE, related_name="conversation"
    )
    # A dispute's conversation: both parties' sides and support staff (``services.dispute_conversations``).
    dispute = models.OneToOneField(
        "disputes.Dispute", null=True, blank=True, on_delete=models.CASCADE, related_name="conversation"
    )
    # A direct conversation's pair, "<smaller user id>:<larger user id>", so a pair has one.
    direct_pair = models.CharField(max_length=41, null=True, blank=True, unique=True)
    # Shown in the inbox; kept in step by the services when they open it or the subject changes.
    title = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    # The inbox's order (last activity) and preview, written with each new message.
    last_message = models.ForeignKey(
        "messaging.Message", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_activity_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="messaging_conversation_subject",
                condition=(
                    Q(kind="proposal", proposal__isnull=False, contract=None, dispute=None, direct_pair=None)
                    | Q(
                        kind="contract", contract__isnull=False, proposal=None, dispute=None, direct_pair=None
                    )
                    | Q(kind="dispute", dispute__isnull=False, proposal=None, contract=None, direct_pair=None)
                    | Q(kind="direct", direct_pair__isnull=False, proposal=None, contract=None, dispute=None)
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"Conversation {self.pk} ({self.kind}): {self.title}"


class Participant(models.Model):
    """A person who may read and post in a conversation, with what they have read.

    ``last_read_message_id`` is the read receipt (the newest message id this person has seen);
    ``unread`` counts the others' messages after it, kept by the services so the inbox and the
    navigation's count read one row per conversation. A participant who loses the right to read (an
    organisation member whose role changed, say) keeps the row with ``removed_at`` set.
    """

    class Side(models.TextChoices):
        CLIENT = "client", "Client side"
        FREELANCER = "freelancer", "Freelancer"
        SUPPORT = "support", "Support"

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_participations"
    )
    side = models.CharField(max_length=10, choices=Side.choices)
    joined_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    last_read_message_id = models.BigIntegerField(default=0)
    last_read_at = models.DateTimeField(null=True, blank=True)
    unread = models.PositiveIntegerField(default=0)
    # The newest of the others' messages a digest email told this person about (or 0).
    digest_message_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="messaging_participant_once"),
        ]
        indexes = [
            # The inbox: a user's active conversations; the navigation's count sums ``unread``.
            models.Index(
                fields=["user", "conversation"],
                condition=Q(removed_at__isnull=True),
                name="messaging_participant_active",
            ),
        ]

    def __str__(self) -> str:
        return f"User {self.user_id} in conversation {self.conversation_id}"


class Message(models.Model):
    """One message: Markdown as typed (``body``) and its sanitised HTML (``body_html``).

    Edited or deleted only by its sender within ``MESSAGE_EDIT_WINDOW_SECONDS``; a deleted message
    keeps its row (the history shows "deleted") with the text and attachments gone. ``contact_flags``
    lists what the off-platform contact check found in a message sent before a contract existed;
    a non-empty list puts it in the staff's queue. Staff may hide a message with a reason.
    """

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=5000, blank=True)
    body_html = models.TextField(blank=True)
    attachments = models.ManyToManyField("core.StoredFile", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    contact_flags = models.JSONField(default=list, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_reason = models.TextField(max_length=2000, blank=True)

    class Meta:
        indexes = [
            # History in pages, newest first, scrolling back by id.
            models.Index(fields=["conversation", "-id"], name="messaging_message_history"),
            # Staff's queue of messages the contact check flagged.
            models.Index(fields=["-id"], condition=~Q(contact_flags=[]), name="messaging_message_flagged"),
            # The per-sender rate limit counts the sender's last minute of messages.
            models.Index(fields=["sender", "-created_at"], name="messaging_message_by_sender"),
        ]

    def __str__(self) -> str:
        return f"Message {self.pk} in conversation {self.conversation_id}"
