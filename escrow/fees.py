"""Platform fees: integer basis points on integer minor units, the one place they are computed.

fee = round-half-up(amount * bp / 10,000). A payment made in parts (milestones, partial releases
or refunds) must add up to the fee on the whole. Each part's fee is the fee on everything up to
and including it minus the fee on everything before it: that is the fee on the part itself to
within one minor unit, the last part takes the remainder, and unlike "round each part, put the
difference on the last" it can never go negative (four parts of 1 cent at 50 % would give the
last part a fee of -1 cent that way).
"""

from collections.abc import Sequence
from dataclasses import dataclass

BP_DENOMINATOR = 10_000


def fee_minor(amount_minor: int, bp: int) -> int:
    """round-half-up(amount * bp / 10,000), in exact integer arithmetic."""
    if amount_minor < 0 or bp < 0:
        raise ValueError("Amounts and basis points are never negative.")
    return (amount_minor * bp * 2 + BP_DENOMINATOR) // (BP_DENOMINATOR * 2)


def fee_for_next_part(part_minor: int, bp: int, *, before_minor: int = 0) -> int:
    """The fee on ``part_minor`` when ``before_minor`` of the same payment was charged before."""
    return fee_minor(before_minor + part_minor, bp) - fee_minor(before_minor, bp)


def fees_for_parts(parts_minor: Sequence[int], bp: int) -> list[int]:
    """Each part's fee, in order; they add up to the fee on the sum of the parts."""
    fees, before = [], 0
    for part in parts_minor:
        fees.append(fee_for_next_part(part, bp, before_minor=before))
        before += part
    return fees


@dataclass(frozen=True)
class FeeBreakdown:
    """What each side pays and receives for an amount, shown before anyone commits."""

    amount_minor: int
    client_fee_bp: int
    freelancer_fee_bp: int
    client_fee_minor: int
    freelancer_fee_minor: int

    @property
    def client_total_minor(self) -> int:
        return self.amount_minor + self.client_fee_minor

    @property
    def freelancer_receives_minor(self) -> int:
        return self.amount_minor - self.freelancer_fee_minor

    @property
    def platform_revenue_minor(self) -> int:
        return self.client_fee_minor + self.freelancer_fee_minor


def fee_breakdown(amount_minor: int, *, client_fee_bp: int, freelancer_fee_bp: int) -> FeeBreakdown:
    return FeeBreakdown(
        amount_minor=amount_minor,
        client_fee_bp=client_fee_bp,
        freelancer_fee_bp=freelancer_fee_bp,
        client_fee_minor=fee_minor(amount_minor, client_fee_bp),
        freelancer_fee_minor=fee_minor(amount_minor, freelancer_fee_bp),
    )


def fee_breakdowns_for_parts(
    parts_minor: Sequence[int], *, client_fee_bp: int, freelancer_fee_bp: int
) -> list[FeeBreakdown]:
    """Per-part breakdowns (e.g. milestones) whose fees add up to the fees on the total."""
    client_fees = fees_for_parts(parts_minor, client_fee_bp)
    freelancer_fees = fees_for_parts(parts_minor, freelancer_fee_bp)
    return [
        FeeBreakdown(part, client_fee_bp, freelancer_fee_bp, client_fee, freelancer_fee)
        for part, client_fee, freelancer_fee in zip(parts_minor, client_fees, freelancer_fees, strict=True)
    ]


def schedule_breakdown(
    amount_minor: int, parts_minor: Sequence[int], *, client_fee_bp: int, freelancer_fee_bp: int
) -> tuple[FeeBreakdown, list[FeeBreakdown]]:
    """The breakdown of a whole and of each part of its schedule (an offer's or a contract's)."""
    rates = {"client_fee_bp": client_fee_bp, "freelancer_fee_bp": freelancer_fee_bp}
    return fee_breakdown(amount_minor, **rates), fee_breakdowns_for_parts(parts_minor, **rates)


def _round_half_up(numerator: int, denominator: int) -> int:
    return (numerator * 2 + denominator) // (denominator * 2)


def fee_share(total_fee_minor: int, whole_minor: int, part_minor: int, *, before_minor: int = 0) -> int:
    """The share of a fee fixed on ``whole_minor`` that falls on the next ``part_minor`` of it, when
    ``before_minor`` was settled before: cumulative and rounded half up, so the shares of parts that
    make up the whole add up to ``total_fee_minor`` exactly. (A milestone's hold has its fee fixed
    by the contract's split; its partial releases and refunds divide that fee.)"""
    if not (
        whole_minor > 0 and min(before_minor, part_minor) >= 0 and before_minor + part_minor <= whole_minor
    ):
        raise ValueError("A part must lie within the whole.")
    after = _round_half_up(total_fee_minor * (before_minor + part_minor), whole_minor)
    return after - _round_half_up(total_fee_minor * before_minor, whole_minor)
