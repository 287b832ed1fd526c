"""The one-click unsubscribe link every notification and digest email carries.

The link holds a signed (``django.core.signing``, salted) user id and preference group, so it works
without logging in and cannot be turned on another person or group. It is good for
``UNSUBSCRIBE_LINK_MAX_AGE`` (email is read late, but not forever); a tampered or older link is
refused with a clear 400 page, never a 500. The headers (RFC 2369 ``List-Unsubscribe`` and RFC 8058
``List-Unsubscribe-Post``) let a mail client offer its own button, which POSTs to the same address.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from marketplace.core.exceptions import InvalidInput

from .email_policy import groups_of_link

SALT = "messaging.email-unsubscribe"
UNSUBSCRIBE_LINK_MAX_AGE = timedelta(days=365)


@dataclass(frozen=True)
class UnsubscribeLink:
    user_id: int
    group: str  # a key of email_policy.GROUPS, or email_policy.DIGEST


def unsubscribe_token(*, user_id: int, group: str) -> str:
    return signing.dumps({"u": user_id, "g": group}, salt=SALT)


def unsubscribe_url(*, user_id: int, group: str) -> str:
    token = unsubscribe_token(user_id=user_id, group=group)
    return f"{settings.SITE_URL}{reverse('frontend:email_unsubscribe', args=[token])}"


def unsubscribe_headers(url: str) -> dict[str, str]:
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def unsubscribe_token_read(token: str) -> UnsubscribeLink:
    """The link's person and group; ``InvalidInput`` for a link that was changed, is too old, or
    names no group."""
    try:
        data = signing.loads(token, salt=SALT, max_age=UNSUBSCRIBE_LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise InvalidInput(
            "This unsubscribe link has expired. Log in and choose your emails in your account settings.",
            code="unsubscribe_link_expired",
        ) from exc
    except signing.BadSignature as exc:
        raise InvalidInput(
            "This unsubscribe link is not valid: it may have been cut short or changed. Copy the whole "
            "link from the email, or log in and choose your emails in your account settings.",
            code="unsubscribe_link_invalid",
        ) from exc
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("u"), int)
        or not groups_of_link(str(data.get("g")))
    ):
        raise InvalidInput("This unsubscribe link is not valid.", code="unsubscribe_link_invalid")
    return UnsubscribeLink(user_id=data["u"], group=data["g"])
