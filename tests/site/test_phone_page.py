"""The guide on a phone, in a real browser: the guide's title first and biggest, the next step close,
the share block folded away, "Listen to this page" and the handouts' Print button."""

import pytest
from selenium.webdriver.common.keys import Keys

from tests.browser import reset, set_viewport, start_chromium
from tests.site_pages import GUIDE_PAGES

pytestmark = pytest.mark.browser


@pytest.fixture
def phone(browser):
    reset(browser)
    set_viewport(browser, 390, 844)
    yield browser
    reset(browser)


@pytest.fixture(scope="module")
def without_javascript():
    driver = start_chromium(javascript=False)
    yield driver
    driver.quit()


@pytest.mark.parametrize("path", GUIDE_PAGES)
def test_the_guides_title_is_the_first_and_biggest_words(phone, site_server, path):
    phone.get(site_server.url + path)
    found = phone.execute_script("""
        const main = document.querySelector('main');
        const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT,
            {acceptNode: (n) => n.textContent.trim() && n.parentElement.getBoundingClientRect().width ? 1 : 3});
        const first = walker.nextNode().parentElement;
        const sizes = [...main.querySelectorAll('*')].filter((el) => el.getBoundingClientRect().width)
            .map((el) => parseFloat(getComputedStyle(el).fontSize));
        return {first: first.textContent.trim(), size: parseFloat(getComputedStyle(first).fontSize), biggest: Math.max(...sizes)};
    """)
    assert found["first"] == "Botox for jaw pain"
    assert found["size"] == found["biggest"]


@pytest.mark.parametrize("path", list(GUIDE_PAGES)[:-1])
def test_the_call_to_action_starts_within_two_screens_of_the_end_of_the_text(phone, site_server, path):
    phone.get(site_server.url + path)
    gap = phone.execute_script("""
        const text = document.getElementById('page-text').getBoundingClientRect().bottom;
        const consult = document.querySelector('.consult').getBoundingClientRect().top;
        return (consult - text) / window.innerHeight;
    """)
    assert 0 < gap <= 2, f"{path}: the call to action starts {gap:.2f} screen heights after the text"
    # The call to action ends the page's text; only "Was this page helpful?" comes after it (issue 21).
    last = phone.execute_script("""
        const children = [...document.querySelector('main .page-body').children];
        return children.slice(-2).map((element) => element.className);
    """)
    assert last == ["consult", "feedback"], "the call to action, then the feedback form, end the page"


def test_the_share_block_is_folded_and_the_qr_code_hidden_on_a_phone(phone, site_server):
    phone.get(site_server.url + "/botox-jaw-pain/benefits/")
    share = phone.find_element("css selector", "details.share")
    assert share.get_attribute("open") is None
    assert not phone.find_element("css selector", "#share-url").is_displayed()
    assert not phone.find_element("css selector", ".page-qr img").is_displayed()
    share.find_element("css selector", "summary").send_keys(Keys.ENTER)
    assert phone.find_element("css selector", "#share-url").is_displayed()


def test_the_qr_code_shows_on_a_wide_screen(browser, site_server):
    reset(browser)
    set_viewport(browser, 1280, 900)
    browser.get(site_server.url + "/botox-jaw-pain/benefits/")
    assert browser.find_element("css selector", ".page-qr img").is_displayed()
    reset(browser)


def test_section_links_show_only_on_hover_or_focus_and_an_unseen_one_takes_no_tap(phone, site_server):
    """On a phone, a tap makes the heading :hover before it lands: there, hover must not show the link."""
    phone.get(site_server.url + "/botox-jaw-pain/benefits/")
    link = phone.find_element("css selector", ".section-link")
    assert phone.execute_script("return matchMedia('(hover: none)').matches"), "this browser points like a phone"
    # The heading as a tap leaves it: hovered.
    phone.execute_cdp_cmd("DOM.enable", {})
    phone.execute_cdp_cmd("CSS.enable", {})
    root = phone.execute_cdp_cmd("DOM.getDocument", {})["root"]["nodeId"]
    heading = phone.execute_cdp_cmd("DOM.querySelector", {"nodeId": root, "selector": ".section-heading"})["nodeId"]
    phone.execute_cdp_cmd("CSS.forcePseudoState", {"nodeId": heading, "forcedPseudoClasses": ["hover"]})
    try:
        seen = (link.value_of_css_property("opacity"), link.value_of_css_property("pointer-events"))
    finally:
        phone.execute_cdp_cmd("CSS.forcePseudoState", {"nodeId": heading, "forcedPseudoClasses": []})
    assert seen == ("0", "none"), "a tap on the heading would show the link, and take the tap"
    phone.execute_script("arguments[0].focus()", link)
    phone.find_element("tag name", "body").send_keys(Keys.SHIFT)  # keyboard modality, so :focus-visible applies
    phone.execute_script("arguments[0].focus()", link)
    assert link.value_of_css_property("opacity") == "1"
    assert link.value_of_css_property("pointer-events") == "auto"


SPY = """
window.__spoken = [];
window.speechSynthesis.getVoices = () => [{name: 'A voice', lang: 'en-GB'}];
window.speechSynthesis.speak = (utterance) => window.__spoken.push(utterance.text);
window.speechSynthesis.pause = () => window.__spoken.push('(paused)');
window.speechSynthesis.resume = () => window.__spoken.push('(resumed)');
window.speechSynthesis.cancel = () => window.__spoken.push('(stopped)');
"""


def test_listen_reads_the_pages_text_aloud_and_can_pause_and_stop(phone, site_server):
    phone.get(site_server.url + "/botox-jaw-pain/benefits/")
    phone.execute_script(SPY)
    listen = phone.find_element("css selector", ".listen button")
    stop = phone.find_elements("css selector", ".listen button")[1]
    assert listen.text == "Listen to this page" and not stop.is_displayed()
    listen.send_keys(Keys.ENTER)  # works with the keyboard
    spoken = phone.execute_script("return window.__spoken")
    assert spoken[-1].startswith("Botox for jaw pain: Benefits. ")
    assert "What research shows" in spoken[-1]  # a heading of the page is read too
    assert "Link to the section" not in spoken[-1] and "#" not in spoken[-1]
    assert listen.text == "Pause" and stop.is_displayed()
    listen.send_keys(Keys.ENTER)
    assert listen.text == "Resume"
    listen.send_keys(Keys.ENTER)
    stop.send_keys(Keys.ENTER)
    assert phone.execute_script("return window.__spoken")[-3:] == ["(paused)", "(resumed)", "(stopped)"]
    assert listen.text == "Listen to this page" and not stop.is_displayed()


def test_no_listen_or_print_button_without_javascript(without_javascript, site_server):
    without_javascript.get(site_server.url + "/botox-jaw-pain/benefits/")
    assert without_javascript.find_elements("css selector", ".listen") == []
    without_javascript.get(site_server.url + "/botox-jaw-pain/print/")
    assert without_javascript.find_elements("css selector", ".handout-tools button") == []
    assert (
        without_javascript.find_element("link text", "Back to the guide")
        .get_attribute("href")
        .endswith("/botox-jaw-pain/")
    )


@pytest.mark.parametrize("path", ["/botox-jaw-pain/print/", "/botox-jaw-pain/print/summary/"])
def test_the_handouts_have_a_print_button_and_a_way_back(phone, site_server, path):
    phone.get(site_server.url + path)
    phone.execute_script("window.__printed = 0; window.print = () => { window.__printed += 1; };")
    phone.find_element("css selector", ".handout-tools button").click()
    assert phone.execute_script("return window.__printed") == 1
    assert phone.find_element("link text", "Back to the guide").is_displayed()
