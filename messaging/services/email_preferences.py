"""Writes of what each person wants emailed: their own choices, and the unsubscribe link's."""

from dataclasses import dataclass

from django.db import transaction

from marketplace.accounts.models import User
from marketplace.core.exceptions import InvalidInput

from ..email_policy import GROUP_KEYS, groups_of_link
from ..models import EmailPreference
from ..unsubscribe import unsubscribe_token_read


def _locked_preference(user_id: int) -> EmailPreference:
    """The person's row, made if missing, locked (the digest task locks it too)."""
    EmailPreference.objects.bulk_create([EmailPreference(user_id=user_id)], ignore_conflicts=True)
    return EmailPreference.objects.select_for_update().get(user_id=user_id)


@transaction.atomic
def email_preferences_update(*, acting_user: User, changes: dict[str, bool]) -> EmailPreference:
    """Turn groups of emails on or off for oneself; an unknown group is 400 ``unknown_email_group``."""
    unknown = sorted(set(changes) - set(GROUP_KEYS))
    if unknown:
        raise InvalidInput(
            f"No such group of emails: {', '.join(unknown)}.",
            code="unknown_email_group",
            fields={name: ["No such group of emails."] for name in unknown},
        )
    preference = _locked_preference(acting_user.pk)
    for key, on in changes.items():
        setattr(preference, key, bool(on))
    preference.save()
    return preference


@dataclass(frozen=True)
class Unsubscribed:
    user: User
    groups: tuple[str, ...]


def unsubscribe_link_check(*, token: str) -> Unsubscribed:
    """What the link would turn off, and for whom, without doing it (the confirmation page)."""
    link = unsubscribe_token_read(token)
    user = User.objects.filter(pk=link.user_id).first()
    if user is None:
        raise InvalidInput("This unsubscribe link is not valid any more.", code="unsubscribe_link_invalid")
    return Unsubscribed(user=user, groups=groups_of_link(link.group))


@transaction.atomic
def email_unsubscribe(*, token: str) -> Unsubscribed:
    """Turn off the groups a signed unsubscribe link names; again is harmless. No login needed: the
    signature is the permission."""
    unsubscribed = unsubscribe_link_check(token=token)
    preference = _locked_preference(unsubscribed.user.pk)
    for key in unsubscribed.groups:
        setattr(preference, key, False)
    preference.save()
    return unsubscribed
