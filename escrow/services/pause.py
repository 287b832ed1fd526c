"""The payout pause: after a payee's payout details (the bank account payouts go to) change,
transfers to them wait PAYOUT_PAUSE_HOURS (PRODUCT.md: a changed bank account is how a taken-over
account would steal the money). The change is seen when the account is read from the processor
(``connected_account_sync``, after ``account.updated``); the first bank account, at onboarding, is
not a change. A transfer made during the pause is blocked until it ends
(``outgoing_retry.transfer_paused``); the unblocking sweep sends it after.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .. import events
from ..models import ConnectedAccount, Transfer


def payout_details_seen(account: ConnectedAccount, external_account: str) -> None:
    """Record the bank account the processor has for ``account`` now; a change starts the pause,
    and transfers already waiting for their next attempt wait at least until it ends."""
    if not external_account or external_account == account.external_account_id:
        return
    changes = {"external_account_id": external_account}
    changed = bool(account.external_account_id)
    if changed:
        until = timezone.now() + timedelta(hours=settings.PAYOUT_PAUSE_HOURS)
        changes["payouts_paused_until"] = until
    updated = ConnectedAccount.objects.filter(
        pk=account.pk, external_account_id=account.external_account_id
    ).update(**changes)
    if not (updated and changed):
        return
    waiting = Transfer.objects.filter(destination_user_id=account.user_id, status=Transfer.Status.BLOCKED)
    waiting.filter(next_attempt_at__lt=until).update(next_attempt_at=until)
    waiting.filter(next_attempt_at__isnull=True).update(next_attempt_at=until)
    account.refresh_from_db()
    events.payouts_paused.send(sender=ConnectedAccount, account=account, until=until)
