"""The size of a picture of this site, so that a page can reserve its space before it loads."""

import re
import struct

from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation

STATIC_PREFIX = "/static/"
_SVG_SIZE = re.compile(rb'<svg\b[^>]*?\bwidth="(\d+)"[^>]*?\bheight="(\d+)"', re.DOTALL)


def image_size(src):
    """(width, height) of a static image at `src` (/static/...), or None when it cannot be told."""
    if not src.startswith(STATIC_PREFIX):
        return None
    try:
        path = finders.find(src.removeprefix(STATIC_PREFIX))
    except SuspiciousFileOperation:
        return None
    if not path:
        return None
    with open(path, "rb") as file:
        head = file.read(4096)
    if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
        return struct.unpack(">II", head[16:24])
    if match := _SVG_SIZE.search(head):
        return int(match[1]), int(match[2])
    return None
