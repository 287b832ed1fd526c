"""Demo conversations for ``manage.py seed_demo``, after the jobs demo: a short exchange on a
proposal before hiring (one message of it shares a phone number, so the staff's moderation queue has
a flagged message), and on the demo contracts while the work goes on.

Messages are posted through ``message_post`` as their senders, so the unread counts, read receipts
and events are the product's own. A conversation that already holds messages is left alone, so a
second run adds nothing and what people wrote in the demo stays.
"""

from dataclasses import dataclass

from django.db import transaction

from marketplace.contracts.models import Contract
from marketplace.jobs.models import Proposal
from messaging.models import Conversation
from messaging.services.conversations import conversation_for_contract, conversation_for_proposal
from messaging.services.messages import conversation_mark_read, message_post

from .accounts import Step, freelancer_email

CLIENT, FREELANCER = "client", "freelancer"


@dataclass(frozen=True)
class ChatPlan:
    job_title: str
    on: str  # "proposal" (the bid of ``freelancer``) or "contract" (the job's contract)
    freelancer: int  # the demo freelancer's number
    lines: tuple[tuple[str, str], ...]  # (CLIENT or FREELANCER, text), in order
    last_unread: bool = False  # True leaves the last message unread by the one it was written to


CHATS = [
    ChatPlan(
        "Website and project booking for an architecture studio",
        "proposal",
        1,
        (
            (CLIENT, "Thanks for the proposal. Have you built **booking with calendar sync** before?"),
            (
                FREELANCER,
                "Yes — twice, for a physio practice and a law firm, both on Django with Google and "
                "Outlook calendars. I can show you the physio one on a call.",
            ),
            (FREELANCER, "Easiest is to call me on 07700 900 123 any afternoon this week."),
            (CLIENT, "Let's keep it here for now, please. Could you outline the first two weeks?"),
        ),
        last_unread=True,
    ),
    ChatPlan(
        "Landing page for residential solar quotes",
        "contract",
        30,
        (
            (CLIENT, "Welcome aboard! The ad campaign starts on the 15th, so the form is the priority."),
            (FREELANCER, "Understood. I'll hand in the form with validation first, then the estimate."),
            (FREELANCER, "Handed in the second milestone — the savings estimate uses your 2025 tariffs."),
        ),
        last_unread=True,
    ),
    ChatPlan(
        "Runbooks for our store systems",
        "contract",
        19,
        (
            (
                CLIENT,
                "The till runbook is great. For the stock sync one, please add the overnight failure case.",
            ),
            (FREELANCER, "Will do — I'll include the retry steps and who to call after 2 a.m."),
        ),
    ),
]


def _conversation(plan: ChatPlan) -> Conversation | None:
    email = freelancer_email(plan.freelancer)
    if plan.on == "proposal":
        proposal = Proposal.objects.filter(job__title=plan.job_title, freelancer__email=email).first()
        return conversation_for_proposal(proposal) if proposal else None
    contract = Contract.objects.filter(job__title=plan.job_title, freelancer__email=email).first()
    return conversation_for_contract(contract) if contract else None


@transaction.atomic
def chat_seed(plan: ChatPlan) -> bool:
    """Post the plan's messages into an empty conversation; True when it posted any."""
    conversation = _conversation(plan)
    if conversation is None or conversation.messages.exists():
        return False
    subject = conversation.proposal.job if conversation.proposal_id else conversation.contract
    client = subject.client
    freelancer = conversation.participants.get(side="freelancer").user
    people = {CLIENT: client, FREELANCER: freelancer}
    for number, (who, text) in enumerate(plan.lines, start=1):
        message = message_post(acting_user=people[who], conversation_id=conversation.pk, body=text)
        reader = people[FREELANCER if who == CLIENT else CLIENT]
        if not (plan.last_unread and number == len(plan.lines)):
            conversation_mark_read(
                acting_user=reader, conversation_id=conversation.pk, up_to_message_id=message.pk
            )
    return True


def seed_steps() -> list[Step]:
    return [Step(f"messages: {plan.job_title}", lambda plan=plan: chat_seed(plan)) for plan in CHATS]
