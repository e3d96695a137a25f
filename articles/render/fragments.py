"""Parts of a rendered page (its key messages, its urgent callout), cut by element, not by text search.

The one-page summary reuses them. Elements are found with a real HTML parser
and cut whole, so a callout inside a list or a heading inside a callout never
leaves half an element behind.
"""

import functools
import re
from dataclasses import dataclass
from html.parser import HTMLParser

VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass(frozen=True)
class Element:
    tag: str
    classes: frozenset
    depth: int
    start: int  # offsets into the HTML: html[start:end] is the whole element
    end: int


class _Outline(HTMLParser):
    def __init__(self, html):
        super().__init__(convert_charrefs=False)
        self.line_starts = [0]
        for line in html.splitlines(keepends=True):
            self.line_starts.append(self.line_starts[-1] + len(line))
        self.open, self.elements = [], []
        self.feed(html)
        self.close()

    def position(self):
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        classes = frozenset((dict(attrs).get("class") or "").split())
        start = self.position()
        if tag in VOID:
            end = start + len(self.get_starttag_text())
            self.elements.append(Element(tag, classes, len(self.open), start, end))
        else:
            self.open.append((tag, classes, len(self.open), start))

    def handle_endtag(self, tag):
        end = self.position() + len(f"</{tag}>")
        while self.open:
            name, classes, depth, start = self.open.pop()
            if name == tag:
                self.elements.append(Element(name, classes, depth, start, end))
                break


@functools.lru_cache(maxsize=32)
def outline(html):
    """Every element of `html`, in document order (the summary asks several questions of each page)."""
    return tuple(sorted(_Outline(html).elements, key=lambda element: element.start))


def lead_section(html):
    """The page's first section without its heading: on the overview, the key messages."""
    blocks = [element for element in outline(html) if element.depth == 0]
    headings = [index for index, block in enumerate(blocks) if "section-heading" in block.classes]
    if not headings:
        return ""
    first = headings[0] + 1
    last = headings[1] if len(headings) > 1 else len(blocks)
    section = blocks[first:last]
    return html[section[0].start : section[-1].end] if section else ""


def urgent_callout(html):
    """The page's first "urgent" callout, whole, or ""."""
    if "callout--urgent" not in html:  # most pages have none: no need to parse them
        return ""
    found = next((element for element in outline(html) if "callout--urgent" in element.classes), None)
    return html[found.start : found.end] if found else ""


def section_list(html, section_id):
    """(the heading's words, its first list, whole) of the section whose heading has `section_id`, or None.

    The one-page summary prints the questions to ask from the page that has them.
    """
    if f'<h2 id="{section_id}">' not in html:
        return None
    blocks = [element for element in outline(html) if element.depth == 0]
    for index, block in enumerate(blocks):
        if "section-heading" not in block.classes:
            continue
        heading = re.match(r'<div class="section-heading"><h2 id="([^"]+)">(.*?)</h2>', html[block.start : block.end])
        if not heading or heading[1] != section_id:
            continue
        for following in blocks[index + 1 :]:
            if "section-heading" in following.classes:
                return None
            if following.tag in {"ul", "ol"}:
                return heading[2], html[following.start : following.end]
    return None


def section_picture(html, section_id):
    """The whole of the section whose heading has `section_id`, without its heading, if it shows a picture; or "".

    The one-page summary prints the overview's "what to do" steps picture, with its caption.
    """
    if f'<h2 id="{section_id}">' not in html:
        return ""
    blocks = [element for element in outline(html) if element.depth == 0]
    for index, block in enumerate(blocks):
        if "section-heading" not in block.classes or f'<h2 id="{section_id}">' not in html[block.start : block.end]:
            continue
        section = []
        for following in blocks[index + 1 :]:
            if "section-heading" in following.classes:
                break
            section.append(following)
        found = html[section[0].start : section[-1].end] if section else ""
        return found if "<img " in found else ""
    return ""


_PAGE_LINK = re.compile(r'(?P<link><a href="(?P<url>[^"#]*)(?:#[^"]*)?">.*?</a>)(?P<quote>"|&rdquo;|\u201d)?', re.S)


def with_page_references(html, listed, words):
    """Each link to an address in `listed` followed by `words` in brackets, e.g. '(see "In the guide" below)'.

    On paper a link goes nowhere: the words send the reader to the list that prints each page's
    address, so the text is not cluttered with addresses. They go after a closing quote mark, so
    the page's name stays whole.
    """

    def add(match):
        if match["url"] not in listed:
            return match[0]
        # The class keeps the print style from printing the link's own address after it.
        linked = match[0].replace("<a ", '<a class="has-printed-reference" ', 1)
        return f'{linked} <span class="printed-reference">({words})</span>'

    return _PAGE_LINK.sub(add, html)
