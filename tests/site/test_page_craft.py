"""Page craft to the national standard, measured in Chromium: after "Skip to content" nothing
changes colour; a phone's first screen shows the page's own text; every control is big enough
to tap; the header and the contents box stand out in light and dark; breadcrumbs and "Page N of
M" everywhere; the printed guide has a footer on every sheet and no reference that paper cannot
follow; Listen says when the device cannot read aloud.

Each check returns the problems it finds, naming the page, so that the tests at the end can
break a page on purpose and show that the check notices.
"""

import base64
import io
import re
import unicodedata
import urllib.request

import pytest
from PIL import Image
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.print_page_options import PrintOptions

from tests.browser import emulate, reset, set_viewport
from tests.site.test_print import PAPER, print_pdf
from tests.site_pages import GUIDE_PAGES, HTML_PAGES

pytestmark = pytest.mark.browser

OVERVIEW = "/botox-jaw-pain/"
URGENT_PAGE = "/botox-jaw-pain/side-effects/"
SCHEMES = ["light", "dark"]


@pytest.fixture
def chromium(browser):
    reset(browser)
    yield browser
    reset(browser)


def load(driver, url, breakage=""):
    """Open `url`; `breakage` is a script that breaks the page on purpose, as if the site shipped it so."""
    driver.get(url)
    if breakage:
        driver.execute_script(breakage)


def add_style(css):
    """A script that adds `css` to the page (the tests' way of breaking a page on purpose)."""
    # A constructed stylesheet: the site's Content Security Policy refuses a <style> element.
    return f"const s = new CSSStyleSheet(); s.replaceSync({css!r}); document.adoptedStyleSheets = [s];"


# --- After "Skip to content", <main> looks as it did --------------------------------

_COLOURS = """
const pick = (el) => el ? {background: getComputedStyle(el).backgroundColor, color: getComputedStyle(el).color} : null;
return {main: pick(document.querySelector('main')), title: pick(document.querySelector('main h1')),
        urgent: pick(document.querySelector('.callout--urgent')),
        urgentTitle: pick(document.querySelector('.callout--urgent .callout__title'))};
"""


def skip_link_problems(driver, url, page, breakage=""):
    load(driver, url, breakage)
    before = driver.execute_script(_COLOURS)
    ActionChains(driver).send_keys(Keys.TAB).send_keys(Keys.ENTER).perform()
    if driver.execute_script("return document.activeElement.id") != "main-content":
        return [f"{page}: the skip link did not move focus to the main content"]
    after = driver.execute_script(_COLOURS)
    return [
        f"{page}: after the skip link, {part} turns {after[part]} (was {before[part]})"
        for part in before
        if before[part] != after[part]
    ]


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("path", [OVERVIEW, URGENT_PAGE])
def test_the_skip_link_changes_no_colour_of_the_main_content(chromium, site_server, path, scheme):
    emulate(chromium, prefers_color_scheme=scheme)
    assert skip_link_problems(chromium, site_server.url + path, f"{path} ({scheme})") == []


# --- A phone's first screen ------------------------------------------------------

_FIRST_SCREEN = """
const text = document.getElementById('page-text');
const first = text.querySelector(':scope > p, :scope > ul > li, :scope > ol > li');
const r = first.getBoundingClientRect();
const line = parseFloat(getComputedStyle(first).lineHeight);
const guide = document.querySelector('.page-header__guide');
return {words: first.textContent.trim().slice(0, 40), top: r.top + window.scrollY, line: line,
        screen: window.innerHeight, guideLines: Math.round(guide.getBoundingClientRect().height
        / parseFloat(getComputedStyle(guide).lineHeight))};
"""


def first_screen_problems(driver, url, page, screens, breakage=""):
    """At each (width, height) of `screens`, the page's first paragraph (on the overview, its first key
    message) starts on the first screen: at least its first line shows. At 390 px and wider, the guide's
    name is on one line. Loaded at the first size and resized to the others, as the reflow check is."""
    set_viewport(driver, *screens[0])
    load(driver, url, breakage)
    problems = []
    for width, height in screens:
        set_viewport(driver, width, height)
        found = driver.execute_script(_FIRST_SCREEN)
        if found["top"] + found["line"] > found["screen"]:
            problems.append(
                f"{page}: at {width}x{height} the text starts {found['top']:.0f} px down: "
                f"'{found['words']}' is not on the first screen"
            )
        if width >= 390 and found["guideLines"] != 1:
            problems.append(f"{page}: at {width} px the guide's name takes {found['guideLines']} lines")
    return problems


@pytest.mark.parametrize("path", GUIDE_PAGES)
def test_the_text_starts_on_a_phones_first_screen(chromium, site_server, clinic, path):
    assert first_screen_problems(chromium, site_server.url + path, path, [(390, 844), (320, 640)]) == []


def test_on_a_phone_the_contents_fold_into_page_n_of_m(chromium, site_server):
    set_viewport(chromium, 390, 844)
    chromium.get(site_server.url + "/botox-jaw-pain/benefits/")
    summary = chromium.find_element("css selector", ".guide-contents summary")
    assert summary.text == "Contents (page 3 of 7)"
    links = chromium.find_elements("css selector", ".guide-contents a")
    assert not any(link.is_displayed() for link in links)
    summary.send_keys(Keys.ENTER)
    assert sum(link.is_displayed() for link in links) == len(GUIDE_PAGES) - 1  # all but this page
    set_viewport(chromium, 1280, 900)
    assert not summary.is_displayed()
    assert chromium.find_element("css selector", ".guide-contents__title").is_displayed()


# --- Tap targets ---------------------------------------------------------------------

TARGET = 44
_TARGETS = """
document.querySelectorAll('details').forEach((d) => { d.open = true; });  // what a tap would show
const places = '.site-header, .breadcrumbs, .guide-contents, .pagination, .share, .sources, .consult, .feedback, .site-footer';
const all = [...document.querySelectorAll(places.split(', ').map((p) => p + ' :is(a[href], button, summary, label:has(input))').join(', '))]
  .filter((el) => { const s = getComputedStyle(el); const r = el.getBoundingClientRect();
                    return s.display !== 'none' && s.visibility !== 'hidden' && !el.hidden && r.width && r.height; });
return all.map((el) => { const r = el.getBoundingClientRect();
  return {text: el.textContent.trim().slice(0, 30), left: r.left, top: r.top, right: r.right, bottom: r.bottom}; });
"""


def _too_close(target, others):
    """WCAG 2.5.8's spacing test, at 44 px: a 44 px circle on the target's centre touches no other target."""
    x, y = (target["left"] + target["right"]) / 2, (target["top"] + target["bottom"]) / 2
    for other in others:
        nearest_x = min(max(x, other["left"]), other["right"])
        nearest_y = min(max(y, other["top"]), other["bottom"])
        if (nearest_x - x) ** 2 + (nearest_y - y) ** 2 < (TARGET / 2) ** 2:
            return other
    return None


def tap_target_problems(driver, url, page, breakage=""):
    set_viewport(driver, 390, 844)
    load(driver, url, breakage)
    targets = driver.execute_script(_TARGETS)
    problems = []
    for target in targets:
        width, height = target["right"] - target["left"], target["bottom"] - target["top"]
        if width >= TARGET - 0.5 and height >= TARGET - 0.5:
            continue
        neighbour = _too_close(target, [other for other in targets if other is not target])
        if neighbour is not None:
            problems.append(
                f"{page}: '{target['text']}' is {width:.0f}x{height:.0f} px, too close to '{neighbour['text']}'"
            )
    return problems


@pytest.mark.parametrize("path", HTML_PAGES)
def test_every_link_and_button_is_big_enough_to_tap(chromium, site_server, clinic, path):
    assert tap_target_problems(chromium, site_server.url + path, path) == []


# --- Edges that show, in light and dark ----------------------------------------------------

_EDGES = """
const rgb = (text) => text.match(/[\\d.]+/g).slice(0, 3).map(Number);
const body = getComputedStyle(document.body).backgroundColor;
const header = getComputedStyle(document.querySelector('.site-header')).backgroundColor;
const box = document.querySelector('.guide-contents');
const s = getComputedStyle(box);
return {body: rgb(body), header: rgb(header), boxEdge: rgb(s.borderLeftColor), box: rgb(s.backgroundColor),
        edgeWidth: parseFloat(s.borderLeftWidth)};
"""


def contrast(first, second):
    def luminance(rgb):
        channels = [value / 255 for value in rgb]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def edge_problems(driver, url, page, looks, breakage=""):
    """In each (colour scheme, width) of `looks`, on one load: the header and the contents box's edge
    stand out at 3:1 or more, and the edge is 3 px wide or more."""
    load(driver, url, breakage)
    problems = []
    for scheme, width in looks:
        emulate(driver, prefers_color_scheme=scheme)
        set_viewport(driver, width, 900)
        found = driver.execute_script(_EDGES)
        pairs = {
            "the header against the page": (found["header"], found["body"]),
            "the contents box's edge against the box": (found["boxEdge"], found["box"]),
            "the contents box's edge against the page": (found["boxEdge"], found["body"]),
        }
        problems += [
            f"{page} ({scheme}, {width} px): {name} is {contrast(*colours):.2f}:1, less than 3:1"
            for name, colours in pairs.items()
            if contrast(*colours) < 3
        ]
        if found["edgeWidth"] < 3:
            problems.append(f"{page} ({scheme}, {width} px): the contents box's edge is {found['edgeWidth']} px wide")
    return problems


def test_the_header_and_the_contents_box_stand_out(chromium, site_server):
    looks = [(scheme, width) for scheme in SCHEMES for width in (390, 1280)]
    assert edge_problems(chromium, site_server.url + "/botox-jaw-pain/benefits/", "benefits", looks) == []


def _middle(element):
    """The colour (r, g, b) at the middle of `element` as the browser drew it."""
    picture = Image.open(io.BytesIO(element.screenshot_as_png)).convert("RGB")
    return picture.getpixel((picture.width // 2, picture.height // 2))


@pytest.mark.parametrize("scheme", SCHEMES)
def test_an_answer_not_chosen_looks_empty_and_a_chosen_one_shows_its_dot(chromium, site_server, scheme):
    """Was this page helpful? A browser's own radio button is a grey disc in dark mode, which reads as chosen."""
    emulate(chromium, prefers_color_scheme=scheme, prefers_reduced_motion="reduce")
    set_viewport(chromium, 390, 844)
    chromium.get(site_server.url + "/botox-jaw-pain/benefits/")
    yes, no = chromium.find_elements("css selector", ".feedback__choice input")
    chromium.execute_script("arguments[0].scrollIntoView({block: 'center'})", yes)
    no.click()
    colour = chromium.execute_script("return getComputedStyle(document.body).backgroundColor")
    background = tuple(int(value) for value in re.findall(r"\d+", colour)[:3])
    assert contrast(_middle(yes), background) < 1.1, f"'Yes', not chosen, is filled in {scheme} mode"
    assert contrast(_middle(no), background) >= 3, f"'No', chosen, shows no dot in {scheme} mode"


def test_in_the_footer_the_page_you_are_on_lines_up_with_the_links_beside_it(chromium, site_server):
    """The footer names the page you are on in plain text, not as a link: in the same box as the links."""
    set_viewport(chromium, 390, 844)
    chromium.get(site_server.url + "/about/")
    boxes = chromium.execute_script(
        "return [...document.querySelectorAll('.footer-links li > *')].map((e) => {"
        " const r = e.getBoundingClientRect(); return [e.textContent, e.tagName, r.top, r.height]; })"
    )
    current = next(box for box in boxes if box[1] == "SPAN")
    beside = boxes[boxes.index(current) - 1]  # "All guides", on the same line at this width
    assert current[0] == "About this information"
    assert (current[2], current[3]) == (beside[2], beside[3]), boxes


# --- Where am I: breadcrumbs, "Page N of M", a footer that leads somewhere ---------------------

_WHERE = """
const crumbs = [...document.querySelectorAll('nav[aria-label="Breadcrumb"] li')]
  .filter((li) => li.getBoundingClientRect().height).map((li) => li.innerText.trim());
const home = document.querySelector('nav[aria-label="Breadcrumb"] a');
return {crumbs: crumbs, home: home ? home.getAttribute('href') : null, text: document.querySelector('main').innerText};
"""


def where_problems(driver, url, page, position, widths, breakage=""):
    """At each of `widths`, on one load: breadcrumbs Home > the guide, and "Page N of M" showing."""
    set_viewport(driver, widths[0], 900)
    load(driver, url, breakage)
    problems = []
    for width in widths:
        set_viewport(driver, width, 900)
        found = driver.execute_script(_WHERE)
        if found["crumbs"] != ["Home", "Botox for jaw pain"] or found["home"] != "/":
            problems.append(f"{page} at {width} px: breadcrumbs read {found['crumbs']}, not Home > Botox for jaw pain")
        if not re.search(rf"\bpage {position} of {len(GUIDE_PAGES)}\b", found["text"], re.IGNORECASE):
            problems.append(f"{page} at {width} px: no 'Page {position} of {len(GUIDE_PAGES)}' shows")
    return problems


@pytest.mark.parametrize("position, path", list(enumerate(GUIDE_PAGES, start=1)))
def test_breadcrumbs_and_page_n_of_m_on_every_guide_page(chromium, site_server, path, position):
    assert where_problems(chromium, site_server.url + path, path, position, [390, 1280]) == []


def test_the_footer_links_lead_somewhere(chromium, site_server, clinic):
    chromium.get(site_server.url + OVERVIEW)
    links = {link.text: link.get_attribute("href") for link in chromium.find_elements("css selector", ".site-footer a")}
    assert {"All guides", "Privacy: no cookies, no tracking", "Accessibility statement"} <= set(links)
    assert links["Contact us: 020 7946 0000"] == "tel:02079460000"
    for text, href in links.items():
        if href.startswith(site_server.url):
            with urllib.request.urlopen(href, timeout=10) as response:  # an error status raises
                assert response.status == 200, text
    chromium.get(links["Accessibility statement"])
    body = chromium.find_element("tag name", "main").text
    for heading in ("The standard we aim for", "How we test it", "What we know is not perfect"):
        assert heading in body
    assert "Tell us about a problem" in body and "020 7946 0000" in body


# --- The whole guide on paper -------------------------------------------------------------


def pdf_text(page):
    """A sheet's words, one space between them, ligatures ("ﬀ") as plain letters."""
    return " ".join(unicodedata.normalize("NFKC", page.extract_text()).split())


def paper_problems(pdf, references, paper):
    """Every sheet has the guide's title, the date of the text and "Page x of y"; every reference
    to another part of the guide says where to find it: "(section N)" or a short address."""
    sheets = [pdf_text(page) for page in pdf.pages]
    problems = []
    for number, text in enumerate(sheets, start=1):
        if f"Page {number} of {len(sheets)}" not in text:
            problems.append(f"{paper} sheet {number}: no 'Page {number} of {len(sheets)}'")
        if not re.search(r"Botox for jaw pain\. Text of \d{1,2} [A-Z][a-z]+ \d{4}", text):
            problems.append(f"{paper} sheet {number}: no guide title and date of the text")
    text = " ".join(sheets)
    for words in references:
        if not re.search(re.escape(" ".join(words.split())) + r" ?\((section \d+|[\w.:-]+/[^ )]*)\)", text):
            problems.append(f"{paper}: on paper, '{words}' does not say where to look")
    return problems


def references(driver):
    """The words of each link that leads elsewhere in the guide."""
    # A link whose words are its own address (the About page's) already says where to look on paper.
    return driver.execute_script(
        'return [...document.querySelectorAll(\'.handout a[href^="#"], .handout a[href^="/"]\')]'
        ".map((a) => a.textContent.trim()).filter((words) => !/^https?:[/][/]/.test(words))"
    )


@pytest.mark.parametrize("paper", PAPER)
def test_every_sheet_of_the_printed_guide_has_a_footer_and_every_reference_a_place(chromium, site_server, paper):
    pdf = print_pdf(chromium, site_server.url + "/botox-jaw-pain/print/", paper)
    found = references(chromium)
    assert len(found) >= 3
    assert paper_problems(pdf, found, paper) == []


@pytest.mark.parametrize("paper", PAPER)
def test_on_the_printed_summary_every_reference_has_an_address(chromium, site_server, paper):
    pdf = print_pdf(chromium, site_server.url + "/botox-jaw-pain/print/summary/", paper)
    text = pdf_text(pdf.pages[0])
    found = references(chromium)
    assert found
    for words in found:
        # In the text: the page's name and where to find its address; in the list: the address.
        assert re.search(re.escape(words) + r'"? \(see "In the guide" below\)', text), words
        assert re.search(re.escape(words) + r": guide\.example\.org/botox-", text), words  # the rest may wrap


def test_the_notes_lines_print_with_default_settings(chromium, site_server):
    """Borders, which browsers print by default; never a background image, which they leave out."""
    emulate(chromium, "print")
    chromium.get(site_server.url + "/botox-jaw-pain/print/")
    lines = chromium.execute_script(
        "return [...document.querySelectorAll('.notes-box__line')].map((el) => getComputedStyle(el).borderBottomStyle)"
    )
    assert lines.count("solid") >= 3
    background = chromium.execute_script(
        "return getComputedStyle(document.querySelector('.notes-box')).backgroundImage"
    )
    assert background == "none"


# --- Listen where the device cannot speak ---------------------------------------------------


def listen_status(driver, url, mute):
    added = driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": mute})
    try:
        driver.get(url)
        button = driver.find_element("css selector", ".listen button")
        assert button.text == "Listen to this page"
        button.send_keys(Keys.ENTER)
        status = driver.find_element("css selector", ".listen [role=status]")
        return status.text if status.is_displayed() else ""
    finally:
        driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": added["identifier"]})


@pytest.mark.parametrize(
    "mute",
    [
        "delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;",
        "window.speechSynthesis.getVoices = () => [];",
    ],
    ids=["no speech synthesis", "no voices"],
)
def test_listen_says_when_this_device_cannot_read_aloud(chromium, site_server, mute):
    text = listen_status(chromium, site_server.url + "/botox-jaw-pain/benefits/", mute)
    assert text == "Reading aloud is not available on this device."


def test_the_listen_button_keeps_its_width(chromium, site_server):
    from tests.site.test_phone_page import SPY

    set_viewport(chromium, 390, 844)
    chromium.get(site_server.url + "/botox-jaw-pain/benefits/")
    chromium.execute_script(SPY)
    button = chromium.find_element("css selector", ".listen button")
    sizes = []
    for label in ("Listen to this page", "Pause", "Resume"):
        assert button.text == label
        sizes.append((button.rect["width"], button.rect["height"]))
        button.send_keys(Keys.ENTER)
    assert len(set(sizes)) == 1, sizes
    assert sizes[0][1] < 60, "one line of words"


# --- The checks notice a page broken on purpose ---------------------------------------------


def test_the_skip_link_check_catches_a_focus_style_that_paints_main(chromium, site_server):
    emulate(chromium, prefers_color_scheme="dark")
    breakage = add_style("main:focus-visible { background: #ffdd00; color: #0b0c0c; }")
    problems = skip_link_problems(chromium, site_server.url + URGENT_PAGE, "side effects", breakage)
    assert any("main turns" in problem for problem in problems), problems


def test_the_first_screen_check_catches_an_open_contents_list(chromium, site_server):
    breakage = "document.querySelector('.guide-contents details').open = true;"
    problems = first_screen_problems(chromium, site_server.url + OVERVIEW, "overview", [(320, 640)], breakage)
    assert any("is not on the first screen" in problem for problem in problems), problems
    breakage = add_style(".page-header__guide { font-size: 3rem; }")
    problems = first_screen_problems(chromium, site_server.url + OVERVIEW, "overview", [(390, 844)], breakage)
    assert any("guide's name takes 2 lines" in problem for problem in problems), problems


def test_the_first_screen_check_catches_after_a_resize_what_shows_only_at_the_smaller_size(chromium, site_server):
    # With a transition: the check must see the page as loaded at 320 px, not the resize's first frame.
    breakage = add_style(
        ".page-header { transition: margin-top 3s; } @media (max-width: 22em) { .page-header { margin-top: 800px; } }"
    )
    problems = first_screen_problems(
        chromium, site_server.url + OVERVIEW, "overview", [(390, 844), (320, 640)], breakage
    )
    assert any("at 320x640" in problem and "not on the first screen" in problem for problem in problems), problems


def test_the_tap_target_check_catches_small_footer_links(chromium, site_server):
    breakage = add_style(".site-footer a { display: inline; padding: 0; min-height: 0; }")
    problems = tap_target_problems(chromium, site_server.url + OVERVIEW, "overview", breakage)
    assert any("too close to" in problem for problem in problems), problems


def test_the_edge_check_catches_a_dark_header_on_a_dark_page(chromium, site_server):
    breakage = add_style(".site-header { background: #0d2c3b; } .guide-contents { border-left-color: #2a2f35; }")
    problems = edge_problems(chromium, site_server.url + OVERVIEW, "overview", [("dark", 1280)], breakage)
    assert len(problems) == 3, problems


def test_the_where_check_catches_missing_breadcrumbs_and_position(chromium, site_server):
    breakage = (
        "document.querySelector('.breadcrumbs').remove(); document.querySelector('.page-header__position').remove();"
    )
    problems = where_problems(chromium, site_server.url + OVERVIEW, "overview", 1, [1280], breakage)
    assert len(problems) == 2, problems


def test_the_paper_check_catches_a_handout_without_its_paper_stylesheet(chromium, site_server):
    chromium.get(site_server.url + "/botox-jaw-pain/print/")
    chromium.execute_script("document.querySelector('link[media=print]').remove()")
    found = references(chromium)
    from pypdf import PdfReader  # here: every test run collects this module, few print

    options = PrintOptions()
    options.page_width, options.page_height = PAPER["A4"]
    options.background = False
    pdf = PdfReader(io.BytesIO(base64.b64decode(chromium.print_page(options))))
    problems = paper_problems(pdf, found, "A4")
    assert any("no 'Page 1 of" in problem for problem in problems), problems
    assert any("does not say where to look" in problem for problem in problems), problems
