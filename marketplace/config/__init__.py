"""The composition root: settings, URLs, the WSGI/ASGI applications and the Celery app.

Nothing imports this package; it imports everything. The Celery app is loaded here so that
``@shared_task`` functions bind to it in every process.
"""

from .celery import app as celery_app

__all__ = ["celery_app"]
