"""Conversation rows for the moderation tests, written straight to the tables (the conversation
services are another branch's; these tests need only a conversation, its participants and a message)."""

from messaging.models import Conversation, Message, Participant


def proposal_conversation(proposal) -> Conversation:
    conversation = Conversation.objects.create(
        kind=Conversation.Kind.PROPOSAL, proposal=proposal, title=proposal.job.title
    )
    Participant.objects.create(conversation=conversation, user=proposal.job.client, side="client")
    Participant.objects.create(conversation=conversation, user=proposal.freelancer, side="freelancer")
    return conversation


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
