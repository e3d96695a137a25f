"""The site collects nothing: no cookies, nothing from other sites, outbound links leak nothing."""

import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests.html_checks import Elements
from tests.site_pages import GUIDE_PAGES, HTML_PAGES, PUBLISHED


@pytest.mark.parametrize("url", [*PUBLISHED, "/no-such-page/", "/static/css/site.css", "/static/js/page.js"])
def test_no_response_sets_a_cookie(client, url):
    response = client.get(url)
    assert not response.cookies
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("url", HTML_PAGES)
def test_every_loaded_resource_is_same_origin(client, url):
    loaders = {
        "script": ["src"],
        "img": ["src", "srcset"],
        "iframe": ["src"],
        "frame": ["src"],
        "source": ["src", "srcset"],
        "video": ["src", "poster"],
        "audio": ["src"],
        "object": ["data"],
        "embed": ["src"],
        "track": ["src"],
        "input": ["src"],
    }
    for tag, attrs in Elements(client.get(url).text).found:
        names = loaders.get(tag, [])
        if tag == "link" and attrs.get("rel") != "canonical":
            names = ["href"]  # stylesheets, icons, prefetches, preloads...
        for name in names:
            if attrs.get(name):
                assert urlsplit(attrs[name]).netloc == "", f"{url}: <{tag} {name}={attrs[name]!r}>"


@pytest.mark.parametrize("url", ["/static/css/site.css", "/static/js/page.js"])
def test_styles_and_scripts_load_nothing_from_elsewhere(client, url):
    text = client.get(url).text
    assert "@import" not in text
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", text)
    assert "fetch(" not in text and "XMLHttpRequest" not in text and "sendBeacon" not in text


def test_outbound_links_carry_noopener_noreferrer(client):
    """Every link to another site on every page, in one test: some pages have none."""
    site = urlsplit(settings.SITE_URL).netloc
    checked = set()
    for url in HTML_PAGES:
        for tag, attrs in Elements(client.get(url).text).found:
            address = urlsplit(attrs.get("href", ""))
            if tag == "a" and address.scheme in {"http", "https"} and address.netloc != site:
                assert set(attrs.get("rel", "").split()) >= {"noopener", "noreferrer"}, f"{url}: {attrs}"
                checked.add(url)
    assert checked >= set(GUIDE_PAGES), "every guide page links to its sources"


def test_privacy_page_says_what_is_not_collected(client):
    text = client.get("/privacy/").text
    for claim in ("no cookies", "no analytics and no tracking", "Nothing is loaded from other websites"):
        assert claim in text
    assert 'href="/privacy/"' in client.get("/botox-jaw-pain/").text  # linked from every page
