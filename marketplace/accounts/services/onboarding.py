"""Registration extras and the account's own settings: roles, terms, timezone."""

import secrets
import zoneinfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from marketplace.core.exceptions import InvalidInput

from ..models import Badge, ClientProfile, FreelancerProfile, User


def _new_handle(user: User) -> str:
    base = slugify(user.full_name or user.email.split("@")[0])[:40] or "freelancer"
    while True:
        handle = f"{base}-{secrets.token_hex(3)}"
        if not FreelancerProfile.objects.filter(handle=handle).exists():
            return handle


def _ensure_profiles(user: User) -> None:
    if user.is_freelancer:
        FreelancerProfile.objects.get_or_create(user=user, defaults={"handle": _new_handle(user)})
    if user.is_client:
        ClientProfile.objects.get_or_create(user=user)


@transaction.atomic
def account_onboard(
    *, user: User, full_name: str, is_client: bool, is_freelancer: bool, accepted_terms: bool
) -> User:
    """Complete a new registration: record the terms, the roles chosen, and create the profiles."""
    if not accepted_terms:
        raise InvalidInput("You must accept the terms of service to register.", code="terms_not_accepted")
    if not (is_client or is_freelancer):
        raise InvalidInput("Choose at least one: hire freelancers, or work as one.", code="no_role_chosen")
    user.full_name = full_name.strip()
    user.is_client = is_client
    user.is_freelancer = is_freelancer
    user.terms_version = settings.TERMS_VERSION
    user.terms_accepted_at = timezone.now()
    user.save(update_fields=["full_name", "is_client", "is_freelancer", "terms_version", "terms_accepted_at"])
    _ensure_profiles(user)
    return user


@transaction.atomic
def account_settings_update(
    *, user: User, full_name: str, is_client: bool, is_freelancer: bool, timezone_name: str
) -> User:
    """Change the account's name, roles and timezone. Dropping a role keeps that profile's data."""
    if not (is_client or is_freelancer):
        raise InvalidInput("Keep at least one role: hire freelancers, or work as one.", code="no_role_chosen")
    if timezone_name not in zoneinfo.available_timezones():
        raise InvalidInput(f"Unknown timezone {timezone_name!r}.", code="unknown_timezone")
    user.full_name = full_name.strip()
    user.is_client = is_client
    user.is_freelancer = is_freelancer
    user.timezone = timezone_name
    user.save(update_fields=["full_name", "is_client", "is_freelancer", "timezone"])
    _ensure_profiles(user)
    return user


@transaction.atomic
def email_verified_record(*, user: User) -> None:
    """allauth confirmed an address: the email badge is the platform's own verification."""
    Badge.objects.get_or_create(user=user, kind=Badge.Kind.EMAIL)
