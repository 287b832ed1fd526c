"""The local fake Stripe in a thread of the embedded process (no Stripe key set), delivering its
signed events to this process's own webhook endpoint, as ``stripe listen`` would."""

import logging
import threading
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)


def start_in_process_fake_stripe() -> None:
    from escrow.fake_stripe.server import make_server

    address = urlsplit(settings.STRIPE_API_BASE)
    try:
        server = make_server(
            address.hostname,
            address.port,
            webhook_url=f"{settings.SITE_URL}/stripe/webhook/",
            webhook_secret=settings.STRIPE_WEBHOOK_SECRET,
        )
    except OSError:
        logger.warning(
            "The fake Stripe's port %s is taken; payments will not work", address.port, exc_info=True
        )
        return
    threading.Thread(target=server.serve_forever, name="fake-stripe", daemon=True).start()
    logger.info("Fake Stripe serving at %s (no STRIPE_SECRET_KEY set)", settings.STRIPE_API_BASE)
