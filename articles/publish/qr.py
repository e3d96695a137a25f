"""QR codes for pages, made on the server with zxing-cpp (no third-party service)."""

import functools
import itertools
import re
import struct
import zlib
from xml.sax.saxutils import escape

import zxingcpp

KINDS = {"svg": "image/svg+xml", "png": "image/png"}
BORDER = 4  # the quiet zone scanners need, in modules
PNG_SCALE = 10  # pixels a module: sharp when a letter or poster enlarges it
PNG_COMPRESSION = 3  # zlib level: 0.2 ms faster a code than 6, for 280 bytes more (0.9 KB)
SVG_SCALE = 4  # user units a module
_DARK_AS_ONE = bytes([1]) + bytes(255)  # zxing-cpp's 0 (dark) -> 1, 255 (light) -> 0
_LIGHT_AS_ONE = bytes.maketrans(bytes([0, 255]), b"01")  # the same modules as the characters of a row's bits
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
    return _png(side, modules)


def _png(side, modules):
    """A black-and-white PNG of the code, PNG_SCALE pixels a module, with its quiet zone.

    Written here, not by Pillow: Pillow filters each row (it has no setting to stop it),
    which the PNG standard advises against below 8 bits a pixel. Stored as they are, the
    rows make the same picture in 0.3 to 0.45 ms a code instead of 1 to 1.2 ms, and a file
    of 0.9 KB instead of 1 KB. A set bit is white, as in any 1-bit greyscale PNG.
    """
    pixels = (side + 2 * BORDER) * PNG_SCALE
    width = (pixels + 7) // 8  # bytes a row
    padding = "1" * (width * 8 - pixels)  # what fills out a row's last byte
    quiet = "1" * BORDER * PNG_SCALE
    white_row = b"\0" + b"\xff" * width  # \0: the row is not filtered
    rows = [white_row * (BORDER * PNG_SCALE)]
    for start in range(0, len(modules), side):
        bits = modules[start : start + side].translate(_LIGHT_AS_ONE).decode()
        bits = bits.replace("0", "d").replace("1", "1" * PNG_SCALE).replace("d", "0" * PNG_SCALE)
        row = b"\0" + int(quiet + bits + quiet + padding, 2).to_bytes(width, "big")
        rows.append(row * PNG_SCALE)
    rows.append(white_row * (BORDER * PNG_SCALE))
    header = struct.pack(">IIBBBBB", pixels, pixels, 1, 0, 0, 0, 0)  # 1 bit a pixel, greyscale, no interlace
    idat = zlib.compress(b"".join(rows), PNG_COMPRESSION)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def _svg(matrix, title):
    """The SVG of `matrix` (rows of modules, 1 dark) at scale 4, black, no background: one path,
    a horizontal line for each run of dark modules, each move relative to where the line before
    it ended (the compact form segno's writer used).
    """
    side = (len(matrix) + 2 * BORDER) * SVG_SCALE
    moves, end, row_before = [], 0, None  # where the last line ended (x), and its row
    for row_number, row in enumerate(matrix):
        runs = [(run.start() + BORDER, run.end() + BORDER) for run in _DARK_RUN.finditer(row)]
        if not runs:
            continue
        start, stop = runs[0]
        if row_before is None:  # a line of width 1 is drawn on its middle: the first row's is at .5
            moves.append(f"M{start} {row_number + BORDER + 0.5:g}h{stop - start}")
        else:
            moves.append(f"m{start - end} {row_number - row_before}h{stop - start}")
        moves += [f"m{start - before} 0h{stop - start}" for (_, before), (start, stop) in itertools.pairwise(runs)]
        end, row_before = runs[-1][1], row_number
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{side}" height="{side}" class="qr-code">'
        f"<title>{escape(title)}</title>"
        f'<path transform="scale({SVG_SCALE})" class="qrline" stroke="#000" d="{"".join(moves)}"/></svg>\n'
    ).encode()
