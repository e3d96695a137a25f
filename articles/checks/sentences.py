"""A page's sentences as a patient reads them, from its rendered HTML.

Each block (paragraph, list item, heading, table cell) is a sentence of its own, as a reader
takes it: a list item without a full stop does not run into the next one. Text hidden from
readers (visually-hidden, aria-hidden) does not count. The evidence check and the reading
grades read pages this way; it is a module of its own so that publishing, which needs the
sentences, does not load the grades' dictionaries (a tenth of a second in every command).
"""

import re
from html import unescape
from html.parser import HTMLParser

BLOCKS = {"p", "li", "h2", "h3", "h4", "h5", "td", "th", "dt", "dd", "blockquote"}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


class _Blocks(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.current, self.hidden = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.flush()
        if self.hidden or "visually-hidden" in (dict(attrs).get("class") or "") or dict(attrs).get("aria-hidden"):
            self.hidden += 1

    def handle_endtag(self, tag):
        if self.hidden:
            self.hidden -= 1
        elif tag in BLOCKS:
            self.flush()

    def handle_data(self, data):
        if not self.hidden:
            self.current.append(data)

    def flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text if text[-1] in ".!?:" else text + ".")
        self.current = []


# The HTML that nh3 writes: text, and tags whose attributes are all double-quoted. Anything else
# (a comment, "/>", a stray "<", a tag whose content HTMLParser reads raw) goes to HTMLParser;
# for this HTML the events below are HTMLParser's (names lower-cased, text and values unescaped),
# as far as _Blocks reads them: the text, a class, whether aria-hidden is empty.
_SPACE = "[ \t\n\r\f]"
_NAME = "[a-zA-Z][-a-zA-Z0-9_:.]*"
_TOKEN = re.compile(
    rf'([^<]+)|<([a-zA-Z][a-zA-Z0-9]*)((?:{_SPACE}+{_NAME}(?:="[^"]*")?)*){_SPACE}*>|</([a-zA-Z][a-zA-Z0-9]*){_SPACE}*>'
)
_ATTRIBUTE = re.compile(rf'{_SPACE}+({_NAME})(?:="([^"]*)")?')
_RAW_CONTENT = {"plaintext", *HTMLParser.CDATA_CONTENT_ELEMENTS, *getattr(HTMLParser, "RCDATA_CONTENT_ELEMENTS", ())}


def sentences(html):
    parser = _Blocks()
    if not _read_simple(parser, html):
        parser = _Blocks()
        parser.feed(html)
        parser.close()
    parser.flush()
    return [sentence for block in parser.blocks for sentence in _SENTENCE_END.split(block) if sentence]


def _read_simple(parser, html):
    """Give `parser` HTMLParser's events for `html` (a fifth of its time: this runs for every page
    published); False, part-way, where the HTML is not of the simple kind."""
    end = 0
    for token in _TOKEN.finditer(html):
        if token.start() != end:
            return False
        end = token.end()
        text, start_tag, attributes, end_tag = token.groups()
        if text is not None:
            parser.handle_data(unescape(text))
        elif start_tag is not None:
            tag = start_tag.lower()
            if tag in _RAW_CONTENT:
                return False
            pairs = [
                (found.group(1).lower(), None if found.group(2) is None else unescape(found.group(2)))
                for found in _ATTRIBUTE.finditer(attributes)
            ]
            parser.handle_starttag(tag, pairs)
        else:
            parser.handle_endtag(end_tag.lower())
    return end == len(html)
