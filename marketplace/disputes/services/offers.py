"""The parties settling between themselves: one proposes how all that is held divides (released to
the freelancer + refunded to the client = what the hold still holds), the other accepts — the money
moves and the dispute is settled — or declines; the proposer may withdraw it. One open offer at a
time: a new one (from either side) lapses the one before."""

from django.db import transaction
from django.utils import timezone

from marketplace.core.audit import audit_record
from marketplace.core.exceptions import Conflict, InvalidInput, PermissionDenied
from marketplace.core.money import Money
from marketplace.core.transitions import transition

from .. import events
from ..locks import dispute_under_hold, offer_under_hold
from ..models import Dispute, SettlementOffer
from ..permissions import require_side
from .common import (
    dispute_end,
    held_minor,
    lapse_open_offer,
    minor_of,
    outcome_of,
    require_active,
    settle_money,
)

Offer = SettlementOffer.Status


@transaction.atomic
def offer_propose(
    *, acting_user, dispute: Dispute, release: Money, refund: Money, message: str = ""
) -> SettlementOffer:
    side = require_side(acting_user, dispute)
    release_minor = minor_of(release, dispute.currency, "release", positive=False)
    refund_minor = minor_of(refund, dispute.currency, "refund", positive=False)
    message = (message or "").strip()
    if len(message) > 2000:
        raise InvalidInput("Keep the message under 2,000 characters.", code="message_too_long")
    current = require_active(dispute_under_hold(dispute))
    held = held_minor(current.hold)
    if release_minor + refund_minor != held:
        raise InvalidInput(
            f"An offer divides all that is held: the release and the refund must add up to "
            f"{Money(held, current.currency)}.",
            code="offer_does_not_add_up",
            fields={"refund": [f"Release + refund = {Money(held, current.currency)}."]},
        )
    lapse_open_offer(current, acting_user)
    offer = SettlementOffer.objects.create(
        dispute=current,
        proposed_by=acting_user,
        side=side,
        release_minor=release_minor,
        refund_minor=refund_minor,
        message=message,
    )
    audit_record(
        actor=acting_user,
        action="disputes.offer_propose",
        target=current,
        summary=f"Offer: release {Money(release_minor, current.currency)}, "
        f"refund {Money(refund_minor, current.currency)}",
        offer_id=offer.pk,
        side=side,
    )
    events.step_on_commit(current, "offer_proposed", acting_user)
    return offer


def _open_offer_for_answer(acting_user, offer: SettlementOffer) -> tuple[str, Dispute, SettlementOffer]:
    """The answering side (not the proposer's, 403 ``wrong_side``), the dispute and the offer read
    under the hold's lock; refused unless both are still open."""
    side = require_side(acting_user, offer.dispute)
    if side == offer.side:
        raise PermissionDenied("The other side answers this offer.", code="wrong_side")
    dispute, current = offer_under_hold(offer)
    require_active(dispute)
    if current.status != Offer.OPEN:
        raise Conflict(f"This offer is {current.get_status_display().lower()}.", code="offer_not_open")
    return side, dispute, current


@transaction.atomic
def offer_accept(*, acting_user, offer: SettlementOffer) -> Dispute:
    """Accept the other side's offer: the money moves as it says and the dispute is settled."""
    side, dispute, current = _open_offer_for_answer(acting_user, offer)
    release_minor, refund_minor = current.release_minor, current.refund_minor
    note = f"Settled by the parties: offer {current.pk} accepted"
    settle_money(
        dispute, release_minor=release_minor, refund_minor=refund_minor, actor=acting_user, reason=note
    )
    transition(
        current,
        Offer.ACCEPTED,
        actor=acting_user,
        reason="Accepted",
        answered_by=acting_user,
        answered_at=timezone.now(),
    )
    settled = dispute_end(
        dispute,
        Dispute.Status.SETTLED,
        actor=acting_user,
        note=current.message or note,
        outcome=outcome_of(release_minor, refund_minor),
        released_minor=release_minor,
        refunded_minor=refund_minor,
    )
    audit_record(
        actor=acting_user,
        action="disputes.offer_accept",
        target=settled,
        summary=note,
        offer_id=current.pk,
        side=side,
        released_minor=release_minor,
        refunded_minor=refund_minor,
    )
    events.step_on_commit(settled, "offer_accepted", acting_user)
    offer.status = current.status
    return settled


@transaction.atomic
def offer_decline(*, acting_user, offer: SettlementOffer) -> SettlementOffer:
    side, dispute, current = _open_offer_for_answer(acting_user, offer)
    declined = transition(
        current,
        Offer.DECLINED,
        actor=acting_user,
        reason="Declined",
        answered_by=acting_user,
        answered_at=timezone.now(),
    )
    audit_record(
        actor=acting_user,
        action="disputes.offer_decline",
        target=dispute,
        summary="Offer declined",
        offer_id=current.pk,
        side=side,
    )
    events.step_on_commit(dispute, "offer_declined", acting_user)
    offer.status = declined.status
    return declined


@transaction.atomic
def offer_withdraw(*, acting_user, offer: SettlementOffer) -> SettlementOffer:
    side = require_side(acting_user, offer.dispute, offer.side)
    dispute, current = offer_under_hold(offer)
    if current.status != Offer.OPEN:
        raise Conflict(f"This offer is {current.get_status_display().lower()}.", code="offer_not_open")
    withdrawn = transition(current, Offer.WITHDRAWN, actor=acting_user, reason="Withdrawn by its proposer")
    audit_record(
        actor=acting_user,
        action="disputes.offer_withdraw",
        target=dispute,
        summary="Offer withdrawn",
        offer_id=current.pk,
        side=side,
    )
    offer.status = withdrawn.status
    return withdrawn
