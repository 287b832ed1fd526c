"""What the disputes app tells the rest of the platform (messaging's notifications and the
dispute's conversation). Receivers queue their side effects on commit."""

from django.dispatch import Signal

dispute_opened = Signal()  # dispute
dispute_step = Signal()  # dispute, step, actor
