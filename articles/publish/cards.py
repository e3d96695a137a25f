"""Link-preview pictures (1200 x 630 PNG), drawn at publish time: one for each guide, one for the home page.

What a chat app shows under a pasted link: the guide's own title and summary,
and who publishes it. Drawn with Pillow's built-in font, so that every server
draws the same bytes.
"""

import functools
import io

from PIL import Image, ImageColor, ImageDraw, ImageFont

SIZE = (1200, 630)
MARGIN = 80
BACKGROUND = "#0b4a63"  # the site header's colour
SOFT = 216  # of 255 on the way from the background to white: #d9e4e8, the softer lines
# zlib level 3: half the time of 6 (3.5 ms a card instead of 7: each guide has one), for a
# picture of 30 KB instead of 25, fetched by a chat app when a link is shared, never by a page.
COMPRESSION = 3
# Drawn in grey levels, then coloured by a palette running from the background to white: a
# palette picture is a third of the bytes to compress (and to send) of a full-colour one.
_PALETTE = [
    round(start + (255 - start) * level / 255) for level in range(256) for start in ImageColor.getrgb(BACKGROUND)
]


def _wrap(draw, text, font, width, lines):
    """At most `lines` lines of `text` that fit `width`; the last one ends in '…' when cut."""
    words, found = text[:300].split(), []  # a preview shows a few lines: never measure more
    words = [word[:60] for word in words]
    while words and len(found) < lines:
        line = words.pop(0)
        while words and draw.textlength(f"{line} {words[0]}", font=font) <= width:
            line += " " + words.pop(0)
        found.append(line)
    if words:
        last = found[-1]
        while last and draw.textlength(last + " …", font=font) > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        found[-1] = last + " …"
    return found


@functools.lru_cache(maxsize=16)
def share_card(title, description, publisher):
    """The PNG bytes of a preview picture (remembered: the editors' preview draws the same ones
    on every visit, and a publish whose render cache was cleared draws them again)."""
    image = Image.new("L", SIZE, 0)
    draw = ImageDraw.Draw(image)
    width = SIZE[0] - 2 * MARGIN
    y = MARGIN
    small, big, body = (ImageFont.load_default(size=size) for size in (36, 84, 40))
    draw.text((MARGIN, y), publisher, font=small, fill=SOFT)
    y += 80
    for line in _wrap(draw, title, big, width, 2):
        draw.text((MARGIN, y), line, font=big, fill=255)
        y += 100
    y += 20
    for line in _wrap(draw, description, body, width, 3):
        draw.text((MARGIN, y), line, font=body, fill=SOFT)
        y += 54
    buffer = io.BytesIO()
    image = image.convert("P")  # grey level n becomes palette entry n
    image.putpalette(_PALETTE)
    image.save(buffer, format="PNG", compress_level=COMPRESSION)
    return buffer.getvalue()
