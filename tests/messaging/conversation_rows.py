"""Conversations for the moderation tests: opened by the conversation service, with messages written
straight to the table (flags as given) so a test controls exactly what the queue holds."""

from messaging.models import Conversation, Message
from messaging.services.conversations import conversation_for_proposal


def proposal_conversation(proposal) -> Conversation:
    """The proposal's conversation, through the real service (it may already be open: the
    ``proposal_submitted`` receiver opens it after commit)."""
    return conversation_for_proposal(proposal)


def message_in(conversation: Conversation, sender, body: str = "Hello there", flags=()) -> Message:
    return Message.objects.create(
        conversation=conversation,
        sender=sender,
        body=body,
        body_html=f"<p>{body}</p>",
        contact_flags=list(flags),
    )


def client_freelancer_chat(body: str, flags, *, title: str = "Booking page"):
    """A client's job, a freelancer's proposal on it, their conversation and one flagged message from
    the freelancer: (client, freelancer, job, message)."""
    from tests.factories import make_client, make_freelancer, make_job, make_proposal

    client = make_client(full_name="Cleo Client")
    freelancer = make_freelancer(full_name="Finn Freelancer")
    proposal = make_proposal(make_job(client=client, title=title), freelancer=freelancer)
    return (
        client,
        freelancer,
        proposal.job,
        message_in(proposal_conversation(proposal), freelancer, body, flags),
    )
