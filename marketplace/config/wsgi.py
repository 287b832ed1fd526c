"""The WSGI application: production serves every HTTP request through it (gunicorn)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.config.settings.embedded")

application = get_wsgi_application()
