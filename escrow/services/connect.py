"""Payees' Connect Express accounts: made once, onboarded through account links, kept current.

Whoever calls ``payout_onboarding_link`` has checked that the person may change payout details
(the marketplace requires two-factor authentication first).
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from marketplace.core.exceptions import DependencyUnavailable

from .. import gateway, idempotency
from ..models import ConnectedAccount, Transfer
from .pause import payout_details_seen
from .payouts import transfers_unblock_for
from .replays import made_once


def _unavailable(error: gateway.GatewayError) -> DependencyUnavailable:
    return DependencyUnavailable(
        f"The payment processor did not answer; try again in a minute. ({error.message})"
    )


def connected_account_for(user, *, country: str) -> ConnectedAccount:
    account, _ = ConnectedAccount.objects.get_or_create(
        user=user, defaults={"idempotency_key": idempotency.account_key(user.pk), "country": country}
    )
    if account.account_id:
        return account
    try:
        made = made_once(
            account,
            create=lambda key: gateway.create_account(
                email=user.email, country=account.country, metadata={"user_id": user.pk}, idempotency_key=key
            ),
            # Accounts are listed by creation time only: those since the row was made (a minute's slack
            # for clocks).
            find=lambda key: gateway.find_account(
                created_since=int(account.created_at.timestamp()) - 60, idempotency_key=key
            ),
        )
    except gateway.ProcessorUnavailable as error:
        raise _unavailable(error) from error
    ConnectedAccount.objects.filter(pk=account.pk, account_id="").update(account_id=made.id)
    account.refresh_from_db()
    return account


def payout_onboarding_link(*, user, country: str, return_url: str, refresh_url: str) -> str:
    """The processor's onboarding page for this payee (a fresh link each time: they expire)."""
    account = connected_account_for(user, country=country)
    with transaction.atomic():
        ConnectedAccount.objects.filter(pk=account.pk).update(links_created=F("links_created") + 1)
        account.refresh_from_db(fields=["links_created"])
    try:
        link = gateway.create_account_link(
            account_id=account.account_id,
            refresh_url=refresh_url,
            return_url=return_url,
            idempotency_key=idempotency.account_link_key(account.pk, account.links_created),
        )
    except gateway.ProcessorUnavailable as error:
        raise _unavailable(error) from error
    return link.url


def connected_account_sync(*, account_id: str) -> ConnectedAccount | None:
    """Read the account as the processor has it now (events may arrive late or out of order,
    so their payload is only a hint) and queue any transfers that were waiting for it."""
    account = ConnectedAccount.objects.filter(account_id=account_id).first()
    if account is None:
        return None
    try:
        current = gateway.retrieve_account(account_id)
    except gateway.ProcessorUnavailable as error:
        raise _unavailable(error) from error
    ConnectedAccount.objects.filter(pk=account.pk).update(
        details_submitted=current.details_submitted,
        payouts_enabled=current.payouts_enabled,
        transfers_active=current.transfers_active,
        synced_at=timezone.now(),
    )
    payout_details_seen(account, current.external_account)
    account.refresh_from_db()
    if account.can_receive:
        transfers_unblock_for(account.user_id)
    return account


def transfers_retry_for(account: ConnectedAccount) -> list[int]:
    """The unblocking sweep for one payee whose waiting transfers are due. When one of them was
    refused, the account is read again from the processor first (a refusal usually means our copy
    of it is out of date; ``connected_account_sync`` then unblocks them if it can receive); the
    others just go. The ids queued."""
    refused = Transfer.objects.filter(
        destination_user_id=account.user_id, status=Transfer.Status.BLOCKED
    ).exclude(last_error="")
    if not refused.exists():
        return transfers_unblock_for(account.user_id)
    try:
        connected_account_sync(account_id=account.account_id)
    except gateway.ProcessorRefused as error:  # the account is gone at the processor
        ConnectedAccount.objects.filter(pk=account.pk).update(
            payouts_enabled=False, transfers_active=False, synced_at=timezone.now()
        )
        refused.update(last_error=f"The payout account could not be read: {error.message}"[:255])
    return []
