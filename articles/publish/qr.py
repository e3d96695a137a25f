"""QR codes for pages, made on the server with segno (no third-party service)."""

import functools
import io
import re
from xml.sax.saxutils import escape

import segno
from PIL import Image, ImageOps

KINDS = {"svg": "image/svg+xml", "png": "image/png"}
# Any of the eight masks makes a valid code that every scanner reads; trying all eight and
# keeping the best scoring one took three quarters of the time of a publish of a large library.
MASK = 0
BORDER = 4  # the quiet zone scanners need, in modules
PNG_SCALE = 10  # pixels a module: sharp when a letter or poster enlarges it
PNG_COMPRESSION = 3  # zlib level: 0.3 ms faster a code than 6, for 160 bytes more (about 1 KB)
_WHITE_ON_LIGHT = bytes([255, 0]) + bytes(254)
SVG_SCALE = 4  # user units a module
_DARK_RUN = re.compile(rb"\x01+")


@functools.lru_cache(maxsize=64)
def _encoded(url):
    """One encoding per address, shared by its SVG and its PNG."""
    return segno.make(url, error="m", mask=MASK)


@functools.lru_cache(maxsize=64)
def qr_code(url, kind):
    """The QR code for `url` as SVG or PNG bytes. Black on white, with the quiet zone scanners need."""
    code = _encoded(url)
    buffer = io.BytesIO()
    if kind == "svg":
        return _svg(code.matrix, f"QR code for {url}")
    # Pillow, not segno's PNG writer: the same picture, drawn in C, six times faster.
    width = len(code.matrix)
    modules = b"".join(code.matrix).translate(_WHITE_ON_LIGHT)  # 1 (dark) -> 0 (black), 0 -> 255 (white)
    image = ImageOps.expand(Image.frombytes("L", (width, width), modules), border=BORDER, fill=255)
    side = (width + 2 * BORDER) * PNG_SCALE
    image.convert("1", dither=Image.Dither.NONE).resize((side, side), Image.Resampling.NEAREST).save(
        buffer, format="PNG", compress_level=PNG_COMPRESSION
    )
    return buffer.getvalue()


def _svg(matrix, title):
    """The SVG that segno's own writer makes (scale 4, black, no background), written straight from
    the matrix: its general writer took twice as long (0.46 ms a code instead of 0.26 ms).

    One path: a horizontal line for each run of dark modules, each move relative to where the
    line before it ended.
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
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{side}" height="{side}" class="segno">'
        f"<title>{escape(title)}</title>"
        f'<path transform="scale({SVG_SCALE})" class="qrline" stroke="#000" d="{"".join(moves)}"/></svg>\n'
    ).encode()
