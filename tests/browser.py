"""Driving Debian's Chromium through Selenium, for what only a real browser can show."""

import os
from pathlib import Path

import pytest

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
    # Imported here: every test run loads this module (conftest.py), most tests never drive a browser.
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

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


# --- What the browser is made to pretend ----------------------------------------
# Checks load a page once and then change its size or colour scheme (a load costs the browser more
# than a layout): each change ends with every transition it started finished, so that a check sees
# what a visitor who loaded the page in that state sees, not the change's first frame.

_SETTLE = (
    "document.getAnimations().forEach((a) => { if (a.effect?.getComputedTiming().endTime !== Infinity) a.finish(); });"
)


def set_viewport(driver, width, height=900):
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    driver.execute_script(_SETTLE)


def set_font_size(driver, pixels):
    """The browser's text size setting (16 px by default; 32 px is 200%)."""
    driver.execute_cdp_cmd("Page.setFontSizes", {"fontSizes": {"standard": pixels, "fixed": pixels}})
    driver.execute_script(_SETTLE)


def emulate(driver, media="", **features):
    """Media type ("print") and media features (prefers_color_scheme="dark")."""
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia",
        {
            "media": media,
            "features": [{"name": name.replace("_", "-"), "value": value} for name, value in features.items()],
        },
    )
    driver.execute_script(_SETTLE)


def reset(driver):
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    set_font_size(driver, 16)
    emulate(driver)


def save_screenshot(driver, name, width):
    """A full-page screenshot in screenshots/ (git-ignored), for a person to look at."""
    set_viewport(driver, width)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    set_viewport(driver, width, min(height, 6000))
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}-{width}.png"
    path.write_bytes(driver.get_screenshot_as_png())
    return path


# --- Checks: each returns a list of problems, each naming the page and the rule ---------------

AXE_SOURCE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]


def require_axe():
    if not AXE_SOURCE.exists():
        message = "axe-core is not installed: run 'npm ci' (make test does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def axe_violations(driver, page):
    """axe-core's WCAG 2.0/2.1/2.2 A and AA rules and best practices, on the page as it is now."""
    if not driver.execute_script("return typeof window.axe?.run === 'function'"):  # once a page load: 0.1 to 0.3 s
        driver.execute_script(AXE_SOURCE.read_text())
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        ".then(done, (error) => done({error: String(error)}));",
        AXE_TAGS,
    )
    assert "error" not in result, result
    return [
        f"{page}: {violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(
            node["target"][0] if isinstance(node["target"][0], str) else str(node["target"])
            for node in violation["nodes"][:3]
        )
        for violation in result["violations"]
    ]


_FOCUSABLE = """
const visible = (el) => { const s = getComputedStyle(el); const r = el.getBoundingClientRect();
  const folded = el.closest('details:not([open])') && el.tagName !== 'SUMMARY';  // inside a closed <details>
  return !folded && s.display !== 'none' && s.visibility !== 'hidden' && !el.hidden && (r.width > 0 || r.height > 0 || el.classList.contains('skip-link')); };
// A group of radio buttons is one Tab stop (arrow keys move within it).
const groups = new Set();
const firstOfGroup = (el) => el.type !== 'radio' || (!groups.has(el.name) && groups.add(el.name));
return [...document.querySelectorAll('a[href], button, summary, input, select, textarea, [tabindex]')]
  .filter((el) => el.getAttribute('tabindex') !== '-1')  // out of the Tab order on purpose
  .filter(visible).filter(firstOfGroup);
"""

_DESCRIBE = """
const describe = (el) => { const s = getComputedStyle(el); const r = el.getBoundingClientRect();
  return {element: el, tag: el.tagName.toLowerCase(), id: el.id, text: (el.textContent || '').trim().slice(0, 40),
    className: el.className, href: el.getAttribute('href'),
    indicator: s.boxShadow !== 'none' || (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 && s.outlineColor !== 'rgba(0, 0, 0, 0)'),
    inView: r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth}; };
"""
# Each element that takes the focus, described as it takes it (its focus style applies by then) and
# again a task later if it still has the focus (`later`; null if the next Tab came first): a script
# may take the style away, or move the element off screen, just after.
_LOG_FOCUS = (
    _DESCRIBE
    + """
window.focusLog = [];
document.addEventListener('focusin', (event) => {
  const entry = describe(event.target); focusLog.push(entry);
  setTimeout(() => { entry.later = document.activeElement === event.target ? describe(event.target) : null; });
});
"""
)


def keyboard_problems(driver, url, page):
    """The first Tab reaches a visible skip link that moves focus to the main content;
    Tab then reaches every link and button, in page order, each with a visible focus indicator."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    driver.get(url)  # once: a page load costs the browser more than all the Tabs
    expected = driver.execute_script(_FOCUSABLE)
    # The page records what each Tab reaches, and the Tabs go in one request: a round trip to
    # the browser a Tab cost as much again as the Tabs themselves.
    driver.execute_script(_LOG_FOCUS)
    tabs = ActionChains(driver)
    for number, _ in enumerate(expected):
        # Time for the second look: always at the skip link, whose check needs it; most times after.
        tabs.send_keys(Keys.TAB).pause(0.05 if number == 0 else 0.01)
    tabs.perform()
    log = driver.execute_script("return focusLog")
    first = log[0] if log else {"tag": "nothing", "text": "", "className": ""}
    if "skip-link" not in str(first["className"]) or first["text"] != "Skip to content":
        return [f"{page}: skip-link: the first Tab reaches {first['tag']} '{first['text']}', not 'Skip to content'"]
    problems = []
    later = first.get("later") or first  # no second look only if the browser took over 50 ms to get to it
    if not (first["inView"] and first["indicator"] and later["inView"] and later["indicator"]):
        problems.append(f"{page}: skip-link: the skip link is not visible when focused")
    driver.execute_script("arguments[0].focus()", first["element"])
    ActionChains(driver).send_keys(Keys.ENTER).perform()
    if driver.execute_script("return document.activeElement.id") != "main-content":
        problems.append(f"{page}: skip-link: Enter on the skip link does not move focus to the main content")

    reached = []
    for focused in log:
        reached.append(focused["element"])
        if not focused["indicator"] or (focused.get("later") or {}).get("indicator") is False:
            problems.append(
                f"{page}: focus-visible: no visible focus indicator on {focused['tag']} '{focused['text']}'"
            )
    if reached != expected:
        names = [element.get_attribute("textContent").strip()[:30] for element in expected]
        got = [element.get_attribute("textContent").strip()[:30] for element in reached]
        problems.append(f"{page}: focus-order: Tab order {got} differs from page order {names}")
    return problems


_OVERFLOW = """
const width = document.documentElement.clientWidth;
const cut = [...document.querySelectorAll('body *')].filter((el) => {
  if (el.closest('.visually-hidden, .skip-link')) return false;
  const s = getComputedStyle(el); const r = el.getBoundingClientRect();
  return s.display !== 'none' && s.visibility !== 'hidden' && r.width > 0 && (r.right > width + 1 || r.left < -1);
}).map((el) => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '') + ' "' + (el.textContent || '').trim().slice(0, 30) + '"');
return {scroll: document.documentElement.scrollWidth, width: width, cut: cut.slice(0, 5)};
"""


def reflow_problems(driver, url, page, sizes):
    """Nothing scrolls sideways and nothing is cut off at each (width, text size) of `sizes` (WCAG 1.4.4,
    1.4.10). The page is loaded once and resized, as a visitor zooms: on seven pages every element's
    position and width came out the same as loading it at each size, and a test keeps any script from
    reading the screen (test_accessibility.py), for a third of the browser's time."""
    driver.get(url)
    problems = []
    for width, font_size in sizes:
        set_viewport(driver, width)
        set_font_size(driver, font_size)
        found = driver.execute_script(_OVERFLOW)
        if found["scroll"] > found["width"]:
            problems.append(
                f"{page}: reflow: scrolls sideways at {width} px with {font_size} px text ({found['scroll']} px wide)"
            )
        problems += [
            f"{page}: reflow: cut off at {width} px with {font_size} px text: {element}" for element in found["cut"]
        ]
    return problems


_PRINT = """
const hiddenOk = [...document.querySelectorAll('nav, .share, button, .skip-link, .pagination')]
  .filter((el) => getComputedStyle(el).display !== 'none').map((el) => el.tagName.toLowerCase() + '.' + el.className);
const notBlack = [...document.querySelectorAll('main *')].filter((el) => {
  const s = getComputedStyle(el);
  return s.display !== 'none' && el.childNodes.length && [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())
    && s.color !== 'rgb(0, 0, 0)';
}).map((el) => el.tagName.toLowerCase() + ' "' + el.textContent.trim().slice(0, 30) + '" is ' + getComputedStyle(el).color);
const body = getComputedStyle(document.body).backgroundColor;
return {visible: hiddenOk, notBlack: notBlack.slice(0, 5), background: body};
"""


def print_problems(driver, url, page):
    """With print media: no navigation or controls, black text on white."""
    emulate(driver, "print")
    driver.get(url)
    found = driver.execute_script(_PRINT)
    problems = [f"{page}: print: {element} is printed" for element in found["visible"]]
    problems += [f"{page}: print: text not black: {element}" for element in found["notBlack"]]
    if found["background"] not in {"rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"}:
        problems.append(f"{page}: print: background is {found['background']}")
    return problems
