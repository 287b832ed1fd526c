"""Writes of the reviews app: reviewing, replying, reporting, moderating, and the review windows.

A plain re-export list: each area is a module of its own."""

from .feedback import review_reply, review_report
from .moderation import report_dismiss, review_remove
from .reputation import (
    client_scorecard_recompute,
    freelancer_reputation_recompute,
    reputation_recompute_all,
    reputation_recompute_for_contract,
)
from .submission import review_submit
from .windows import review_window_open, review_windows_due

__all__ = [
    "client_scorecard_recompute",
    "freelancer_reputation_recompute",
    "report_dismiss",
    "reputation_recompute_all",
    "reputation_recompute_for_contract",
    "review_remove",
    "review_reply",
    "review_report",
    "review_submit",
    "review_window_open",
    "review_windows_due",
]
