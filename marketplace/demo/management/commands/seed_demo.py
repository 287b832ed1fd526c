"""``manage.py seed_demo``: fill an empty database with demo people, organisations and pools, then
demo jobs, proposals, offers and contracts, then the contracts' money (hourly weeks too) and the
ended contracts' reviews;
last, the search indexes are built anew (``marketplace.demo.search``).

An interface: it runs the steps that ``marketplace.demo.accounts``, ``marketplace.demo.jobs`` and
``marketplace.demo.money`` plan (which call the services), shows a progress bar in a terminal, and
prints what exists and how to log in. Safe to run again: what already exists is skipped.

The money moves through the local fake Stripe: the one listening at ``STRIPE_API_BASE`` (a running
``make run``), else — with no Stripe key set — one started in this process, which keeps its objects
in the data folder for the server that starts next. With a real Stripe key the money is left out.
"""

import logging
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand
from tqdm import tqdm

from escrow.local_fake import fake_stripe_listening, start_in_process_fake_stripe

from ... import accounts as demo
from ... import hourly as hourly_demo
from ... import jobs as jobs_demo
from ... import messages as messages_demo
from ... import money as money_demo
from ... import pools as pools_demo
from ... import reviews as reviews_demo
from ... import search as search_demo


@contextmanager
def _quiet(logger_names: list[str]):
    """Hide one INFO line per eager rendition task, per Stripe call and the fake Stripe's start (and kombu's
    memory-broker notice) while seeding."""
    loggers = [logging.getLogger(name) for name in logger_names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class Command(BaseCommand):
    help = (
        "Create (or complete) the demo data: freelancers, clients, organisations, talent pools (two "
        "vetted, members in every state), staff; "
        "jobs, proposals, offers and contracts; milestones funded, paid and refunded through the local "
        "fake Stripe; reviews of the ended contracts."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--no-progress",
            action="store_true",
            help="Hide the progress bar (it is hidden anyway when stderr is not a terminal).",
        )

    def handle(self, *args, no_progress: bool = False, verbosity: int = 1, **options) -> None:
        started = time.perf_counter()
        # The jobs' steps look their people up when they run, after the accounts' steps made them.
        steps = [
            *demo.seed_steps(),
            *jobs_demo.seed_steps(),
            *messages_demo.seed_steps(),
            *pools_demo.seed_steps(),
        ]
        created = 0
        noisy = [] if verbosity > 1 else ["celery.app.trace", "kombu.connection", "stripe", "escrow"]
        with _quiet(noisy):
            with_money = fake_stripe_listening() or (
                settings.RUN_FAKE_STRIPE and start_in_process_fake_stripe(deliver_webhooks=False)
            )
        if with_money:
            # Reviews need money paid out on an ended contract.
            steps += [*money_demo.seed_steps(), *hourly_demo.seed_steps(), *reviews_demo.seed_steps()]
        # disable=None: tqdm shows the bar only when its stream is a terminal.
        with (
            _quiet(noisy),
            tqdm(
                steps,
                desc="Seeding demo data",
                unit="step",
                disable=True if no_progress else None,
                leave=False,
            ) as bar,
        ):
            for step in bar:
                bar.set_postfix_str(step.label, refresh=False)
                created += step.run()
            bar.set_postfix_str("search indexes", refresh=False)
            indexed = search_demo.search_rebuild()
        elapsed = time.perf_counter() - started
        if verbosity == 0:
            return

        counts = {
            **demo.demo_counts(),
            **jobs_demo.demo_counts(),
            **money_demo.demo_counts(),
            **hourly_demo.demo_counts(),
            **pools_demo.demo_counts(),
        }
        if created:
            self.stdout.write(
                self.style.SUCCESS(f"Demo data: {created} of {len(steps)} steps created in {elapsed:.1f} s.")
            )
        else:
            self.stdout.write(f"Demo data already present; nothing to do ({elapsed:.1f} s).")
        self.stdout.write("  " + ", ".join(f"{count} {name}" for name, count in counts.items()))
        if isinstance(indexed, dict):
            self.stdout.write("  Search indexes: " + ", ".join(f"{n} {name}" for name, n in indexed.items()))
        else:
            self.stdout.write(self.style.WARNING(f"  Search indexes not built, the engine failed: {indexed}"))
        if not with_money:
            self.stdout.write(
                "  No money moved: the demo's payments need the local fake Stripe (no STRIPE_SECRET_KEY)."
            )
        logins = pools_demo.demo_logins(
            reviews_demo.demo_logins(hourly_demo.demo_logins(money_demo.demo_logins(demo.demo_logins())))
        )
        self.stdout.write(f"Demo logins (password for all: {demo.PASSWORD}):")
        width = max(len(label) for label, _ in logins)
        for label, email in logins:
            self.stdout.write(f"  {label:<{width}}  {email}")
        self.stdout.write(
            f"  Every demo account uses the same password: freelancer01..{len(demo.FREELANCERS):02d}@"
            f"{demo.DOMAIN}, client01..{len(demo.CLIENTS):02d}@{demo.DOMAIN}, <org>.<role>@{demo.DOMAIN}, "
            f"fieldtech01..{len(pools_demo.TECHS):02d}@{demo.DOMAIN}."
        )
