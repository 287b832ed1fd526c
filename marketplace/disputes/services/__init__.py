"""Writes of the disputes app: opening, answering, settling and deciding disputes.

Every service runs in one transaction that takes the dispute's hold first (``..locks``), checks
who acts and on which side (``..permissions``), audits, and sends its event after commit
(``..events``)."""

from .common import DISPUTE_EVIDENCE_FILES, evidence_file_remove
from .offers import offer_accept, offer_decline, offer_propose, offer_withdraw
from .opening import dispute_open, dispute_open_week, dispute_withdraw
from .steps import dispute_ask_support, dispute_respond, disputes_escalate_due, evidence_add
from .support import dispute_assign, dispute_decide, staff_note_add

__all__ = [
    "DISPUTE_EVIDENCE_FILES",
    "dispute_ask_support",
    "dispute_assign",
    "dispute_decide",
    "dispute_open",
    "dispute_open_week",
    "dispute_respond",
    "dispute_withdraw",
    "disputes_escalate_due",
    "evidence_add",
    "evidence_file_remove",
    "offer_accept",
    "offer_decline",
    "offer_propose",
    "offer_withdraw",
    "staff_note_add",
]
