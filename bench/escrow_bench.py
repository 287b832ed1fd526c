"""Escrow throughput, next to PostgreSQL's own pgbench TPC-B measured in the same run.

    .venv/bin/python bench/escrow_bench.py            # about a minute
    .venv/bin/python bench/escrow_bench.py --quick    # a few seconds (the CI smoke test runs this)

Rows:
- ledger postings/s: the money primitives through the real services on PostgreSQL, no Stripe
  (fund a hold, release it, record the transfer: three balanced ledger transactions per cycle);
- fund + release cycles/s: the whole path against the local fake Stripe (customer, PaymentIntent,
  confirm, charge sync, release, transfer), one process, one thread;
- pgbench TPC-B (1 client): the database's own baseline for a small read-write transaction.

Ratios are against pgbench's transactions/s in the same run, so they compare across machines;
absolute numbers do not (these machines are shared and noisy).
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.support.fake_stripe import FakeStripe

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
DATABASE = f"marketplace_bench_{os.getpid()}"  # runs may overlap on one machine
PGBENCH_DATABASE = f"marketplace_pgbench_{os.getpid()}"


def _psql(sql: str) -> None:
    subprocess.run(["psql", "-q", "-d", "postgres", "-c", sql], check=True, capture_output=True)


def pgbench_tps(seconds: int) -> float:
    _psql(f"DROP DATABASE IF EXISTS {PGBENCH_DATABASE}")
    _psql(f"CREATE DATABASE {PGBENCH_DATABASE}")
    subprocess.run(["pgbench", "-i", "-q", "-s", "1", PGBENCH_DATABASE], check=True, capture_output=True)
    result = subprocess.run(
        ["pgbench", "-n", "-c", "1", "-T", str(seconds), PGBENCH_DATABASE],
        check=True,
        capture_output=True,
        text=True,
    )
    _psql(f"DROP DATABASE {PGBENCH_DATABASE}")
    line = next(line for line in result.stdout.splitlines() if line.startswith("tps ="))
    return float(line.split()[2])


def setup_django(fake: "FakeStripe") -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "marketplace.config.settings.test"
    os.environ["DATABASE_URL"] = f"postgres:///{DATABASE}"
    os.environ.update(
        STRIPE_API_BASE=fake.url,
        STRIPE_SECRET_KEY=fake.secret_key,
        STRIPE_PUBLISHABLE_KEY=fake.publishable_key,
    )
    _psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    _psql(f"CREATE DATABASE {DATABASE}")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from marketplace.config.celery import app

    app.conf.task_always_eager = True  # transfers go out right after each release's commit


def _people(tag: str):
    from marketplace.accounts.models import User

    payer = User.objects.create_user(email=f"payer-{tag}@bench.invalid", password=None, full_name="Payer")
    payee = User.objects.create_user(email=f"payee-{tag}@bench.invalid", password=None, full_name="Payee")
    return payer, payee


def _hold(payer, payee, n: int, group: str):
    from escrow.services.holds import hold_create
    from marketplace.core.money import Money

    return hold_create(
        payer=payer,
        payee=payee,
        amount=Money(10_000 + n, "USD"),
        client_fee_bp=500,
        freelancer_fee_bp=1000,
        reference=f"{group}:{n}",
        transfer_group=group,
    )


def ledger_cycles(seconds: float) -> tuple[int, float]:
    """Fund, release and record the transfer of holds, through the services; (postings, elapsed)."""
    from escrow.models import LedgerTransaction, Transfer
    from escrow.services.holds import hold_release
    from escrow.services.payouts import transfer_record
    from tests.escrow.builders import fund  # a paid charge row, recorded through hold_fund

    payer, payee = _people("ledger")  # no payout account: the release's transfer waits, no Stripe
    before = LedgerTransaction.objects.count()
    started, n = time.perf_counter(), 0
    while time.perf_counter() - started < seconds:
        n += 1
        hold = _hold(payer, payee, n, "bench")
        fund(hold)
        transfer = Transfer.objects.get(settlement=hold_release(hold=hold))
        transfer_record(transfer_id=transfer.pk, processor_id=f"tr_bench_{n}")
    elapsed = time.perf_counter() - started
    return LedgerTransaction.objects.count() - before, elapsed


def stripe_cycles(seconds: float, fake: "FakeStripe") -> tuple[int, float]:
    """Fund (PaymentIntent + confirm + sync) and release (transfer) holds against the fake."""
    from escrow.models import Transfer
    from escrow.services.charges import charge_start, charge_sync
    from escrow.services.connect import connected_account_for, connected_account_sync
    from escrow.services.holds import hold_release

    payer, payee = _people("stripe")
    account = connected_account_for(payee, country="US")
    fake.complete_onboarding(account.account_id)
    connected_account_sync(account_id=account.account_id)
    started, n = time.perf_counter(), 0
    while time.perf_counter() - started < seconds:
        n += 1
        charge = charge_start(hold=(hold := _hold(payer, payee, n, "bench-stripe")))
        fake.post(f"/v1/payment_intents/{charge.payment_intent_id}/confirm", payment_method="pm_card_visa")
        charge_sync(payment_intent_id=charge.payment_intent_id)
        assert Transfer.objects.get(settlement=hold_release(hold=hold)).status == Transfer.Status.SENT
    return n, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a few seconds per row (a smoke test)")
    args = parser.parse_args()
    seconds = 2 if args.quick else 15
    from tests.support.fake_stripe import start_fake_stripe

    with start_fake_stripe(REPO / "artifacts" / "logs" / "bench-fake-stripe.log") as fake:
        setup_django(fake)
        print(f"measuring for {seconds} s per row …", flush=True)
        baseline = pgbench_tps(seconds)
        postings, posting_time = ledger_cycles(seconds)
        cycles, cycle_time = stripe_cycles(seconds, fake)
    rows = [
        ("pgbench TPC-B, 1 client (transactions/s)", baseline),
        ("ledger postings/s (services, no Stripe)", postings / posting_time),
        ("fund + release cycles/s (fake Stripe)", cycles / cycle_time),
    ]
    print(f"\n{'what':<46}{'per second':>14}{'ratio to pgbench':>20}")
    for name, rate in rows:
        print(f"{name:<46}{rate:>14.1f}{rate / baseline:>20.3f}")
    from django.db import connections

    connections.close_all()
    _psql(f"DROP DATABASE IF EXISTS {DATABASE}")


if __name__ == "__main__":
    main()
