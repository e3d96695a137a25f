"""Small pages: what a first visit downloads stays within budget, and nothing shifts as it loads."""

import gzip

import pytest

from tests.html_checks import Elements
from tests.site_pages import GUIDE_PAGES, HTML_PAGES

HTML_BUDGET = 12 * 1024
FIRST_VISIT_BUDGET = 30 * 1024
MAX_REQUESTS = 5
# On top of the layout's requests, a page may show one picture of its own (a diagram
# from static/img/, written in its Markdown): it is counted in the byte budget. The
# whole-guide handout shows its pages' pictures: one for each page; the one-page summary two
# (the steps to take, beside the key messages, and the warning signs, beside the urgent box).
# The warning signs' picture in an emergency box is the same file on every page that has the box:
# fetched once, then cached; it is not counted as the page's own picture (its bytes still are).
MAX_CONTENT_IMAGES = 1
WARNING_SIGNS = "/static/img/warning-signs.svg"
WHOLE_GUIDE_HANDOUT = "/botox-jaw-pain/print/"
SUMMARY_HANDOUT = "/botox-jaw-pain/print/summary/"
CONTENT_IMAGE_PREFIX = "/static/img/"


def compressed_size(client, url):
    response = client.get(url)
    assert response.status_code in {200, 404}, url
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return len(gzip.compress(body, compresslevel=9))


def resources(html):
    """Everything the browser fetches for a page on a first visit."""
    found = []
    for tag, attrs in Elements(html).found:
        if tag == "link" and attrs.get("rel") in {"stylesheet", "icon", "preload", "modulepreload"}:
            found.append(attrs["href"])
        elif tag in {"script", "img"} and attrs.get("src"):
            found.append(attrs["src"])
    return found


@pytest.mark.parametrize("url", HTML_PAGES)
def test_first_visit_budget(client, url):
    html = client.get(url).text
    html_size = compressed_size(client, url)
    assert html_size <= HTML_BUDGET, f"{url}: HTML is {html_size} B compressed"
    assets = resources(html)
    total = html_size + sum(compressed_size(client, asset) for asset in assets)
    pictures = [
        attrs["src"]
        for tag, attrs in Elements(html).found
        if tag == "img" and attrs.get("src", "").startswith(CONTENT_IMAGE_PREFIX)
    ]
    # A stylesheet for paper only is fetched at the lowest priority and never delays the page:
    # its bytes count, its request does not.
    for_paper = [
        attrs["href"] for tag, attrs in Elements(html).found if tag == "link" and attrs.get("media") == "print"
    ]
    layout = [asset for asset in assets if asset not in pictures and asset not in for_paper]
    allowed = {WHOLE_GUIDE_HANDOUT: len(GUIDE_PAGES), SUMMARY_HANDOUT: 2}.get(url, MAX_CONTENT_IMAGES)
    own = set(pictures) - {WARNING_SIGNS} if url not in (WHOLE_GUIDE_HANDOUT, SUMMARY_HANDOUT) else set(pictures)
    assert len(own) <= allowed, f"{url}: {len(own)} pictures: {pictures}"
    assert 1 + len(layout) <= MAX_REQUESTS, f"{url}: {1 + len(layout)} requests: {layout}"
    assert total <= FIRST_VISIT_BUDGET, f"{url}: first visit is {total} B compressed"


@pytest.mark.parametrize("url", HTML_PAGES)
def test_nothing_render_blocking_but_the_stylesheet(client, url):
    found = Elements(client.get(url).text).found
    stylesheets = [
        attrs
        for tag, attrs in found
        if tag == "link" and attrs.get("rel") == "stylesheet" and attrs.get("media") != "print"
    ]
    assert len(stylesheets) == 1
    for tag, attrs in found:
        if tag == "script" and attrs.get("type") != "application/ld+json":
            assert "defer" in attrs or "async" in attrs, f"{url}: blocking script {attrs}"


def test_images_have_explicit_sizes_so_nothing_shifts(client):
    """Every picture on every page, in one test: most pages show only their QR code, some none."""
    checked = set()
    for url in HTML_PAGES:
        for tag, attrs in Elements(client.get(url).text).found:
            if tag == "img":
                assert attrs.get("width") and attrs.get("height"), f"{url}: {attrs}"
                checked.add((url, attrs["src"]))
    # What there is to check: each guide page's QR code, and the diagram, a picture of the content.
    assert {url for url, _ in checked} >= set(GUIDE_PAGES)
    assert any(src.startswith(CONTENT_IMAGE_PREFIX) for _, src in checked)


def test_no_web_fonts(client):
    css = client.get("/static/css/site.css").text
    assert "@font-face" not in css
