"""Hostile or odd requests get a clear 4xx, never a 500, and the log shows no exception."""

import logging

import pytest

HOSTILE_PATHS = [
    "/../../etc/passwd",
    "/botox-jaw-pain/../../../etc/passwd",
    "/botox-jaw-pain/%2e%2e/%2e%2e/etc/passwd",
    "/botox-jaw-pain/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/botox-jaw-pain/%252e%252e%252fetc%252fpasswd",
    "/botox-jaw-pain/..%5c..%5cwindows%5cwin.ini",
    "/botox-jaw-pain\\..\\..\\etc\\passwd",
    "/botox-jaw-pain/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "/botox-jaw-pain/%00/",
    "/botox-jaw-pain/benefits%00.md",
    "/static/../botox_info/settings/base.py",
    "/static/%2e%2e/manage.py",
    "/content/botox-jaw-pain/benefits.md",
    "/botox-jaw-pain/guide.yaml",
    "/" + "a" * 5000 + "/",
    "/botox-jaw-pain/%ff%fe/",
    "/botox-jaw-pain/<script>alert(1)</script>/",
    "/botox-jaw-pain/qr.svg/../../etc/passwd",
]


@pytest.fixture
def no_exceptions_logged(caplog):
    caplog.set_level(logging.WARNING)
    yield
    exceptions = [record for record in caplog.records if record.exc_info or record.levelno >= logging.ERROR]
    assert not exceptions, [record.getMessage() for record in exceptions]


@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_hostile_paths_get_a_404(client, path, no_exceptions_logged):
    response = client.get(path)
    assert response.status_code == 404
    assert b"Page not found" in response.content


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch"])
def test_unsafe_methods_get_405(client, method, no_exceptions_logged):
    response = getattr(client, method)("/botox-jaw-pain/benefits/")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_options_and_trace_get_405(client, no_exceptions_logged):
    assert client.options("/botox-jaw-pain/").status_code == 405
    assert client.generic("TRACE", "/botox-jaw-pain/").status_code == 405


def test_unknown_host_gets_400_not_500(client, caplog):
    response = client.get("/botox-jaw-pain/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert not [record for record in caplog.records if record.exc_info and record.levelno >= logging.ERROR]


def test_head_and_conditional_requests(client, no_exceptions_logged):
    head = client.head("/botox-jaw-pain/")
    assert head.status_code == 200 and head.content == b""
    assert client.get("/botox-jaw-pain/", HTTP_IF_NONE_MATCH=head["ETag"]).status_code == 304


def test_very_long_query_strings_are_ignored(client, no_exceptions_logged):
    assert client.get("/botox-jaw-pain/?" + "x=1&" * 2000).status_code == 200
