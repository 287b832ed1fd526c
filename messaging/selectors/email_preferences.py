"""Reads of what each person wants emailed: always their own, or the senders' own question."""

from collections.abc import Iterable

from ..email_policy import GROUP_KEYS
from ..models import EmailPreference


def email_preferences_of(user) -> EmailPreference:
    """The person's choices; the defaults (every group on) when they never changed one."""
    return EmailPreference.objects.filter(user_id=user.pk).first() or EmailPreference(user_id=user.pk)


def email_preferences_dict(preference: EmailPreference) -> dict[str, bool]:
    return {key: getattr(preference, key) for key in GROUP_KEYS}


def recipients_wanting(user_ids: Iterable[int], group: str) -> set[int]:
    """Those of ``user_ids`` who have not turned ``group``'s emails off (one query)."""
    user_ids = set(user_ids)
    off = EmailPreference.objects.filter(user_id__in=user_ids, **{group: False}).values_list(
        "user_id", flat=True
    )
    return user_ids - set(off)
