"""What changes a reputation, received after the change committed: each queues
``reviews.reputation_recompute`` for the contract concerned (both parties), after commit.

- a contract ended (completed or cancelled): it joins the freelancer's period;
- a milestone of an ended contract was paid out or split: its money reached the freelancer (an
  approval waiting for the freelancer's payouts is paid out after the contract was completed);
- a dispute was decided by support or settled by the parties;
- reviews were published, or staff removed one.
"""

from marketplace.contracts.models import Contract, Milestone
from marketplace.core.task_queue import queue_task_on_commit
from marketplace.core.transitions import status_changed
from marketplace.disputes import events as dispute_events
from marketplace.disputes.models import Dispute

from . import events
from .models import Review
from .selectors.reviews import PAID

TASK = "reviews.reputation_recompute"
# The dispute steps that end one with money moved: support's decision, an accepted split.
DISPUTE_ENDS = ("decided", "offer_accepted")


def connect() -> None:
    status_changed.connect(_on_contract, sender=Contract, dispatch_uid="reviews.reputation.contract")
    status_changed.connect(_on_milestone, sender=Milestone, dispatch_uid="reviews.reputation.milestone")
    dispute_events.dispute_step.connect(
        _on_dispute, sender=Dispute, dispatch_uid="reviews.reputation.dispute"
    )
    events.reviews_revealed.connect(_on_revealed, sender=Review, dispatch_uid="reviews.reputation.revealed")
    events.review_removed.connect(_on_removed, sender=Review, dispatch_uid="reviews.reputation.removed")


def _recompute(contract_id: int) -> None:
    queue_task_on_commit(TASK, contract_id=contract_id)


def _on_contract(sender, *, instance_id, to_status, **kwargs) -> None:
    if to_status in Contract.TERMINAL:
        _recompute(instance_id)


def _on_milestone(sender, *, instance_id, to_status, **kwargs) -> None:
    if to_status in PAID:
        contract_id = (
            Milestone.objects.filter(pk=instance_id, contract__status__in=Contract.TERMINAL)
            .values_list("contract_id", flat=True)
            .first()
        )
        if contract_id is not None:
            _recompute(contract_id)


def _on_dispute(sender, *, dispute, step, **kwargs) -> None:
    if step in DISPUTE_ENDS:
        _recompute(dispute.contract_id)


def _on_revealed(sender, *, contract, **kwargs) -> None:
    _recompute(contract.pk)


def _on_removed(sender, *, review, **kwargs) -> None:
    _recompute(review.contract_id)
