"""Every write to contracts and their milestones, and the acceptance that starts a contract."""

from .acceptance import offer_accept
from .contracts import contract_cancel, contract_complete
from .milestones import (
    milestone_approve,
    milestone_fund_confirm,
    milestone_fund_start,
    milestone_hold,
    milestone_refund,
    milestone_request_revision,
    milestone_settle_by_dispute,
    milestone_submit,
    milestones_due,
)

__all__ = [
    "contract_cancel",
    "contract_complete",
    "milestone_approve",
    "milestone_fund_confirm",
    "milestone_fund_start",
    "milestone_hold",
    "milestone_refund",
    "milestone_request_revision",
    "milestone_settle_by_dispute",
    "milestone_submit",
    "milestones_due",
    "offer_accept",
]
