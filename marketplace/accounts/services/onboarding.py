"""Registration extras and the account's own settings: roles, terms, timezone, billing details."""

import re
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


# A tax or VAT number as the tax offices write them: letters and digits, with spaces, dots, hyphens
# and slashes between (e.g. "DE 123456789", "12-3456789", "GB123 4567 89"); checked for its shape
# only, not against a registry.
TAX_ID = re.compile(r"[A-Z0-9](?:[A-Z0-9 ./-]*[A-Z0-9])?")
TAX_ID_LENGTHS = (4, 32)
BILLING_ADDRESS_MAX_LINES = 6


@transaction.atomic
def billing_details_update(*, user: User, billing_name: str, billing_address: str, tax_id: str) -> User:
    """The name, address and tax ID printed on the receipts of what the person pays; each optional
    (empty: left off the receipt)."""
    billing_name = " ".join(billing_name.split())
    lines = [" ".join(line.split()) for line in billing_address.splitlines()]
    billing_address = "\n".join(line for line in lines if line)
    tax_id = " ".join(tax_id.upper().split())
    low, high = TAX_ID_LENGTHS
    if tax_id and not (low <= len(tax_id) <= high and TAX_ID.fullmatch(tax_id)):
        raise InvalidInput(
            f"A tax ID is {low} to {high} letters and digits (spaces, dots, hyphens and slashes between).",
            code="invalid_tax_id",
            fields={"tax_id": ["Check the tax ID."]},
        )
    if billing_address.count("\n") >= BILLING_ADDRESS_MAX_LINES or len(billing_address) > 500:
        raise InvalidInput(
            f"Keep the billing address to {BILLING_ADDRESS_MAX_LINES} lines and 500 characters.",
            code="billing_address_too_long",
            fields={"billing_address": ["Too long."]},
        )
    user.billing_name, user.billing_address, user.tax_id = billing_name[:150], billing_address, tax_id
    user.save(update_fields=["billing_name", "billing_address", "tax_id"])
    return user


@transaction.atomic
def email_verified_record(*, user: User) -> None:
    """allauth confirmed an address: the email badge is the platform's own verification."""
    Badge.objects.get_or_create(user=user, kind=Badge.Kind.EMAIL)
