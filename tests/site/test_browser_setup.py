"""Browser tests fail, not skip, in CI when Chromium is missing; elsewhere they skip with a hint;
and the browser never shows a page the test server has since replaced."""

import os

import pytest

from articles.publish.publishing import publish
from tests import browser


def test_missing_chromium_fails_in_ci(monkeypatch):
    monkeypatch.setattr(browser.os.path, "exists", lambda path: False)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="apt-get install chromium chromium-driver"):
        browser.require_chromium()


def test_missing_chromium_skips_on_a_developer_machine(monkeypatch):
    monkeypatch.setattr(browser.os.path, "exists", lambda path: False)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium chromium-driver"):
        browser.require_chromium()


@pytest.mark.browser
def test_a_page_replaced_by_one_of_the_same_size_and_time_is_shown_as_replaced(browser, site_server, guide, settings):
    # WhiteNoise's ETag is the file's size and its time to the second: asked again by its ETag, the
    # test server would answer 304 and the browser show the old page (tests/conftest.py).
    address, first = site_server.url + "/test-guide/", None
    for version in ("AAAA", "BBBB"):
        guide.page("index", body=f"Version {version} of the text.\n")
        publish()
        served = settings.RELEASES_DIR / "current" / "public" / "test-guide" / "index.html"
        first = first or served.stat().st_mtime_ns
        os.utime(served, ns=(first, first))  # the same second, as two quick publishes often are
        browser.get(address)
        assert f"Version {version}" in browser.find_element("tag name", "main").text
