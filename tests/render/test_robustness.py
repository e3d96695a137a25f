"""Whatever an editor writes, loading it gives a page or a list of problems: never a crash."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.content.problems import ContentError
from articles.render.pages import load_page
from tests import examples
from tests.hostile_corpus import HOSTILE

REAL_PAGE = (Path(__file__).resolve().parents[2] / "content" / "botox-jaw-pain" / "side-effects.md").read_text()
FRAGMENTS = [
    "---", "\n", ": ", "- ", "[", "](", ")", "#", "## ", "!!! urgent ", "    ", "{#x}", "{: .a}", "&", "*", "<", ">",
    "|", "`", "\t", "\x00", "\ufeff", "\u200b", "title: ", "order: 1e99", "next_review_due: 0000-00-00", "sources:\n  - ",
    "former_slugs: [a, a]", "draft: maybe", "[x]: <>", "![](/static/../x)", "[](.md)", "[a](BAD.md#)", "https://[x]/",
    "? complex\n: key", "&a ", "*a", "!!python/object:os.system", *[body for _, body in HOSTILE],
]  # fmt: skip

edits = st.lists(
    st.tuples(st.integers(0, len(REAL_PAGE)), st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=5))),
    min_size=1,
    max_size=6,
)


@settings(
    max_examples=examples(300),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(edits)
def test_any_edit_of_a_page_loads_or_is_reported(guide, changes):
    text = REAL_PAGE
    for position, fragment in changes:
        text = text[:position] + fragment + text[position:]
    path = guide.folder / "page.md"
    path.write_text(text, encoding="utf-8", errors="replace")
    try:
        load_page(path)
    except ContentError as error:
        assert error.problems
        assert all(str(problem).startswith("content/test-guide/page.md") for problem in error.problems)
