"""Row locks of escrow, in the platform's one lock order:

    hold → escrow row (charge, transfer, refund) → ledger accounts in pk order → milestone / contract rows

Every service that moves money takes its locks through named helpers in this order (the higher
apps' helpers lock their own rows last)."""

from collections.abc import Iterable

from .models import Hold


def lock_holds(hold_ids: Iterable[int]) -> list[Hold]:
    """Lock these holds, in pk order."""
    return list(Hold.objects.select_for_update().filter(pk__in=list(hold_ids)).order_by("pk"))
