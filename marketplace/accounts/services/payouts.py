"""Payout onboarding for freelancers: a Stripe Connect Express account, opened only by a person who
has two-factor authentication on (payout details are what an account thief would change first)."""

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings

from escrow.services.connect import connected_account_sync, payout_onboarding_link
from marketplace.core.exceptions import PermissionDenied

from ..models import User


def payout_onboarding_start(*, acting_user: User, return_url: str, refresh_url: str) -> str:
    """The URL of the processor's onboarding page for the acting freelancer."""
    if acting_user.is_suspended:
        raise PermissionDenied("A suspended account cannot change payout details.", code="account_suspended")
    if not is_mfa_enabled(acting_user):
        raise PermissionDenied(
            "Turn on two-factor authentication before setting up payouts.", code="two_factor_required"
        )
    return payout_onboarding_link(
        user=acting_user,
        country=settings.STRIPE_CONNECT_COUNTRY,
        return_url=return_url,
        refresh_url=refresh_url,
    )


def payout_account_refresh(*, acting_user: User):
    """Read the acting user's payout account from the processor (after returning from onboarding)."""
    account = getattr(acting_user, "connected_account", None)
    if account is None or not account.account_id:
        return None
    return connected_account_sync(account_id=account.account_id)
