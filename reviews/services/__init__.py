"""Writes of the reviews app: reviewing, replying, reporting, moderating, and the review windows.

A plain re-export list: each area is a module of its own."""

from .feedback import review_reply, review_report
from .moderation import report_dismiss, review_remove
from .submission import review_submit
from .windows import review_window_open, review_windows_due

__all__ = [
    "report_dismiss",
    "review_remove",
    "review_reply",
    "review_report",
    "review_submit",
    "review_window_open",
    "review_windows_due",
]
