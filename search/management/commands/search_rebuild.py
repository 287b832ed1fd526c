"""``manage.py search_rebuild [--index talent|jobs]``: build the indexes anew from our rows and swap
each in at once (readers keep the old one until then), with a progress bar per index. Works on every
backend; after a backend change, an engine that lost its data, or a change of index definitions."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db.models import QuerySet
from tqdm import tqdm

from ...backends import SearchUnavailable
from ...indexes import all_indexes, index_named
from ...services.indexing import index_rebuild


def _count(ids) -> int:
    return ids.count() if isinstance(ids, QuerySet) else sum(1 for _ in ids)


class Command(BaseCommand):
    help = "Rebuild the search indexes (all, or one with --index) and swap them in with no downtime."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--index", choices=[index.name for index in all_indexes()], help="Only this one.")
        parser.add_argument(
            "--no-progress",
            action="store_true",
            help="Hide the progress bars (they are hidden anyway when stderr is not a terminal).",
        )

    def handle(self, *args, index: str | None = None, no_progress: bool = False, **options) -> None:
        names = [index] if index else [definition.name for definition in all_indexes()]
        summary = []
        for name in names:
            started = time.perf_counter()
            total = _count(index_named(name).indexable_ids())
            with tqdm(total=total, desc=name, unit="doc", disable=True if no_progress else None) as bar:
                try:
                    built = index_rebuild(index=name, progress=bar.update)
                except SearchUnavailable as exc:
                    raise CommandError(f"The search engine failed while rebuilding {name}: {exc}") from exc
            summary.append(f"{name}: {built} document(s) in {time.perf_counter() - started:.1f} s")
        self.stdout.write(self.style.SUCCESS("Rebuilt " + "; ".join(summary) + "."))
