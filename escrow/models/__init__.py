"""Escrow's records: holds and their settlements, the double-entry ledger, and the rows that track
each call to the payment processor (intent → call → result)."""

from .chargebacks import ChargeDispute
from .holds import Hold, Settlement
from .ledger import LedgerAccount, LedgerEntry, LedgerTransaction
from .processor import (
    Charge,
    ConnectedAccount,
    Customer,
    ProcessorDiscrepancy,
    Refund,
    Transfer,
    WebhookEvent,
)
from .reconciliation import ReconciliationFinding, ReconciliationRun

__all__ = [
    "Charge",
    "ChargeDispute",
    "ConnectedAccount",
    "Customer",
    "Hold",
    "LedgerAccount",
    "LedgerEntry",
    "LedgerTransaction",
    "ProcessorDiscrepancy",
    "ReconciliationFinding",
    "ReconciliationRun",
    "Refund",
    "Settlement",
    "Transfer",
    "WebhookEvent",
]
