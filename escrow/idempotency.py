"""Every idempotency key escrow sends to the payment processor, built in one place.

A key is deterministic: the intent row that will be sent under it is committed with it, and a
retry after a crash or a timeout repeats the call with the same key, which the processor answers
with the object it made the first time. So these strings are part of the stored data: rows
committed before a change, and the processor's memory of them, must still replay. Never change
the text of a key (``tests/escrow/test_idempotency.py`` pins each one).
"""


def customer_key(user_id: int) -> str:
    """The payer's processor customer (one per user)."""
    return f"customer-user-{user_id}"


def account_key(user_id: int) -> str:
    """The payee's Connect account (one per user)."""
    return f"account-user-{user_id}"


def account_link_key(account_pk: int, links_created: int) -> str:
    """The ``links_created``-th onboarding link of a connected account row (links expire, so each
    request for one is a new call)."""
    return f"account-link-{account_pk}-{links_created}"


def charge_key(hold_id: int) -> str:
    """The PaymentIntent that funds a hold (one per hold)."""
    return f"charge-hold-{hold_id}"


def transfer_key(settlement_id: int, attempt: int | None = None) -> str:
    """The transfer of a release. ``attempt`` is given only for a new request after the processor
    refused the earlier one (it replays a refusal for the same key): the row's failed attempts."""
    if attempt is None:
        return f"transfer-settlement-{settlement_id}"
    return f"transfer-settlement-{settlement_id}-{attempt}"


def refund_key(settlement_id: int, attempt: int | None = None) -> str:
    """The refund of a refund settlement. ``attempt`` is given only for a new request after the
    processor refused (or failed) the earlier one: the row's attempts so far."""
    if attempt is None:
        return f"refund-settlement-{settlement_id}"
    return f"refund-settlement-{settlement_id}-{attempt}"
