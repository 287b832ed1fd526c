from celery import shared_task

from .services.uploads import image_renditions_make


@shared_task(
    name="accounts.image_make_renditions", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def image_make_renditions(image_id: int) -> None:
    image_renditions_make(image_id=image_id)
