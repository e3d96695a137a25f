"""QR codes for pages, made on the server with zxing-cpp (no third-party service)."""

import functools
import io
import re
from xml.sax.saxutils import escape

import zxingcpp
from PIL import Image, ImageOps

KINDS = {"svg": "image/svg+xml", "png": "image/png"}
BORDER = 4  # the quiet zone scanners need, in modules
PNG_SCALE = 10  # pixels a module: sharp when a letter or poster enlarges it
PNG_COMPRESSION = 3  # zlib level: 0.3 ms faster a code than 6, for 160 bytes more (about 1 KB)
SVG_SCALE = 4  # user units a module
_DARK_AS_ONE = bytes([1]) + bytes(255)  # zxing-cpp's 0 (dark) -> 1, 255 (light) -> 0
_DARK_RUN = re.compile(rb"\x01+")


@functools.lru_cache(maxsize=64)
def _encoded(url):
    """(side in modules, the modules row after row: 0 dark, 255 light): one encoding per address,
    for its SVG and its PNG. zxing-cpp encodes in C++, and picks the mask that scanners read best,
    in 0.3 ms a code; segno, in Python, took 1 ms with the mask fixed."""
    code = zxingcpp.create_barcode(url, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = code.to_image(scale=1, add_quiet_zones=False)
    return image.shape[1], bytes(memoryview(image))


@functools.lru_cache(maxsize=64)
def qr_code(url, kind):
    """The QR code for `url` as SVG or PNG bytes. Black on white, with the quiet zone scanners need."""
    side, modules = _encoded(url)
    if kind == "svg":
        dark = modules.translate(_DARK_AS_ONE)
        return _svg([dark[start : start + side] for start in range(0, len(dark), side)], f"QR code for {url}")
    # Pillow, not a writer in Python: the same picture, drawn in C, six times faster.
    image = ImageOps.expand(Image.frombytes("L", (side, side), modules), border=BORDER, fill=255)
    pixels = (side + 2 * BORDER) * PNG_SCALE
    buffer = io.BytesIO()
    image.convert("1", dither=Image.Dither.NONE).resize((pixels, pixels), Image.Resampling.NEAREST).save(
        buffer, format="PNG", compress_level=PNG_COMPRESSION
    )
    return buffer.getvalue()


def _svg(matrix, title):
    """The SVG of `matrix` (rows of modules, 1 dark) at scale 4, black, no background: one path,
    a horizontal line for each run of dark modules, each move relative to where the line before
    it ended (the compact form segno's writer used).
    """
    side = (len(matrix) + 2 * BORDER) * SVG_SCALE
    moves, x, y = [], 0, 0
    for row_number, row in enumerate(matrix):
        row_y = row_number + BORDER + 0.5  # a line of width 1 is drawn on its middle
        for run in _DARK_RUN.finditer(bytes(row)):
            start = run.start() + BORDER
            dy = row_y - y
            moves.append(
                f"{'m' if moves else 'M'}{start - x} {int(dy) if dy == int(dy) else dy}h{run.end() - run.start()}"
            )
            x, y = start + run.end() - run.start(), row_y
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{side}" height="{side}" class="qr-code">'
        f"<title>{escape(title)}</title>"
        f'<path transform="scale({SVG_SCALE})" class="qrline" stroke="#000" d="{"".join(moves)}"/></svg>\n'
    ).encode()
