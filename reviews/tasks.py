"""Background work of the reviews app."""

from celery import shared_task

from marketplace.contracts.models import Contract

from .services import reputation_recompute_all, reputation_recompute_for_contract, review_windows_due


@shared_task(name="reviews.windows_due")
def review_windows_due_task() -> int:
    """Publish the reviews of closed windows and send the reminders due (idempotent; beat runs it)."""
    return review_windows_due()


@shared_task(name="reviews.reputation_recompute")
def reputation_recompute_task(contract_id: int) -> None:
    """Both parties' reputation after something on this contract changed (idempotent)."""
    contract = (
        Contract.objects.select_related("freelancer", "client", "organisation").filter(pk=contract_id).first()
    )
    if contract is not None:
        reputation_recompute_for_contract(contract)


@shared_task(name="reviews.reputation_recompute_all")
def reputation_recompute_all_task() -> int:
    """Everyone's reputation (beat, nightly: contracts leave the period with nobody acting)."""
    return reputation_recompute_all()
