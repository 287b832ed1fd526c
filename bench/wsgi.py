"""The bench's WSGI application: the product's, with the middleware stack chosen per request
(``bench.stacks``). Every stack's handler is built once per worker, so choosing one is a dictionary
lookup and one gunicorn serves every row of the middleware measurements.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django

django.setup(set_prefix=False)

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

from bench.stacks import STACK_HEADER, variants  # noqa: E402


def _handler(middleware: list[str]) -> WSGIHandler:
    full = settings.MIDDLEWARE
    settings.MIDDLEWARE = middleware  # read once, by load_middleware() in the constructor
    try:
        return WSGIHandler()
    finally:
        settings.MIDDLEWARE = full


HANDLERS = {name: _handler(middleware) for name, middleware in variants(settings.MIDDLEWARE).items()}
META_KEY = "HTTP_" + STACK_HEADER.upper().replace("-", "_")


def application(environ, start_response):
    return HANDLERS[environ.get(META_KEY, "full")](environ, start_response)
