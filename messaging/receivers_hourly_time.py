"""Live updates of hourly contracts' time: when the freelancer logs, edits or deletes time, or starts
or stops the timer, everyone who sees the contract and has its time page open sees the week change
without reloading (``frontend/static/frontend/hourly.js`` asks the page for its fresh week).

``marketplace.hourly.events.time_changed`` is sent inside the writer's transaction; the event is
stored in it (``send_event_on_commit``) and pushed once it commits, so a refused or rolled-back
write announces nothing. The audience is the contract's viewers: its freelancer, its client and
every member of the client's organisation (any role sees the contract).
"""

from django.dispatch import receiver

from marketplace.hourly.events import time_changed
from marketplace.organisations.models import Membership

from .realtime import send_event_on_commit


def hourly_time_event(*, contract_id: int, week_start: str | None, action: str) -> dict:
    """A contract's time changed (``action``: logged, edited, deleted, timer_started, timer_stopped)."""
    return {"type": "hourly.time", "contract": contract_id, "week_start": week_start, "action": action}


def contract_viewer_ids(contract) -> set[int]:
    ids = {contract.freelancer_id, contract.client_id}
    if contract.organisation_id is not None:
        ids.update(
            Membership.objects.filter(organisation_id=contract.organisation_id).values_list(
                "user_id", flat=True
            )
        )
    return ids


@receiver(time_changed, dispatch_uid="messaging.hourly_time_live")
def hourly_time_live(sender, contract, timesheet=None, action: str = "", **kwargs) -> None:
    week = timesheet.week_start.isoformat() if timesheet is not None else None
    send_event_on_commit(
        contract_viewer_ids(contract),
        hourly_time_event(contract_id=contract.pk, week_start=week, action=action),
    )
