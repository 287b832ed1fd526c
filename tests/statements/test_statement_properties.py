"""Statement totals against an independent reference, over random money histories.

Each example is a history of moves on a few holds between one client and one freelancer, spread
over days by a moving clock: fund, release (whole or part), refund (whole or part), split, and pay
out a waiting transfer. The moves go through escrow's real services (ledger-level: a paid charge
row stands for the PaymentIntent, ``transfer_record`` for the processor's answer; the fake-Stripe
tests cover the calls). The reference is the sum of the moves performed, kept here as they are
made (fees by their definition with ``fractions.Fraction``, not escrow's integer formula), split at
a random date range; every statement figure must equal it. Runs under the bounded "ci" profile.
"""

import datetime as dt
from collections import defaultdict
from fractions import Fraction
from math import floor

import pytest
import time_machine
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from escrow.models import Transfer
from escrow.services.holds import hold_create, hold_refund, hold_release, hold_split
from escrow.services.payouts import transfer_record
from marketplace.core.money import Money
from marketplace.statements.ranges import DateRange
from marketplace.statements.selectors import statement_of_user
from tests.escrow.builders import fund
from tests.factories import make_client, make_freelancer

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 5, 1, 9, tzinfo=dt.UTC)


def half_up(value: Fraction) -> int:
    return floor(value + Fraction(1, 2))


def share(total: int, whole: int, before: int, part: int) -> int:
    return half_up(Fraction(total * (before + part), whole)) - half_up(Fraction(total * before, whole))


move = st.one_of(
    st.tuples(st.just("fund"), st.integers(100, 500_000), st.integers(0, 2_000), st.integers(0, 3_000)),
    st.tuples(st.just("release"), st.integers(0, 5), st.fractions(0, 1), st.booleans()),
    st.tuples(st.just("refund"), st.integers(0, 5), st.fractions(0, 1), st.booleans()),
    st.tuples(st.just("split"), st.integers(0, 5), st.fractions(0, 1), st.fractions(0, 1)),
    st.tuples(st.just("payout"), st.integers(0, 20)),
)
history = st.lists(st.tuples(st.integers(0, 3), move), min_size=1, max_size=12)


@pytest.fixture(scope="module")
def parties(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        client, freelancer = make_client(), make_freelancer()
        yield client, freelancer
        transaction.set_rollback(True)


class Reference:
    """What the moves performed add up to, per day: each kind of line's sum and each balance."""

    def __init__(self) -> None:
        self.by_day: list[tuple[int, str, str, int]] = []  # (day, side, kind, amount)

    def add(self, day: int, side: str, kind: str, amount: int) -> None:
        if amount:
            self.by_day.append((day, side, kind, amount))

    def opening(self, side: str, first: int) -> int:
        return sum(a for day, s, _k, a in self.by_day if s == side and day < first)

    def totals(self, side: str, first: int, last: int) -> dict[str, int]:
        sums: dict[str, int] = defaultdict(int)
        for day, s, kind, amount in self.by_day:
            if s == side and first <= day <= last:
                sums[kind] += amount
        return dict(sums)


@given(steps=history, window=st.tuples(st.integers(0, 40), st.integers(0, 40)))
def test_statement_totals_equal_the_moves_performed(parties, steps, window):
    payer, payee = parties
    ref = Reference()
    holds: list[dict] = []
    with transaction.atomic():
        day = 0
        for n, (gap, step) in enumerate(steps):
            day += gap
            with time_machine.travel(START + dt.timedelta(days=day, minutes=n), tick=False):
                _perform(step, day, holds, ref, payer, payee, n)
        first, last = sorted(window)
        period = DateRange(
            START.date() + dt.timedelta(days=first), START.date() + dt.timedelta(days=last), "UTC"
        )
        for user in (payer, payee):
            statement = statement_of_user(user, period)
            sections = {s.side: s for s in statement.sections}
            for side in ("client", "freelancer"):
                opening = ref.opening(side, first)
                expected = ref.totals(side, first, last)
                got = sections.get(side)
                mine = (side == "client") == (user == payer)
                if not mine:
                    assert got is None
                    continue
                if got is None:
                    assert opening == 0
                    assert expected == {}
                    continue
                assert got.opening_minor == opening
                assert {k: v for k, _label, v in got.totals if v} == expected
                assert got.closing_minor == opening + sum(expected.values())
                running = opening
                for line in got.lines:
                    running += line.amount_minor
                    assert line.balance_minor == running
        transaction.set_rollback(True)


def _perform(step, day: int, holds: list[dict], ref: Reference, payer, payee, n: int) -> None:
    kind = step[0]
    if kind == "fund":
        _, amount, cbp, fbp = step
        client_fee = half_up(Fraction(amount * cbp, 10_000))
        freelancer_fee = half_up(Fraction(amount * fbp, 10_000))
        hold = hold_create(
            payer=payer,
            payee=payee,
            amount=Money(amount, "USD"),
            client_fee_bp=cbp,
            freelancer_fee_bp=fbp,
            reference=f"statement-property:{n}:{id(holds)}",
            transfer_group="statement-property",
        )
        fund(hold)
        holds.append(
            {"hold": hold, "amount": amount, "cf": client_fee, "ff": freelancer_fee, "rel": 0, "ref": 0}
        )
        ref.add(day, "client", "charge", amount)
        ref.add(day, "client", "client_fee", client_fee)
        return
    if kind == "payout":
        waiting = list(Transfer.objects.filter(destination_user=payee).exclude(status="sent").order_by("pk"))
        if not waiting:
            return
        transfer = waiting[step[1] % len(waiting)]
        transfer_record(transfer_id=transfer.pk, processor_id=f"tr_statement_{n}_{transfer.pk}_{id(holds)}")
        ref.add(day, "freelancer", "payout", -transfer.amount_minor)
        return
    if not holds:
        return
    h = holds[step[1] % len(holds)]
    remaining = h["amount"] - h["rel"] - h["ref"]
    if remaining == 0:
        return
    if kind == "split":
        a, b = int(remaining * step[2]), int(remaining * step[3])
        if a <= 0 or b <= 0 or a + b > remaining:
            return
        hold_split(hold=h["hold"], release=Money(a, "USD"), refund=Money(b, "USD"))
        _expect(h, "release", a, day, ref)
        _expect(h, "refund", b, day, ref)
        return
    part = remaining if step[3] else max(1, int(remaining * step[2]))
    (hold_release if kind == "release" else hold_refund)(hold=h["hold"], amount=Money(part, "USD"))
    _expect(h, kind, part, day, ref)


def _expect(h: dict, kind: str, part: int, day: int, ref: Reference) -> None:
    client_fee = share(h["cf"], h["amount"], h["rel"] + h["ref"], part)
    if kind == "release":
        freelancer_fee = share(h["ff"], h["amount"], h["rel"], part)
        h["rel"] += part
        ref.add(day, "client", "release", -part)
        ref.add(day, "client", "client_fee_earned", -client_fee)
        ref.add(day, "freelancer", "release", part)
        ref.add(day, "freelancer", "freelancer_fee", -freelancer_fee)
    else:
        h["ref"] += part
        ref.add(day, "client", "refund", -part)
        ref.add(day, "client", "client_fee_refund", -client_fee)
