"""Printing the handout in a real browser: it fits on at most four sheets of A4 and of US Letter."""

import base64
import io

import pytest
from pypdf import PdfReader
from selenium.webdriver.common.print_page_options import PrintOptions

pytestmark = pytest.mark.browser

PAPER = {"A4": (21.0, 29.7), "US Letter": (21.59, 27.94)}


@pytest.mark.parametrize("paper", PAPER)
def test_handout_fits_on_at_most_four_pages(browser, site_server, paper):
    browser.get(site_server.url + "/botox-jaw-pain/print/")
    options = PrintOptions()
    options.page_width, options.page_height = PAPER[paper]
    options.background = False
    pdf = PdfReader(io.BytesIO(base64.b64decode(browser.print_page(options))))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Get emergency help at once" in text
    assert "Talk to a professional" in text
    assert len(pdf.pages) <= 4, f"the handout takes {len(pdf.pages)} {paper} pages"


def test_the_qr_code_on_the_printed_handout_opens_the_guide(browser, site_server):
    import zxingcpp
    from PIL import Image

    browser.get(site_server.url + "/botox-jaw-pain/print/")
    qr = browser.find_element("css selector", ".handout__intro img")
    (barcode,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot_as_png)))
    assert barcode.text == "https://guide.example.org/botox-jaw-pain/"
