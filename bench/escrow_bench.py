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


def setup_django(fake_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "marketplace.config.settings.test"
    os.environ["DATABASE_URL"] = f"postgres:///{DATABASE}"
    os.environ.update(
        STRIPE_API_BASE=fake_url, STRIPE_SECRET_KEY="sk_test_bench", STRIPE_PUBLISHABLE_KEY="pk_test_bench"
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


def ledger_cycles(seconds: float) -> tuple[int, float]:
    """Fund, release and record the transfer of holds, through the services; (postings, elapsed)."""
    from django.db import transaction

    from escrow.models import Charge, Hold, LedgerTransaction, Transfer
    from escrow.services.holds import hold_create, hold_fund, hold_release
    from escrow.services.payouts import transfer_record
    from marketplace.core.money import Money

    payer, payee = _people("ledger")  # no payout account: the release's transfer waits, no Stripe
    before = LedgerTransaction.objects.count()
    started, n = time.perf_counter(), 0
    while time.perf_counter() - started < seconds:
        n += 1
        hold = hold_create(
            payer=payer,
            payee=payee,
            amount=Money(10_000 + n, "USD"),
            client_fee_bp=500,
            freelancer_fee_bp=1000,
            reference=f"bench:{n}",
            transfer_group="bench",
        )
        with transaction.atomic():
            locked = Hold.objects.select_for_update().get(pk=hold.pk)
            charge = Charge.objects.create(
                hold=locked,
                idempotency_key=f"bench-{n}",
                status=Charge.Status.SUCCEEDED,
                amount_minor=locked.charge_amount_minor,
                currency="USD",
                payment_intent_id=f"pi_bench_{n}",
                charge_id=f"ch_bench_{n}",
            )
            hold_fund(hold=locked, charge=charge)
        settlement = hold_release(hold=hold)
        transfer = Transfer.objects.get(settlement=settlement)
        transfer_record(transfer_id=transfer.pk, processor_id=f"tr_bench_{n}")
    elapsed = time.perf_counter() - started
    return LedgerTransaction.objects.count() - before, elapsed


def stripe_cycles(seconds: float, fake_url: str) -> tuple[int, float]:
    """Fund (PaymentIntent + confirm + sync) and release (transfer) holds against the fake."""
    import httpx

    from escrow.models import Transfer
    from escrow.services.charges import charge_start, charge_sync
    from escrow.services.connect import connected_account_for
    from escrow.services.holds import hold_create, hold_release
    from marketplace.core.money import Money

    payer, payee = _people("stripe")
    account = connected_account_for(payee, country="US")
    link = httpx.post(
        f"{fake_url}/v1/account_links",
        data={
            "account": account.account_id,
            "refresh_url": "http://x.invalid/",
            "return_url": "http://x.invalid/",
            "type": "account_onboarding",
        },
        headers={"Authorization": "Bearer sk_test_bench"},
    ).json()
    httpx.get(link["url"])
    from escrow.services.connect import connected_account_sync

    connected_account_sync(account_id=account.account_id)
    http = httpx.Client(base_url=fake_url, headers={"Authorization": "Bearer sk_test_bench"})
    started, n = time.perf_counter(), 0
    while time.perf_counter() - started < seconds:
        n += 1
        hold = hold_create(
            payer=payer,
            payee=payee,
            amount=Money(10_000 + n, "USD"),
            client_fee_bp=500,
            freelancer_fee_bp=1000,
            reference=f"bench-stripe:{n}",
            transfer_group="bench-stripe",
        )
        charge = charge_start(hold=hold)
        http.post(
            f"/v1/payment_intents/{charge.payment_intent_id}/confirm", data={"payment_method": "pm_card_visa"}
        )
        charge_sync(payment_intent_id=charge.payment_intent_id)
        settlement = hold_release(hold=hold)
        assert Transfer.objects.get(settlement=settlement).status == Transfer.Status.SENT
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
        setup_django(fake.url)
        print(f"measuring for {seconds} s per row …", flush=True)
        baseline = pgbench_tps(seconds)
        postings, posting_time = ledger_cycles(seconds)
        cycles, cycle_time = stripe_cycles(seconds, fake.url)
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
