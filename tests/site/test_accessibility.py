"""WCAG 2.2 AA in a real browser: axe-core, keyboard, reflow, colour schemes, print, no JavaScript.

Each check returns problems naming the page and the rule, so a failure says
what to fix and where. The last tests break a page on purpose and make sure
the checks notice.
"""

import re
from pathlib import Path

import pytest
from selenium.webdriver.common.keys import Keys

from tests.browser import (
    axe_violations,
    emulate,
    keyboard_problems,
    print_problems,
    reflow_problems,
    require_axe,
    reset,
    save_screenshot,
    start_chromium,
)
from tests.site_pages import HTML_PAGES

pytestmark = pytest.mark.browser


def page_name(path):
    """A short name for failure messages and screenshots: "home", "overview", "benefits", "print-summary"..."""
    if path in {"/", "/no-such-page/"}:
        return {"/": "home", "/no-such-page/": "404"}[path]
    parts = path.strip("/").split("/")
    if len(parts) == 1 and parts[0] in {"privacy", "accessibility", "about"}:
        return parts[0]
    return "-".join(parts[1:]) or "overview"


PAGES = {page_name(path): path for path in HTML_PAGES}


@pytest.fixture
def chromium(browser):
    reset(browser)
    yield browser
    reset(browser)


@pytest.fixture(scope="module")
def chromium_without_javascript(browser):
    driver = start_chromium(javascript=False)
    yield driver
    driver.quit()


@pytest.fixture(params=PAGES.items(), ids=PAGES.keys())
def page(request, site_server):
    name, path = request.param
    return name, site_server.url + path


def test_no_script_reads_the_screen_so_a_loaded_page_can_be_resized_and_recoloured():
    """The axe, reflow and page-craft checks load a page once and change its colour scheme and size:
    the same as loading it in each state only while no script looks at the screen (a script that did,
    at load, would never see the later states). Load at each size and scheme again before adding one."""
    reads = re.compile(
        r"matchMedia|inner(Width|Height)|outer(Width|Height)|clientWidth|\bscreen\.|devicePixelRatio|resize"
    )
    scripts = sorted((Path(__file__).resolve().parents[2] / "static").rglob("*.js"))
    assert scripts
    found = [
        f"{path.name}: {line.strip()}"
        for path in scripts
        for line in path.read_text().splitlines()
        if reads.search(line)
    ]
    assert found == []


def test_axe_finds_no_violations_in_light_or_dark_mode(chromium, page):
    require_axe()
    name, url = page
    chromium.get(url)
    problems = []
    for scheme in ("light", "dark"):  # the colours change with the page loaded, as they do for a visitor
        emulate(chromium, prefers_color_scheme=scheme)
        problems += axe_violations(chromium, f"{name} ({scheme})")
    assert problems == []


def test_keyboard(chromium, page):
    assert keyboard_problems(chromium, page[1], page[0]) == []


def test_reflow_at_320_px_and_200_percent_text(chromium, page):
    assert reflow_problems(chromium, page[1], page[0], [(320, 16), (320, 32), (1280, 32)]) == []


def test_print_hides_navigation_and_is_black_on_white(chromium, page):
    assert print_problems(chromium, page[1], page[0]) == []


def test_works_without_javascript(chromium_without_javascript, page):
    driver = chromium_without_javascript
    name, url = page
    driver.get(url)
    assert driver.find_element("tag name", "h1").text
    assert driver.find_element("id", "main-content").text
    # One request for every link's address, not one a link (WebDriver runs it with the page's scripts off).
    hrefs = driver.execute_script("return [...document.querySelectorAll('a[href]')].map((link) => link.href)")
    assert hrefs, name
    for href in hrefs:
        assert not href.startswith("javascript:"), f"{name}: a link needs JavaScript: {href}"
    copy = driver.find_elements("css selector", "button[data-copy]")
    if copy:
        assert not copy[0].is_displayed(), f"{name}: the copy button shows but cannot work without JavaScript"
        assert driver.find_element("id", "share-url").get_attribute("textContent").startswith("http")


def test_a_link_works_without_javascript(chromium_without_javascript, site_server):
    driver = chromium_without_javascript
    driver.get(site_server.url + "/botox-jaw-pain/")
    driver.find_element("css selector", "a[rel=next]").send_keys(Keys.ENTER)
    assert driver.find_element("css selector", "h1 .page-header__page").text == "How it works"


def test_honours_reduced_motion(chromium, site_server):
    chromium.get(site_server.url + "/botox-jaw-pain/")
    behaviour = "return getComputedStyle(document.documentElement).scrollBehavior"
    assert chromium.execute_script(behaviour) == "smooth"
    emulate(chromium, prefers_reduced_motion="reduce")
    assert chromium.execute_script(behaviour) == "auto"


def test_dark_mode_is_dark(chromium, site_server):
    emulate(chromium, prefers_color_scheme="dark")
    chromium.get(site_server.url + "/botox-jaw-pain/")
    assert chromium.execute_script("return getComputedStyle(document.body).backgroundColor") == "rgb(21, 24, 27)"


def test_copy_link_button_copies_the_address(chromium, site_server):
    chromium.execute_cdp_cmd(
        "Browser.grantPermissions",
        {"origin": site_server.url, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]},
    )
    emulate(chromium, prefers_reduced_motion="reduce")  # no smooth scrolling under the click
    chromium.get(site_server.url + "/botox-jaw-pain/benefits/")
    chromium.find_element("css selector", ".share summary").click()  # open "Share or print this page"
    button = chromium.find_element("css selector", "button[data-copy]")
    assert button.is_displayed()
    button.click()
    status = chromium.find_element("css selector", ".share__status")
    from selenium.webdriver.support.wait import WebDriverWait  # here: a third of a second to import

    WebDriverWait(chromium, 5).until(lambda driver: status.text)  # the copy finishes asynchronously
    assert status.text == "Link copied."
    copied = chromium.execute_async_script("navigator.clipboard.readText().then(arguments[arguments.length - 1])")
    assert copied == "https://guide.example.org/botox-jaw-pain/benefits/"


def test_screenshots_at_phone_and_desktop_width(chromium, page):
    name, url = page
    chromium.get(url)
    for width in (390, 1280):
        path = save_screenshot(chromium, name, width)
        assert path.stat().st_size > 10_000


# --- The checks notice a page broken on purpose ------------------------------------


def break_page(driver, url, script):
    driver.get(url)
    driver.execute_script(script)


def test_axe_catches_an_image_without_alt_text(chromium, site_server):
    require_axe()
    break_page(
        chromium,
        site_server.url + "/botox-jaw-pain/",
        "const img = document.createElement('img'); img.src = '/static/img/favicon.svg';"
        "document.querySelector('main').append(img);",
    )
    problems = axe_violations(chromium, "overview")
    assert any(problem.startswith("overview: image-alt") for problem in problems), problems


def test_axe_catches_low_contrast(chromium, site_server):
    require_axe()
    break_page(
        chromium, site_server.url + "/botox-jaw-pain/", "document.querySelector('.prose p').style.color = '#bbb';"
    )
    problems = axe_violations(chromium, "overview")
    assert any(problem.startswith("overview: color-contrast") for problem in problems), problems


def break_every_load(driver, monkeypatch, script):
    """Make each page the check loads broken by `script`, as if the site shipped it so."""
    original_get = driver.get

    def get_and_break(address):
        original_get(address)
        driver.execute_script(script)

    monkeypatch.setattr(driver, "get", get_and_break)


def test_keyboard_check_catches_a_removed_skip_link(chromium, site_server, monkeypatch):
    break_every_load(chromium, monkeypatch, "document.querySelector('.skip-link').remove()")
    problems = keyboard_problems(chromium, site_server.url + "/botox-jaw-pain/", "overview")
    assert problems and problems[0].startswith("overview: skip-link:"), problems


@pytest.mark.parametrize(
    "breakage, problem",
    [
        ("document.querySelector('main').removeAttribute('tabindex')", "does not move focus to the main content"),
        (
            "const s = new CSSStyleSheet(); s.replaceSync('.skip-link:focus { position: absolute !important;"
            " top: -500px !important; left: -500px !important; transform: none !important; }');"
            " document.adoptedStyleSheets = [s];",
            "the skip link is not visible when focused",
        ),
        (
            "const link = document.querySelector('.skip-link');"
            " link.addEventListener('focus', () => setTimeout(() => { link.style.top = '-500px'; }));",
            "the skip link is not visible when focused",
        ),
    ],
    ids=["main-not-focusable", "skip-link-off-screen", "skip-link-moved-away-just-after"],
)
def test_keyboard_check_catches_a_skip_link_that_does_not_work(chromium, site_server, monkeypatch, breakage, problem):
    break_every_load(chromium, monkeypatch, breakage)
    problems = keyboard_problems(chromium, site_server.url + "/botox-jaw-pain/", "overview")
    assert any(problem in found for found in problems), problems


def test_keyboard_check_catches_a_focus_without_an_indicator(chromium, site_server, monkeypatch):
    # A constructed stylesheet: the site's Content Security Policy refuses a <style> element.
    hide = "a:focus-visible { outline: none !important; box-shadow: none !important; }"
    break_every_load(
        chromium,
        monkeypatch,
        f"const s = new CSSStyleSheet(); s.replaceSync({hide!r}); document.adoptedStyleSheets = [s];",
    )
    problems = keyboard_problems(chromium, site_server.url + "/botox-jaw-pain/", "overview")
    assert any(
        problem.startswith("overview: focus-visible: no visible focus indicator on a") for problem in problems
    ), problems


def test_keyboard_check_catches_a_focus_style_a_script_takes_away_just_after(chromium, site_server, monkeypatch):
    late = (
        "document.addEventListener('focusin', (e) => setTimeout(() => {"
        " e.target.style.setProperty('box-shadow', 'none', 'important');"
        " e.target.style.setProperty('outline', 'none', 'important'); }));"
    )
    break_every_load(chromium, monkeypatch, late)
    problems = keyboard_problems(chromium, site_server.url + "/botox-jaw-pain/", "overview")
    assert any("focus-visible: no visible focus indicator on a" in problem for problem in problems), problems


def test_keyboard_check_catches_a_link_that_tab_never_reaches(chromium, site_server, monkeypatch):
    break_every_load(chromium, monkeypatch, "document.querySelector('a[rel=next]').inert = true")
    problems = keyboard_problems(chromium, site_server.url + "/botox-jaw-pain/", "overview")
    assert any(problem.startswith("overview: focus-order: Tab order") for problem in problems), problems


def test_reflow_check_catches_a_wide_element(chromium, site_server, monkeypatch):
    break_every_load(chromium, monkeypatch, "document.querySelector('main .prose p').style.width = '600px'")
    problems = reflow_problems(chromium, site_server.url + "/botox-jaw-pain/", "overview", [(320, 16)])
    assert any("reflow: scrolls sideways at 320 px" in problem for problem in problems), problems
