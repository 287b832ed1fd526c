from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "marketplace.jobs"
    label = "jobs"

    def ready(self) -> None:
        from escrow import events
        from escrow.models import Hold

        # Sent inside escrow's transaction: the milestone moves with the money, or neither does.
        events.hold_funded.connect(_on_funded, sender=Hold, dispatch_uid="jobs.milestone_funded")
        events.release_paid.connect(_on_release_paid, sender=Hold, dispatch_uid="jobs.milestone_released")


def _on_funded(sender, *, hold, **kwargs) -> None:
    from .services.milestones import milestone_on_hold_funded

    milestone_on_hold_funded(hold=hold)


def _on_release_paid(sender, *, hold, **kwargs) -> None:
    from .services.milestones import milestone_on_release_paid

    milestone_on_release_paid(hold=hold)
