"""One log line per request, cheaply: django-structlog's request middleware with less work.

django-structlog logs ``request_started`` and ``request_finished`` for every request and finds the
client's address with ipware (a scan of a dozen headers for the "best" public address). Measured
under gunicorn (docs/performance.md), that was the most expensive middleware in the stack: alone
it cost more than a constant view's whole response. Here:

- ``request_started`` is logged at DEBUG (``DJANGO_STRUCTLOG_STATUS_START_LOG_LEVEL``); the
  ``request_finished`` line carries the same request id, address, user, method and path, plus the
  status code, so one line per request says everything the two did (the user agent aside);
- the address is the one our proxies vouch for (``client_address``, TRUSTED_PROXY_COUNT): with
  deploy/nginx.conf in front, the entry it appended to ``X-Forwarded-For``; with no proxy,
  ``REMOTE_ADDR``. Entries before it are whatever the client sent, which ipware would have trusted.
"""

import structlog
from django.http import HttpRequest
from django_structlog.middlewares import RequestMiddleware

from .client_address import client_address


class RequestLogMiddleware(RequestMiddleware):
    @classmethod
    def bind_ip(cls, request: HttpRequest) -> None:
        structlog.contextvars.bind_contextvars(ip=client_address(request))
