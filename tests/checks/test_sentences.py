"""A page's sentences: the quick reading of nh3's HTML finds exactly what HTMLParser finds."""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from articles.checks import sentences as reading
from articles.checks.sentences import sentences
from tests import examples
from tests.site_pages import real_library


def read_by_htmlparser(html):
    """sentences() as it was before its quick reading: HTMLParser for every page."""
    parser = reading._Blocks()
    parser.feed(html)
    parser.close()
    parser.flush()
    return [sentence for block in parser.blocks for sentence in reading._SENTENCE_END.split(block) if sentence]


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


@settings(max_examples=examples(500), deadline=None, derandomize=True)
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
        assert reading._read_simple(reading._Blocks(), html)
        assert sentences(html) == read_by_htmlparser(html)
