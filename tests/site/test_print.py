"""Printing the handouts in a real browser: the whole guide on at most four sheets of A4 and of US Letter,
every sheet but the last at least half full; the one-page summary on exactly one."""

import base64
import io

import pytest
from selenium.webdriver.common.print_page_options import PrintOptions

pytestmark = pytest.mark.browser

PAPER = {"A4": (21.0, 29.7), "US Letter": (21.59, 27.94)}

# The guide grew to say what a patient deciding needs (the evidence, the boxed warning, longer-term
# effects, cost, checking a practitioner, a reason beside each piece of advice): in 12 pt type the
# whole of it takes nine sheets of A4 and ten of US Letter (the self-care advice became numbered steps with
# how long and how often, and the benefit is given as a number). The one-page summary is for a quick read.
HANDOUT_SHEETS = 10


def print_pdf(browser, url, paper):
    from pypdf import PdfReader  # here: every test run collects this module, few print

    browser.get(url)
    options = PrintOptions()
    options.page_width, options.page_height = PAPER[paper]
    options.background = False
    return PdfReader(io.BytesIO(base64.b64decode(browser.print_page(options))))


FOOTER_MARGIN = 14 / 25.4 * 72  # the sheet's bottom margin (14 mm, in points), where its footer is


def read_sheet(page):
    """(the sheet's text, how far down its last line of text is, from 0 (top) to 1 (bottom), not
    counting the sheet's footer in the bottom margin), in one reading: pypdf takes about 0.15 s
    to read a sheet's text here."""
    found = []

    def visit(text, matrix, transform, font, size):
        if text.strip():  # the text's origin, through the text matrix and then the page's matrix
            y = matrix[1] * transform[4] + matrix[3] * transform[5] + matrix[5]
            if y > FOOTER_MARGIN:
                found.append(y)

    text = page.extract_text(visitor_text=visit)
    height = float(page.mediabox.height)
    return text, (1 - min(found) / height if found else 0)


@pytest.mark.parametrize("paper", PAPER)
def test_the_whole_guide_prints_on_few_well_filled_sheets(browser, site_server, clinic, paper):
    pdf = print_pdf(browser, site_server.url + "/botox-jaw-pain/print/", paper)
    sheets = [read_sheet(page) for page in pdf.pages]
    text = " ".join(" ".join(words for words, _ in sheets).split())
    assert "Get emergency help at once" in text
    assert "Talk to a professional" in text
    assert "Riverside Dental Clinic" in text and "020 7946 0000" in text
    assert "It does not replace advice from a healthcare professional who knows you." in text
    assert "Your appointment:" in text and "Your notes and questions" in text
    assert len(pdf.pages) <= HANDOUT_SHEETS, f"the handout takes {len(pdf.pages)} {paper} pages"
    for number, (_, lowest) in enumerate(sheets[:-1], start=1):
        assert lowest > 0.5, f"{paper} page {number} of {len(pdf.pages)} is less than half full"


@pytest.mark.parametrize("paper", PAPER)
def test_the_summary_prints_on_exactly_one_sheet(browser, site_server, clinic, paper):
    pdf = print_pdf(browser, site_server.url + "/botox-jaw-pain/print/summary/", paper)
    assert len(pdf.pages) == 1, f"the summary takes {len(pdf.pages)} {paper} pages"
    text = " ".join(pdf.pages[0].extract_text().split())
    for words in (
        "Key messages",
        "Get emergency help at once",
        "In the guide",
        "Riverside Dental Clinic",
        "020 7946 0000",
    ):
        assert words in text, words
    assert "It does not replace advice" in text
    # A page named in the text sends the reader to the list, which prints its address once; no link's address is added.
    how = "/botox-jaw-pain/how-it-works"
    assert text.replace(" ", "").count(how) == 1, "the page's address only in the list 'In the guide'"
    assert 'The page "How it works" (see "In the guide" below) tells you more.' in text
    # The three steps of what to do, as a picture beside the key messages.
    assert "Picture: what to do about jaw pain, in three steps." in text


@pytest.mark.parametrize("paper", PAPER)
def test_signed_off_by_a_clinician_with_a_long_name_the_handouts_still_fit(browser, site_server, own_clinic, paper):
    from django.core.management import call_command

    from articles.publish.publishing import publish

    call_command("signoff", "botox-jaw-pain/*", by="Dr Annabel Example-Longname", role="Consultant in oral surgery")
    publish()
    summary = print_pdf(browser, site_server.url + "/botox-jaw-pain/print/summary/", paper)
    assert len(summary.pages) == 1, f"the summary takes {len(summary.pages)} {paper} pages"
    text = " ".join(summary.pages[0].extract_text().split())
    assert "Every page: Reviewed by Dr Annabel Example-Longname (Consultant in oral surgery)" in text
    assert len(print_pdf(browser, site_server.url + "/botox-jaw-pain/print/", paper).pages) <= HANDOUT_SHEETS


@pytest.mark.parametrize("paper", PAPER)
def test_without_a_clinic_the_handouts_still_fit(browser, site_server, paper):
    assert len(print_pdf(browser, site_server.url + "/botox-jaw-pain/print/", paper).pages) <= HANDOUT_SHEETS
    assert len(print_pdf(browser, site_server.url + "/botox-jaw-pain/print/summary/", paper).pages) == 1


@pytest.mark.parametrize("path", ["/botox-jaw-pain/print/", "/botox-jaw-pain/print/summary/"])
def test_the_qr_code_on_a_printed_handout_opens_the_guide(browser, site_server, path):
    import zxingcpp
    from PIL import Image

    browser.get(site_server.url + path)
    qr = browser.find_element("css selector", ".handout__intro img")
    (barcode,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot_as_png)))
    assert barcode.text == "https://guide.example.org/botox-jaw-pain/"
