"""QR codes for pages, made on the server with segno (no third-party service)."""

import functools
import io

import segno

KINDS = {"svg": "image/svg+xml", "png": "image/png"}


@functools.lru_cache(maxsize=64)
def qr_code(url, kind):
    """The QR code for `url` as SVG or PNG bytes. Black on white, with the quiet zone scanners need."""
    code = segno.make(url, error="m")
    buffer = io.BytesIO()
    if kind == "svg":
        code.save(buffer, kind="svg", scale=4, border=4, xmldecl=False, title=f"QR code for {url}")
    else:
        code.save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()
