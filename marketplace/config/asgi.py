"""The ASGI application: websockets under /ws/ (production runs only these through ASGI).

In the embedded profile this one process also serves every page and runs the periodic tasks.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.config.settings.embedded")

# Django must be set up before anything that imports models (the consumers, the scheduler).
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.conf import settings  # noqa: E402

from escrow.local_fake import start_in_process_fake_stripe  # noqa: E402
from marketplace.config.scheduler import start_in_process_scheduler  # noqa: E402
from messaging.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)

if settings.RUN_SCHEDULER_IN_PROCESS:
    start_in_process_scheduler()
if settings.RUN_FAKE_STRIPE:
    start_in_process_fake_stripe()
