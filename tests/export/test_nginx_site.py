"""`manage.py nginx_site`: the production nginx site, written from the settings and the current release."""

import pytest
from django.core.management import CommandError, call_command

from articles.export import nginx
from articles.export.deploy import nginx_site


def test_the_site_serves_the_current_release_with_the_exports_headers(published_site, settings):
    site = nginx_site(upstream="127.0.0.1:8123", listen="127.0.0.1:8080", server_name="guide.example.org")
    assert f'root "{settings.RELEASES_DIR.resolve()}/current/public";' in site
    assert "server 127.0.0.1:8123;" in site and "listen 127.0.0.1:8080;" in site
    for kind in ("page", "static", "qr"):
        assert nginx.header_lines(kind, " " * 8) in site


def test_only_the_applications_addresses_and_misses_go_to_gunicorn(published_site):
    site = nginx_site()
    proxied = [line for line in site.splitlines() if "location" in line and "{" in line]
    assert "    location = /healthz {" in proxied
    assert "    location ^~ /feedback/ {" in proxied and "    location ^~ /admin/ {" in proxied
    assert "    location = /feedback {" in proxied and "    location = /admin {" in proxied  # no 301 of nginx's
    assert site.count("proxy_pass http://botox_info_app;") == 7  # those five, /x/index.html and what is no file
    assert "proxy_request_buffering on;" in site and "proxy_buffering on;" in site


def test_nothing_published_is_refused_with_what_to_do(settings, tmp_path):
    settings.RELEASES_DIR = tmp_path / "releases"
    with pytest.raises(CommandError, match="run `manage.py publish` first"):
        call_command("nginx_site")


def test_a_balancer_that_is_not_an_address_is_refused(published_site):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="--proxy should be an address or a network"):
        nginx_site(proxies=["balancer.example.org"])
    assert "set_real_ip_from 10.0.0.0/24;" in nginx_site(proxies=["10.0.0.0/24"])
