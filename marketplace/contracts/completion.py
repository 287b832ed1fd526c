"""What marking a contract completed does to its milestones: the one home of the rule, read by the
service that completes and by the pages and API that offer it.

A contract is completed only when none of its milestones holds money the client could still approve
or get back (funded, submitted, changes requested): that money is released by approving the work, or
refunded by cancelling the contract. Unfunded (pending) milestones are closed — cancelled — by the
completion, and the completion dialog names them. Approved milestones whose release waits (say, for
the freelancer's payouts) do not stand in the way: that money is the freelancer's already.
"""

from dataclasses import dataclass

from marketplace.core.exceptions import Conflict

from .models import Milestone

Status = Milestone.Status
# Money in escrow that is still the client's to approve or get back.
HELD = (Status.FUNDED, Status.SUBMITTED, Status.REVISION_REQUESTED)


@dataclass(frozen=True)
class Completion:
    held: list[Milestone]  # these refuse the completion
    closed: list[Milestone]  # these the completion cancels (never funded)


def completion_of(milestones) -> Completion:
    milestones = list(milestones)
    return Completion(
        held=[m for m in milestones if m.status in HELD],
        closed=[m for m in milestones if m.status == Status.PENDING],
    )


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def named(milestones: list[Milestone], *, with_status: bool = False) -> str:
    """“2. Build” and “3. Launch” (with ``with_status``: “2. Build” (funded) …), in schedule order."""
    return _listed(
        [
            f"“{m.position}. {m.title}”" + (f" ({m.get_status_display().lower()})" if with_status else "")
            for m in sorted(milestones, key=lambda m: m.position)
        ]
    )


def held_reason(held: list[Milestone]) -> str:
    """Why the contract cannot be completed yet, and what to do instead."""
    return (
        f"Money is still held in escrow for {named(held, with_status=True)}, so the contract cannot be "
        "completed yet. Approve the submitted work to pay it (funded work is approved once it is "
        "submitted), or cancel the contract instead, which refunds what was not submitted."
    )


def completion_refused(held: list[Milestone]) -> Conflict:
    """409 ``milestones_hold_money``; ``fields`` names each milestone as ``milestones.<id>`` with its
    status as the code."""
    return Conflict(
        held_reason(held),
        code="milestones_hold_money",
        fields={
            f"milestones.{m.pk}": [
                {"code": m.status, "message": f"{m.position}. {m.title}: {m.get_status_display()}"}
            ]
            for m in held
        },
    )
