"""The people of a proposal's and a contract's conversations, built through the real services: an
organisation's job (posted by its hiring manager, with a member of every role), a freelancer's
proposal on it, and a contract between the same two sides."""

from dataclasses import dataclass

from marketplace.accounts.models import User
from marketplace.contracts.models import Contract
from marketplace.jobs.models import Job, Proposal
from marketplace.organisations.models import Role
from messaging.models import Conversation
from messaging.services.conversations import conversation_for_contract, conversation_for_proposal
from tests.factories import (
    add_member,
    make_contract,
    make_freelancer,
    make_job,
    make_organisation,
    make_proposal,
    make_user,
)


@dataclass
class Cast:
    roles: dict[str, User]  # organisation role → member
    freelancer: User
    outsider: User  # a freelancer with no tie to anything here
    job: Job
    proposal: Proposal
    contract: Contract

    def proposal_conversation(self) -> Conversation:
        return conversation_for_proposal(self.proposal)

    def contract_conversation(self) -> Conversation:
        return conversation_for_contract(self.contract)


def build_cast() -> Cast:
    organisation = make_organisation(name="Acme Robotics")
    roles = {Role.OWNER: organisation.memberships.get(role=Role.OWNER).user}
    for role in (Role.ADMIN, Role.HIRING_MANAGER, Role.FINANCE, Role.VIEWER):
        roles[role] = add_member(organisation, role, make_user(full_name=f"Acme {role}"))
    freelancer = make_freelancer(full_name="Ana Costa")
    job = make_job(client=roles[Role.HIRING_MANAGER], organisation=organisation, title="Pick-and-place arm")
    proposal = make_proposal(job, freelancer=freelancer)
    contract = make_contract(
        client=roles[Role.HIRING_MANAGER], organisation=organisation, freelancer=freelancer, title="Arm build"
    )
    return Cast(
        roles=roles,
        freelancer=freelancer,
        outsider=make_freelancer(full_name="Olga Outside"),
        job=job,
        proposal=proposal,
        contract=contract,
    )
