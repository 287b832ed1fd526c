"""The local fake Stripe (``escrow/fake_stripe``) in a thread of this process, for the embedded
default with no Stripe key: the ASGI process serves it, delivering its signed events to this
process's own webhook endpoint as ``stripe listen`` would; ``seed_demo`` starts one (without
deliveries: no server is up yet) when none is listening. Its objects are kept in
``$MARKETPLACE_DATA_DIR/fake_stripe.json``, so money funded in one run can be released in the next."""

import logging
import threading
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)


def fake_stripe_state_path():
    return settings.DATA_DIR / "fake_stripe.json"


def fake_stripe_listening() -> bool:
    """A fake Stripe answers at ``STRIPE_API_BASE`` (the server's own, or a test's)."""
    if not settings.STRIPE_API_BASE:
        return False
    try:
        with urllib.request.urlopen(f"{settings.STRIPE_API_BASE}/_fake/health", timeout=2) as answer:  # noqa: S310
            return answer.status == 200
    except OSError:
        return False


def start_in_process_fake_stripe(*, deliver_webhooks: bool = True) -> bool:
    """Serve the fake at ``STRIPE_API_BASE`` from a daemon thread; False when its port is taken."""
    from escrow.fake_stripe.server import make_server

    address = urlsplit(settings.STRIPE_API_BASE)
    try:
        server = make_server(
            address.hostname,
            address.port,
            webhook_url=f"{settings.SITE_URL}/stripe/webhook/" if deliver_webhooks else None,
            webhook_secret=settings.STRIPE_WEBHOOK_SECRET,
            state_path=fake_stripe_state_path(),
        )
    except OSError:
        logger.warning(
            "The fake Stripe's port %s is taken; payments will not work", address.port, exc_info=True
        )
        return False
    if not deliver_webhooks:
        # Started for a command (seed_demo), whose output is for people: no line per request.
        server.RequestHandlerClass.log_message = lambda *args: None  # type: ignore[method-assign]
    threading.Thread(target=server.serve_forever, name="fake-stripe", daemon=True).start()
    logger.info("Fake Stripe serving at %s (no STRIPE_SECRET_KEY set)", settings.STRIPE_API_BASE)
    return True
