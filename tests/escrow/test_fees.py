"""escrow.fees against an independent reference in exact fractions: fee = round-half-up(amount * bp
/ 10,000); fees on parts add up to the fee on the whole and are never negative."""

import math
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from escrow.fees import fee_breakdown, fee_breakdowns_for_parts, fee_minor, fee_share, fees_for_parts

amounts = st.integers(min_value=0, max_value=10**13)
small_amounts = st.integers(min_value=0, max_value=10_000)
rates = st.integers(min_value=0, max_value=10_000)


def reference_fee(amount_minor: int, bp: int) -> int:
    exact = Fraction(amount_minor * bp, 10_000)
    return math.floor(exact + Fraction(1, 2))


@pytest.mark.parametrize(
    ("amount_minor", "bp", "fee"),
    [
        (100_000, 500, 5_000),  # 5 % of 1,000.00 is 50.00
        (100_001, 500, 5_000),  # 5,000.05 rounds down
        (100_010, 500, 5_001),  # 5,000.5 rounds up (half up)
        (10, 500, 1),  # 0.5 → 1
        (9, 500, 0),  # 0.45 → 0
        (199, 250, 5),  # 4.975 → 5
        (1, 5_000, 1),  # half a cent → a cent
        (12_345, 0, 0),
        (12_345, 10_000, 12_345),
        (0, 1_000, 0),
    ],
)
def test_worked_examples(amount_minor, bp, fee):
    assert fee_minor(amount_minor, bp) == fee
    assert reference_fee(amount_minor, bp) == fee


def test_parts_of_one_cent_at_half_never_go_negative():
    """The case the module's docstring names: rounding each part and putting the difference on the
    last would charge the last part -1 cent."""
    assert fees_for_parts([1, 1, 1, 1], 5_000) == [1, 0, 1, 0]
    assert sum(fees_for_parts([1, 1, 1, 1], 5_000)) == fee_minor(4, 5_000) == 2


def test_negative_amounts_and_rates_are_refused():
    with pytest.raises(ValueError, match="never negative"):
        fee_minor(-1, 500)
    with pytest.raises(ValueError, match="never negative"):
        fee_minor(100, -1)


@given(amount=amounts, bp=rates)
@example(amount=10**13, bp=9_999)
def test_fee_is_round_half_up_of_the_exact_fee(amount, bp):
    assert fee_minor(amount, bp) == reference_fee(amount, bp)


@given(parts=st.lists(small_amounts | amounts, max_size=25), bp=rates)
def test_fees_on_parts_add_up_to_the_fee_on_the_whole_and_are_never_negative(parts, bp):
    fees = fees_for_parts(parts, bp)
    assert len(fees) == len(parts)
    assert sum(fees) == reference_fee(sum(parts), bp)
    for part, fee in zip(parts, fees, strict=True):
        assert fee >= 0
        assert abs(fee - reference_fee(part, bp)) <= 1  # each part's fee is its own, to within a unit
        assert fee <= part  # so a part never pays out less than nothing


@given(amount=amounts, client_bp=rates, freelancer_bp=rates)
def test_breakdown_is_what_each_side_pays_and_receives(amount, client_bp, freelancer_bp):
    whole = fee_breakdown(amount, client_fee_bp=client_bp, freelancer_fee_bp=freelancer_bp)
    assert whole.client_fee_minor == reference_fee(amount, client_bp)
    assert whole.freelancer_fee_minor == reference_fee(amount, freelancer_bp)
    assert whole.client_total_minor == amount + whole.client_fee_minor
    assert 0 <= whole.freelancer_receives_minor == amount - whole.freelancer_fee_minor
    assert whole.platform_revenue_minor == whole.client_fee_minor + whole.freelancer_fee_minor


@given(parts=st.lists(small_amounts, min_size=1, max_size=20), client_bp=rates, freelancer_bp=rates)
def test_milestone_breakdowns_add_up_to_the_whole(parts, client_bp, freelancer_bp):
    rates_ = {"client_fee_bp": client_bp, "freelancer_fee_bp": freelancer_bp}
    whole = fee_breakdown(sum(parts), **rates_)
    each = fee_breakdowns_for_parts(parts, **rates_)
    assert [b.amount_minor for b in each] == parts
    assert sum(b.client_fee_minor for b in each) == whole.client_fee_minor
    assert sum(b.freelancer_fee_minor for b in each) == whole.freelancer_fee_minor
    assert sum(b.client_total_minor for b in each) == whole.client_total_minor
    assert sum(b.freelancer_receives_minor for b in each) == whole.freelancer_receives_minor
    assert all(b.client_fee_minor >= 0 and b.freelancer_receives_minor >= 0 for b in each)


DOC = Path(__file__).resolve().parents[2] / "docs" / "escrow.md"


def _doc_table(name: str) -> list[list[str]]:
    """The rows of the table between ``<!-- name -->`` and ``<!-- /name -->`` in docs/escrow.md."""
    text = DOC.read_text()
    block = text.split(f"<!-- {name} -->", 1)[1].split(f"<!-- /{name} -->", 1)[0]
    rows = [line.strip().strip("|").split("|") for line in block.strip().splitlines()[2:]]
    assert rows, f"no rows in {name}"
    return [[cell.strip() for cell in row] for row in rows]


def test_the_worked_examples_in_the_docs_hold():
    for amount, bp, fee in _doc_table("fee-examples"):
        assert fee_minor(int(amount), int(bp)) == int(fee), (amount, bp, fee)


def test_the_worked_part_examples_in_the_docs_hold():
    for parts, bp, fees in _doc_table("part-examples"):
        amounts = [int(part) for part in parts.split(",")]
        assert fees_for_parts(amounts, int(bp)) == [int(fee) for fee in fees.split(",")], (parts, bp)
        assert sum(int(fee) for fee in fees.split(",")) == fee_minor(sum(amounts), int(bp))


@given(
    total=st.integers(0, 10**9),
    cuts=st.lists(st.integers(1, 10**6), min_size=1, max_size=8),
)
def test_shares_of_a_fixed_fee_add_up_and_follow_the_fraction_reference(total, cuts):
    whole, before, shares = sum(cuts), 0, []
    for part in cuts:
        share = fee_share(total, whole, part, before_minor=before)
        expected = math.floor(Fraction(total * (before + part), whole) + Fraction(1, 2)) - math.floor(
            Fraction(total * before, whole) + Fraction(1, 2)
        )
        assert share == expected
        shares.append(share)
        before += part
    assert sum(shares) == total
