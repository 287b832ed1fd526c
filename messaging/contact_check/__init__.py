"""Off-platform contact check: does a message share a way to reach or pay someone outside the site?

``contact_findings(text)`` returns the kinds found — ``"email"``, ``"phone"``, ``"payment_handle"``
(payment apps and crypto wallets, and messaging-app handles or "text me / call me" invitations,
which move the conversation off the site the same way) and ``"link"`` — or an empty list. It is a
warning and a flag for staff, never a block: the message is delivered either way, so the check leans
towards catching disguises and accepts an occasional false warning.

One module per step: ``normalise`` undoes the disguises, ``vocabulary`` holds the word lists (top-level
domains, mail providers, public reference sites), ``emails``, ``phones``, ``handles`` and ``links``
hold each kind's patterns and their exceptions (each module's docstring states its policy), and
``decision`` runs them and names the kinds found.

Known limits: a contact split across several messages, written in an image or an attachment, or
described in words ("same name on the blue bird site") is not found; nor are domains under
top-level domains outside ``vocabulary.TLDS``. Long runs of unrelated numbers in one line (a list of scores,
an unlabelled tracking number) can read as a phone number and earn a warning.
"""

from .decision import EMAIL, KINDS, LINK, PAYMENT_HANDLE, PHONE, contact_findings
from .vocabulary import PUBLIC_REFERENCE_HOSTS

__all__ = ["EMAIL", "KINDS", "LINK", "PAYMENT_HANDLE", "PHONE", "PUBLIC_REFERENCE_HOSTS", "contact_findings"]
