"""Security and privacy headers on every kind of response: pages, 404s, redirects, static files."""

import os

import pytest

from tests.forked import manage_py

RESPONSES = {
    "page": "/botox-jaw-pain/benefits/",
    "home": "/",
    "404": "/no-such-page/",
    "redirect": "/botox-jaw-pain/benefits",
    "static file": "/static/css/site.css",
    "qr code": "/botox-jaw-pain/qr.svg",
    "sitemap": "/sitemap.xml",
}


@pytest.fixture(params=RESPONSES.values(), ids=RESPONSES.keys())
def response(request, client):
    return client.get(request.param)


def csp(response):
    return {
        name: values
        for name, *values in (directive.split() for directive in response["Content-Security-Policy"].split(";"))
    }


def test_strict_content_security_policy(response):
    policy = csp(response)
    assert policy["default-src"] == ["'none'"]
    for directive in ("script-src", "style-src", "img-src", "font-src"):
        assert policy[directive] == ["'self'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]  # the feedback form posts to this site only
    assert policy["frame-ancestors"] == ["'none'"]
    header = response["Content-Security-Policy"]
    assert "unsafe-inline" not in header and "unsafe-eval" not in header and "data:" not in header


def test_other_security_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_permissions_policy_turns_off_unused_features(response):
    features = dict(item.strip().split("=") for item in response["Permissions-Policy"].split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "serial", "bluetooth", "hid"):
        assert features[feature] == "()"


def test_hsts_over_https_in_production_settings(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get("/botox-jaw-pain/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_production_settings_turn_hsts_on_for_a_year():
    environment = {
        **{key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")},
        "DJANGO_SETTINGS_MODULE": "botox_info.settings.production",
        "DJANGO_SECRET_KEY": "k" * 60,
        "DJANGO_ALLOWED_HOSTS": "guide.example.org",
        "SITE_URL": "https://guide.example.org",
    }
    code = "from django.conf import settings; print(settings.SECURE_HSTS_SECONDS, settings.SECURE_SSL_REDIRECT)"
    result = manage_py("shell", "-c", code, environment=environment)
    seconds, redirect = result.stdout.splitlines()[-1].split()
    assert int(seconds) >= 365 * 24 * 3600
    assert redirect == "True"
