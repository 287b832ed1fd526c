"""The check itself: normalise once, run each kind's patterns, name the kinds found."""

from .emails import find_emails
from .handles import has_payment_handle
from .links import find_links
from .normalise import normalise
from .phones import has_phone

EMAIL = "email"
PHONE = "phone"
PAYMENT_HANDLE = "payment_handle"
LINK = "link"
KINDS = (EMAIL, PHONE, PAYMENT_HANDLE, LINK)


def contact_findings(text: str) -> list[str]:
    """The kinds of off-platform contact ``text`` shares, in ``KINDS`` order; [] when none."""
    if not text or not text.strip():
        return []
    normal = normalise(text)
    found = set()
    if find_emails(normal):
        found.add(EMAIL)
    if has_phone(normal):
        found.add(PHONE)
    if has_payment_handle(normal):
        found.add(PAYMENT_HANDLE)
    if find_links(normal):
        found.add(LINK)
    return [kind for kind in KINDS if kind in found]
