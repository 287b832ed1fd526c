"""``manage.py pools_expiry_sweep``: the daily expiry sweep of talent pools, run now, with a progress
bar per stage (expired overrides, lapsed credentials, reminders) and the counts at the end."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from ...services.expiry import expiry_sweep


class Command(BaseCommand):
    help = "Expire pool overrides, apply lapsed credentials' expiry action and send due reminders now."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--no-progress", action="store_true", help="Hide the progress bars.")

    def handle(self, *args, no_progress: bool = False, **options) -> None:
        bars: list[tqdm] = []

        def progress(stage: str, total: int):
            bar = tqdm(total=total, desc=stage, unit="item", disable=True if no_progress else None)
            bars.append(bar)
            return bar.update

        try:
            counts = expiry_sweep(progress=progress)
        finally:
            for bar in bars:
                bar.close()
        self.stdout.write(self.style.SUCCESS(", ".join(f"{name}: {n}" for name, n in sorted(counts.items()))))
