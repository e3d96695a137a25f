"""Driving Debian's Chromium through Selenium, for what only a real browser can show."""

import os
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
INSTALL_HINT = "apt-get install chromium chromium-driver"
SCREENSHOTS = Path(__file__).resolve().parent.parent / "screenshots"


def require_chromium():
    """Fail in CI, skip elsewhere, when the browser is not installed."""
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not os.path.exists(path)]
    if missing:
        message = f"Chromium is not installed ({', '.join(missing)}); install it with: {INSTALL_HINT}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def start_chromium(javascript=True, font_size=None):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",  # required as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        # The machine has no network: stop Chromium phoning home.
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--hide-scrollbars",
        "--window-size=1280,900",
    ):
        options.add_argument(argument)
    prefs = {}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    if font_size:
        prefs["webkit.webprefs.default_font_size"] = font_size
    if prefs:
        options.add_experimental_option("prefs", prefs)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
