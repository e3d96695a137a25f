"""Browser tests fail, not skip, in CI when Chromium is missing; elsewhere they skip with a hint."""

import pytest

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
