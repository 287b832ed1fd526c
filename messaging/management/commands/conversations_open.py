"""``manage.py conversations_open``: open the conversations of proposals and contracts that existed
before messaging did (new ones open when they are submitted or start). Safe to run again: a subject
that has its conversation is skipped. ``make run`` and the compose stack's ``migrate`` run it after
migrating; pages only show the conversations that exist."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from marketplace.contracts.models import Contract
from marketplace.jobs.models import Proposal

from ...services.conversations import conversation_for_contract, conversation_for_proposal


class Command(BaseCommand):
    help = "Open the missing conversations of existing proposals and contracts."

    def handle(self, *args, **options) -> None:
        steps = (
            ("proposals", Proposal.objects.filter(conversation__isnull=True), conversation_for_proposal),
            ("contracts", Contract.objects.filter(conversation__isnull=True), conversation_for_contract),
        )
        for name, missing, open_one in steps:
            opened = 0
            for subject in tqdm(
                missing.order_by("pk").iterator(), total=missing.count(), desc=name, disable=None
            ):
                open_one(subject)
                opened += 1
            self.stdout.write(f"Opened {opened} {name} conversation(s).")
