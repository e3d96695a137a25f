"""The share kit: the clean canonical address, ready-to-send messages, and QR codes that scan."""

import io
import re
from urllib.parse import unquote

import pytest
import zxingcpp
from PIL import Image

from articles.publish import qr
from tests.html_checks import Elements

PAGE = "/botox-jaw-pain/benefits/"
CANONICAL = "https://guide.example.org/botox-jaw-pain/benefits/"


def test_share_block_shows_the_canonical_address_from_site_url_not_the_host(client):
    text = client.get(PAGE, HTTP_HOST="localhost").text
    assert f'<span id="share-url">{CANONICAL}</span>' in text
    assert "localhost" not in text
    assert "utm_" not in text


def test_copy_button_is_progressive_enhancement(client):
    text = client.get(PAGE).text
    assert (
        '<button type="button" class="share__copy button-secondary" data-copy="share-url" hidden>Copy link</button>'
        in text
    )
    assert '<script src="/static/js/page.js" defer></script>' in text
    assert "<script>" not in text  # nothing inline: the CSP forbids it


def test_email_and_text_message_links_carry_the_address(client):
    links = [attrs["href"] for tag, attrs in Elements(client.get(PAGE).text).found if tag == "a" and "href" in attrs]
    email = next(link for link in links if link.startswith("mailto:"))
    sms = next(link for link in links if link.startswith("sms:"))
    assert "subject=Botox for jaw pain: Benefits" in unquote(email)
    assert CANONICAL in unquote(email)
    assert CANONICAL in unquote(sms)


def test_print_the_whole_guide_is_linked_from_every_page(client):
    assert 'href="/botox-jaw-pain/print/"' in client.get(PAGE).text


@pytest.mark.parametrize(
    "url, encoded",
    [
        ("/botox-jaw-pain/benefits/qr.png", CANONICAL),
        ("/botox-jaw-pain/qr.png", "https://guide.example.org/botox-jaw-pain/"),
    ],
)
def test_png_qr_code_decodes_to_the_canonical_address(client, url, encoded):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    (barcode,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)))
    assert barcode.text == encoded


def test_svg_qr_code_is_served_with_a_title(client):
    response = client.get("/botox-jaw-pain/benefits/qr.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert f"<title>QR code for {CANONICAL}</title>" in response.text


def test_qr_image_has_a_text_alternative_and_a_fixed_size(client):
    (qr,) = [attrs for tag, attrs in Elements(client.get(PAGE).text).found if tag == "img" and "qr" in attrs["src"]]
    assert qr["alt"] == f"QR code that opens this page: {CANONICAL}"
    assert qr["width"] == qr["height"] == "120"


def test_qr_for_unknown_page_is_a_404(client):
    assert client.get("/botox-jaw-pain/nope/qr.png").status_code == 404
    assert client.get("/botox-jaw-pain/benefits/qr.gif").status_code == 404


def _drawn(svg):
    """The SVG QR code as a picture: each `[Mm]x yhN` move of its one path is a line of N dark modules."""
    side = int(re.search(r'width="(\d+)"', svg)[1]) // 4  # modules: the path is drawn at scale(4)
    image = Image.new("L", (side, side), 255)
    x = y = 0.0
    for move, dx, dy, length in re.findall(r"([Mm])(-?[\d.]+) (-?[\d.]+)h(\d+)", re.search(r' d="([^"]+)"', svg)[1]):
        x, y = (float(dx), float(dy)) if move == "M" else (x + float(dx), y + float(dy))
        for column in range(int(length)):
            image.putpixel((int(x) + column, int(y)), 0)
        x += int(length)
    return image.resize((side * 8, side * 8), Image.Resampling.NEAREST)


@pytest.mark.parametrize(
    "url, encoded",
    [
        ("/botox-jaw-pain/benefits/qr.svg", CANONICAL),
        ("/botox-jaw-pain/qr.svg", "https://guide.example.org/botox-jaw-pain/"),
    ],
)
def test_svg_qr_code_decodes_to_the_canonical_address(client, url, encoded):
    (barcode,) = zxingcpp.read_barcodes(_drawn(client.get(url).text))
    assert barcode.text == encoded


def test_both_pictures_of_a_long_address_with_odd_characters_scan_to_it():
    """Straight from qr.py, beyond the published site's short addresses: a longer code, and a
    title that must stay text in the SVG."""
    url = "https://guide.example.org/a&b<c>/" + "x" * 120
    svg = qr.qr_code(url, "svg").decode()
    assert "<title>QR code for https://guide.example.org/a&amp;b&lt;c&gt;/xxx" in svg
    (from_svg,) = zxingcpp.read_barcodes(_drawn(svg))
    (from_png,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.qr_code(url, "png"))))
    assert from_svg.text == from_png.text == url


def test_the_png_is_the_svgs_picture_ten_pixels_a_module_in_black_and_white():
    """The PNG (written by qr.py, not Pillow) shows the SVG's modules, each a 10 x 10 block, with the white quiet zone."""
    for url in (CANONICAL, "https://guide.example.org/a&b<c>/" + "x" * 120):
        svg = _drawn(qr.qr_code(url, "svg").decode())
        modules = svg.width // 8  # _drawn draws 8 pixels a module
        png = Image.open(io.BytesIO(qr.qr_code(url, "png")))
        assert png.mode == "1" and png.size == (modules * 10, modules * 10)
        blocks = [[png.getpixel((x * 10 + 5, y * 10 + 5)) for x in range(modules)] for y in range(modules)]
        assert blocks == [[svg.getpixel((x * 8 + 4, y * 8 + 4)) for x in range(modules)] for y in range(modules)]
        assert png.crop((0, 0, png.width, 40)).getextrema() == (255, 255)  # the quiet zone is white
        assert png.getextrema() == (0, 255)
