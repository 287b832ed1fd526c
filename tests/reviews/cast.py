"""The people of an organisation's ended contract, for the notification and double-blind tests: the
owner hired (the contract's client), a hiring manager also acts for the client side (``manage_jobs``),
an admin, finance and a viewer do not; the freelancer Ana Costa; the contract "Arm build", completed
with money paid out, its review window open."""

from contextlib import nullcontext
from dataclasses import dataclass

from marketplace.accounts.models import User
from marketplace.contracts.models import Contract
from marketplace.organisations.models import Role
from tests.factories import add_member, make_freelancer, make_organisation, make_user
from tests.reviews.world import ended_contract

CLIENT, FREELANCER = "client", "freelancer"


@dataclass
class Cast:
    roles: dict[str, User]  # organisation role → member
    freelancer: User
    contract: Contract

    def side(self, side: str) -> list[User]:
        """Who reviews for a side (the first of them writes its review in these tests)."""
        if side == CLIENT:
            return [self.roles[Role.OWNER], self.roles[Role.HIRING_MANAGER]]
        return [self.freelancer]


def build_cast(capture=None) -> Cast:
    """``capture``: pytest-django's ``django_capture_on_commit_callbacks`` in a test that runs in a
    transaction (the window opens after the contract's end commits); None where commits are real."""
    organisation = make_organisation(name="Acme Robotics")
    roles = {Role.OWNER: organisation.memberships.get(role=Role.OWNER).user}
    for role in (Role.HIRING_MANAGER, Role.ADMIN, Role.FINANCE, Role.VIEWER):
        roles[role] = add_member(organisation, role, make_user(full_name=f"Acme {role}"))
    freelancer = make_freelancer(full_name="Ana Costa")
    with capture(execute=True) if capture else nullcontext():
        contract = ended_contract(
            client=roles[Role.OWNER], organisation=organisation, freelancer=freelancer, title="Arm build"
        )
    return Cast(roles=roles, freelancer=freelancer, contract=contract)
