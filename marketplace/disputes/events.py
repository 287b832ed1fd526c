"""Domain events of disputes, for the apps above (notifications, the dispute's conversation).

Sent once the service's transaction commits (``send_on_commit``), so a receiver sees the rows
it is told of; receivers queue their own side effects.
"""

from functools import partial

from django.db import transaction
from django.dispatch import Signal

# dispute=
dispute_opened = Signal()
# dispute=, step=, actor= (None: the platform on its own, say the response deadline passing)
dispute_step = Signal()

STEPS = (
    "responded",
    "evidence",
    "asked_support",
    "escalated",
    "offer_proposed",
    "offer_accepted",
    "offer_declined",
    "assigned",
    "decided",
    "withdrawn",
    "closed",
)


def send_on_commit(signal: Signal, sender, **kwargs) -> None:
    transaction.on_commit(partial(signal.send, sender=sender, **kwargs))


def step_on_commit(dispute, step: str, actor) -> None:
    if step not in STEPS:
        raise ValueError(f"Unknown dispute step {step!r}.")
    send_on_commit(dispute_step, type(dispute), dispute=dispute, step=step, actor=actor)
