"""Files in the kernel: one model (``StoredFile``), one set of checks, one checked download.

Each app that owns files (jobs and proposals, milestone submissions, and later messages, dispute
evidence, timesheets) links to them from its own model and registers its kind of owner here with
``register_file_owner``: who may see its files (for the download), which an organisation's API key
may read, and who may remove one. The kernel asks the owner; it never imports it.
"""

from .checks import ACCEPTED, CheckedFile, file_check, image_check, image_clean
from .owners import (
    FileOwner,
    file_for_viewer,
    file_of_organisation,
    file_remove,
    file_response,
    file_store,
    register_file_owner,
)

__all__ = [
    "ACCEPTED",
    "CheckedFile",
    "FileOwner",
    "file_check",
    "file_for_viewer",
    "file_of_organisation",
    "file_remove",
    "file_response",
    "file_store",
    "image_check",
    "image_clean",
    "register_file_owner",
]
