"""The ledger and the money primitives, next to PostgreSQL's own pgbench measured in the same run.

    .venv/bin/python -m bench.ledger            # about two minutes
    .venv/bin/python -m bench.ledger --quick    # a few seconds per row (the CI smoke test)

Rows (each a ratio to pgbench TPC-B at the same number of clients):
- ledger postings/s at 1 and 8 client processes: ``ledger_post`` through the service, one posting
  per database transaction, the lines of a milestone's life (fund: client funding → held;
  release: held → payable + platform revenue; payout: payable → processor clearing), each
  process with its own payer, payee and holds, all sharing the platform's accounts;
- money primitives postings/s, 1 client: the same three postings through the whole services
  (``hold_fund``, ``hold_release``, ``transfer_record``: locks, settlement, status changes, audit);
- fund + release cycles/s against the local fake Stripe (customer, PaymentIntent, confirm,
  charge sync, release, transfer), one process.
"""

import argparse
import multiprocessing
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.support import create_database  # noqa: E402
from bench.table import Row, render  # noqa: E402

DATABASE = f"marketplace_bench_{os.getpid()}"  # runs may overlap on one machine
PGBENCH_DATABASE = f"marketplace_pgbench_{os.getpid()}"
CLIENTS = (1, 8)


def _psql(sql: str) -> None:
    subprocess.run(["psql", "-q", "-d", "postgres", "-c", sql], check=True, capture_output=True)


def pgbench_tps(seconds: float, clients_counts=CLIENTS) -> dict[int, float]:
    """pgbench TPC-B (scale 10) transactions/s at each client count."""
    _psql(f"DROP DATABASE IF EXISTS {PGBENCH_DATABASE}")
    _psql(f"CREATE DATABASE {PGBENCH_DATABASE}")
    subprocess.run(["pgbench", "-i", "-q", "-s", "10", PGBENCH_DATABASE], check=True, capture_output=True)
    tps = {}
    for clients in clients_counts:
        run = ["pgbench", "-n", "-c", str(clients), "-j", str(min(clients, 2)), "-T", str(int(seconds))]
        result = subprocess.run(
            [*run, PGBENCH_DATABASE],
            check=True,
            capture_output=True,
            text=True,
        )
        line = next(line for line in result.stdout.splitlines() if line.startswith("tps ="))
        tps[clients] = float(line.split()[2])
    _psql(f"DROP DATABASE {PGBENCH_DATABASE}")
    return tps


def setup_django(stripe_env: dict[str, str]) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "marketplace.config.settings.test"
    os.environ["DATABASE_URL"] = f"postgres:///{DATABASE}"
    os.environ.update(stripe_env)
    _psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    create_database(DATABASE)  # from BENCH_TEMPLATE_DATABASE when set
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


def _postings_worker(tag: str, holds: int, start, seconds: float, results) -> None:
    try:
        results.put(_post_until_time_is_up(tag, holds, start, seconds))
    except BaseException as error:
        start.abort()  # the others stop waiting for this one
        results.put(error)
        raise


def _post_until_time_is_up(tag: str, holds: int, start, seconds: float) -> tuple[int, float, int]:
    """One client process: post a milestone's three movements per hold until the time is up;
    (postings, seconds, peak RSS in KB)."""
    from django.db import connections, transaction

    from escrow.models import LedgerAccount
    from escrow.services.ledger import Account, ledger_post

    connections.close_all()  # a connection of its own, not the parent's
    payer, payee = _people(tag)
    hold_ids = [_hold(payer, payee, n, tag).pk for n in range(holds)]
    kind = LedgerAccount.Kind
    funding = Account(kind.CLIENT_FUNDING, "USD", user_id=payer.pk)
    payable = Account(kind.FREELANCER_PAYABLE, "USD", user_id=payee.pk)
    revenue = Account(kind.PLATFORM_REVENUE, "USD")
    clearing = Account(kind.PROCESSOR_CLEARING, "USD")
    start.wait()
    began, posted = time.perf_counter(), 0
    for hold_id in hold_ids:
        held = Account(kind.ESCROW_HELD, "USD", hold_id=hold_id)
        for posting, lines in (
            ("fund", [(funding, -10_500), (held, 10_500)]),
            ("release", [(held, -10_500), (payable, 9_000), (revenue, 1_500)]),
            ("transfer_out", [(payable, -9_000), (clearing, 9_000)]),
        ):
            with transaction.atomic():
                ledger_post(kind=posting, currency="USD", lines=lines)
            posted += 1
        if time.perf_counter() - began >= seconds:
            break
    return posted, time.perf_counter() - began, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def ledger_postings(clients: int, seconds: float) -> tuple[float, float]:
    """(postings/s over all clients, peak RSS of a client in MB)."""
    from django.db import connections

    connections.close_all()
    fork = multiprocessing.get_context("fork")
    start, results = fork.Barrier(clients), fork.Queue()
    holds = int(seconds * 2_000 / clients) + 10  # more than a client can use up in the time
    workers = [
        fork.Process(target=_postings_worker, args=(f"ledger-{clients}-{i}", holds, start, seconds, results))
        for i in range(clients)
    ]
    for worker in workers:
        worker.start()
    done = [results.get(timeout=seconds * 20 + 300) for _ in workers]
    for worker in workers:
        worker.join()
    for failure in (result for result in done if isinstance(result, BaseException)):
        raise RuntimeError("a ledger client failed") from failure
    elapsed = max(took for _, took, _ in done)
    return sum(n for n, _, _ in done) / elapsed, max(rss for _, _, rss in done) / 1024


def primitive_postings(seconds: float) -> float:
    """Fund, release and record the payout of holds through the money primitives; postings/s."""
    from escrow.models import LedgerTransaction, Transfer
    from escrow.services.holds import hold_release
    from escrow.services.payouts import transfer_record
    from tests.escrow.builders import fund  # a paid charge row, recorded through hold_fund

    payer, payee = _people("primitives")  # no payout account: the release's transfer waits, no Stripe
    holds = [_hold(payer, payee, n, "primitives") for n in range(int(seconds * 300) + 10)]
    before = LedgerTransaction.objects.count()
    started = time.perf_counter()
    for n, hold in enumerate(holds):
        fund(hold)
        transfer = Transfer.objects.get(settlement=hold_release(hold=hold))
        transfer_record(transfer_id=transfer.pk, processor_id=f"tr_bench_{n}")
        if time.perf_counter() - started >= seconds:
            break
    elapsed = time.perf_counter() - started
    return (LedgerTransaction.objects.count() - before) / elapsed


def stripe_cycles(seconds: float, fake) -> float:
    """Fund (PaymentIntent + confirm + sync) and release (transfer) holds against the fake; cycles/s."""
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
    return n / (time.perf_counter() - started)


def measure(*, quick: bool) -> list[Row]:
    seconds = 2 if quick else 15
    from tests.support.fake_stripe import start_fake_stripe

    with start_fake_stripe(REPO / "artifacts" / "logs" / "bench-fake-stripe.log") as fake:
        setup_django(
            {
                "STRIPE_API_BASE": fake.url,
                "STRIPE_SECRET_KEY": fake.secret_key,
                "STRIPE_PUBLISHABLE_KEY": fake.publishable_key,
            }
        )
        try:
            pgbench = pgbench_tps(seconds)
            rows = []
            for clients in CLIENTS:
                rate, rss = ledger_postings(clients, seconds)
                rows.append(
                    Row(
                        f"ledger postings/s, {clients} client{'s' if clients > 1 else ''}",
                        rate,
                        f"pgbench TPC-B, {clients} client{'s' if clients > 1 else ''}",
                        pgbench[clients],
                        target=0.5,
                        peak_rss_mb=rss,
                    )
                )
            rows.append(
                Row(
                    "money primitives postings/s (fund, release, payout), 1 client",
                    primitive_postings(seconds),
                    "pgbench TPC-B, 1 client",
                    pgbench[1],
                )
            )
            rows.append(
                Row(
                    "fund + release cycles/s (fake Stripe), 1 client",
                    stripe_cycles(seconds, fake),
                    "pgbench TPC-B, 1 client",
                    pgbench[1],
                    peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                )
            )
        finally:
            from django.db import connections

            connections.close_all()
            _psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="a few seconds per row (a smoke test)")
    print(render(measure(quick=parser.parse_args().quick)))


if __name__ == "__main__":
    main()
