"""Each request is logged once, with the address our proxy saw and the request id it sent."""

import logging

import pytest


@pytest.fixture
def request_log(caplog):
    caplog.set_level(logging.DEBUG, logger="django_structlog")
    return caplog


def _lines(caplog) -> list[dict]:
    return [
        record.msg
        for record in caplog.records
        if record.name == "django_structlog.middlewares.request" and record.levelno >= logging.INFO
    ]


def test_one_line_per_request_with_the_address_the_proxy_appended(client, request_log, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    response = client.get(
        "/healthz", HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.20", HTTP_X_REQUEST_ID="req-42"
    )

    assert response.status_code == 200
    [line] = _lines(request_log)
    assert line["event"] == "request_finished"
    assert line["code"] == 200
    assert line["request"] == "GET /healthz"
    assert line["request_id"] == "req-42"
    # The client may send any X-Forwarded-For; only the last entry is the proxy's own.
    assert line["ip"] == "198.51.100.20"


def test_with_no_trusted_proxy_a_forwarded_for_header_is_ignored(client, request_log, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    client.get("/healthz", REMOTE_ADDR="192.0.2.5", HTTP_X_FORWARDED_FOR="203.0.113.7")

    [line] = _lines(request_log)
    assert line["ip"] == "192.0.2.5"


def test_with_two_trusted_proxies_the_address_the_outer_one_appended(client, request_log, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    client.get(
        "/healthz", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.20, 10.0.0.1"
    )

    [line] = _lines(request_log)
    assert line["ip"] == "198.51.100.20"


def test_without_a_proxy_the_address_is_the_peers(client, request_log):
    client.get("/healthz", REMOTE_ADDR="192.0.2.5")

    [line] = _lines(request_log)
    assert line["ip"] == "192.0.2.5"
