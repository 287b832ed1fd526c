"""The cached Content-Security-Policy header is django-csp's own, and pages keep their nonce."""

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.decorators import csp_exempt, csp_update
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.http import HttpResponse
from django.test import RequestFactory

from marketplace.core.csp import CSPMiddleware


def _through(middleware_class, view, path="/api/anything/"):
    request = RequestFactory().get(path)
    middleware = middleware_class(view)
    middleware.process_request(request)
    return request, middleware.process_response(request, view(request))


def _plain(request):
    return HttpResponse("{}", content_type="application/json")


def _with_nonce(request):
    return HttpResponse(f'<script nonce="{request.csp_nonce}"></script>')


@csp_update({"style-src": ["'unsafe-inline'"]})
def _updated(request):
    return HttpResponse("")


@csp_exempt()
def _exempt(request):
    return HttpResponse("")


@pytest.mark.parametrize("view", [_plain, _with_nonce, _updated, _exempt])
def test_every_response_gets_exactly_the_header_django_csp_would_give_it(view):
    _, ours = _through(CSPMiddleware, view)
    _, theirs = _through(DjangoCSPMiddleware, view)

    assert ours.headers.get(HEADER) is not None or view is _exempt
    if "nonce" in (theirs.headers.get(HEADER) or ""):
        # A fresh nonce per response: the rest of the policy is the same.
        assert ours.headers[HEADER].split("'nonce-")[0] == theirs.headers[HEADER].split("'nonce-")[0]
    else:
        assert ours.headers.get(HEADER) == theirs.headers.get(HEADER)
    assert ours.headers.get(HEADER_REPORT_ONLY) == theirs.headers.get(HEADER_REPORT_ONLY)


def test_a_page_with_a_nonce_gets_its_own_nonce_in_the_header():
    first_request, first = _through(CSPMiddleware, _with_nonce, path="/")
    second_request, second = _through(CSPMiddleware, _with_nonce, path="/")

    assert f"'nonce-{first_request._csp_nonce}'" in first.headers[HEADER]
    assert f"'nonce-{second_request._csp_nonce}'" in second.headers[HEADER]
    assert first_request._csp_nonce != second_request._csp_nonce


def test_asking_for_a_nonce_after_the_header_is_written_is_an_error():
    from csp.exceptions import CSPNonceError

    request, _ = _through(CSPMiddleware, _plain)

    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_the_cached_header_follows_the_settings(settings):
    _, before = _through(CSPMiddleware, _plain)
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'self'"]}}

    _, after = _through(CSPMiddleware, _plain)

    assert before.headers[HEADER] != after.headers[HEADER]
    assert after.headers[HEADER] == build_policy()
    assert after.headers[HEADER_REPORT_ONLY] == build_policy(report_only=True)
