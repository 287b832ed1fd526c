"""What the dispute services share: texts and amounts checked, evidence stored, the money moved
at a dispute's end, and the end itself."""

from django.conf import settings
from django.utils import timezone

from escrow.models import Hold
from escrow.services.holds import hold_refund, hold_release, hold_split, hold_unfreeze, settled_so_far
from marketplace.contracts.services import milestone_settle_by_dispute
from marketplace.core.exceptions import Conflict, InvalidInput, PermissionDenied
from marketplace.core.files import file_check, file_store
from marketplace.core.money import Money
from marketplace.core.transitions import transition
from marketplace.hourly.services.review import timesheet_settle_by_dispute

from ..models import Dispute, DisputeEvidence, SettlementOffer

DISPUTE_EVIDENCE_FILES = "disputes.disputeevidence"


def text(value: str, field: str, *, least: int = 1, most: int = 5000, what: str) -> str:
    value = (value or "").strip()
    if not least <= len(value) <= most:
        raise InvalidInput(
            f"{what} ({least} to {most:,} characters).",
            code=f"{field}_required",
            fields={field: ["Required."]},
        )
    return value


def minor_of(amount, currency: str, field: str, *, positive: bool = True) -> int:
    """The minor units of ``amount`` (``Money`` in ``currency``; above zero, or with ``positive``
    False zero or more)."""
    if not isinstance(amount, Money):
        raise InvalidInput("An amount must be Money.", code="amount_not_money", fields={field: ["Required."]})
    if amount.currency != currency:
        raise InvalidInput(
            f"This money is in {currency}.",
            code="currency_mismatch",
            fields={field: [f"Must be in {currency}."]},
        )
    if amount.amount_minor < (1 if positive else 0):
        raise InvalidInput(
            "An amount must be more than zero." if positive else "An amount is never negative.",
            code="amount_not_positive" if positive else "amount_negative",
            fields={field: ["Must be more than zero." if positive else "Must be zero or more."]},
        )
    return amount.amount_minor


def held_minor(hold: Hold) -> int:
    """What the hold still holds (principal), read under its lock."""
    return hold.amount_minor - sum(settled_so_far(hold))


def _parts(upload) -> tuple[str, bytes]:
    """A Django ``UploadedFile`` (or a ``(name, bytes)`` pair)."""
    if isinstance(upload, tuple):
        return upload
    upload.seek(0)
    return upload.name, upload.read()


def files_checked(files) -> list:
    """Every file checked before any is stored: a refused one leaves no file on disk."""
    files = list(files or ())
    if len(files) > settings.ATTACHMENTS_MAX_COUNT:
        raise Conflict(
            f"At most {settings.ATTACHMENTS_MAX_COUNT} files can be attached.", code="too_many_attachments"
        )
    return [file_check(data, name) for name, data in map(_parts, files)]


def evidence_create(*, dispute: Dispute, user, side: str, statement: str, checked: list) -> DisputeEvidence:
    evidence = DisputeEvidence.objects.create(
        dispute=dispute, submitted_by=user, side=side, statement=statement
    )
    for one in checked:
        evidence.attachments.add(file_store(acting_user=user, checked=one, owner_kind=DISPUTE_EVIDENCE_FILES))
    return evidence


def require_active(dispute: Dispute) -> Dispute:
    if not dispute.is_active:
        raise Conflict(
            f"This dispute is {dispute.get_status_display().lower()} already.", code="dispute_not_active"
        )
    return dispute


def require_no_open_chargeback(dispute: Dispute) -> None:
    """A chargeback that joined this dispute leaves the money to the card's bank until it closes:
    nothing unfreezes or moves it meanwhile (a won chargeback gives it back to the dispute)."""
    chargeback = dispute.chargeback
    if chargeback is not None and not chargeback.is_closed:
        raise Conflict(
            "The card's bank is reviewing a chargeback on this payment; this waits for its decision.",
            code="chargeback_open",
        )


def settle_money(dispute: Dispute, *, release_minor: int, refund_minor: int, actor, reason: str) -> None:
    """Unfreeze the dispute's hold and move all it holds — released, refunded or split — then move
    the milestone (or the hourly week) to match: in the caller's transaction, the hold locked
    (``dispute_under_hold``)."""
    require_no_open_chargeback(dispute)
    hold, currency = dispute.hold, dispute.currency
    if release_minor + refund_minor != held_minor(hold):
        raise Conflict("The parts no longer add up to what is held.", code="held_changed")
    hold_unfreeze(hold=hold, acting_user=actor, reason=reason)
    if release_minor and refund_minor:
        hold_split(
            hold=hold,
            release=Money(release_minor, currency),
            refund=Money(refund_minor, currency),
            acting_user=actor,
            reason=reason,
        )
    elif release_minor:
        hold_release(hold=hold, amount=Money(release_minor, currency), acting_user=actor, reason=reason)
    else:
        hold_refund(hold=hold, amount=Money(refund_minor, currency), acting_user=actor, reason=reason)
    if dispute.timesheet_id:
        timesheet_settle_by_dispute(
            timesheet=dispute.timesheet,
            released_minor=release_minor,
            refunded_minor=refund_minor,
            actor=actor,
            reason=reason,
        )
        return
    milestone_settle_by_dispute(
        milestone=dispute.milestone,
        released_minor=release_minor,
        refunded_minor=refund_minor,
        actor=actor,
        reason=reason,
    )


def outcome_of(release_minor: int, refund_minor: int) -> str:
    if release_minor and refund_minor:
        return Dispute.Outcome.SPLIT
    return Dispute.Outcome.RELEASE_ALL if release_minor else Dispute.Outcome.REFUND_ALL


def lapse_open_offer(dispute: Dispute, actor=None) -> None:
    for offer in dispute.offers.filter(status=SettlementOffer.Status.OPEN):
        transition(offer, SettlementOffer.Status.LAPSED, actor=actor, reason="Replaced or the dispute ended")


def dispute_end(dispute: Dispute, to: str, *, actor, note: str, **changes) -> Dispute:
    """Move the dispute to its end ``to``; any open offer lapses with it."""
    lapse_open_offer(dispute, actor)
    return transition(
        dispute,
        to,
        actor=actor,
        reason=note[:255],
        resolved_by=actor if getattr(actor, "pk", None) else None,
        resolved_at=timezone.now(),
        resolution_note=note,
        **changes,
    )


def evidence_file_remove(*, acting_user, file) -> None:
    """The kernel's removal of a dispute's evidence file: never (it is the record of the case)."""
    raise PermissionDenied("Evidence in a dispute stays as it was given.", code="dispute_evidence")
