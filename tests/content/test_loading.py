"""Bounded loading: no content file can stall, crash or exhaust whoever reads it.

Each hostile file is refused with a message naming it, in a few seconds.
"""

import os
import time

import pytest

from articles.render.library import load_library

FRONT = "---\ntitle: A page\nsummary: About it.\norder: 2\nnext_review_due: 2027-01-01\n---\n"


def problems_for(guide, name):
    started = time.monotonic()
    library = load_library(drafts=True)
    elapsed = time.monotonic() - started
    return [str(problem) for problem in library.problems if name in str(problem.path)], elapsed, library


@pytest.fixture
def quick(settings):
    settings.CONTENT_RENDER_SECONDS = 1


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("[" * 12_000, id="12000-brackets"),
        pytest.param("![" * 10_000, id="10000-image-brackets"),
    ],
)
def test_a_file_that_renders_too_slowly_is_stopped_and_named(guide, quick, body):
    guide.page("index")
    guide.raw("slow", FRONT + body + "\n")
    messages, elapsed, library = problems_for(guide, "slow.md")
    assert messages == [
        "content/test-guide/slow.md: took more than 1 seconds to read, so it was stopped; "
        "look for long runs of [ or ! characters, or lists nested very deep, and remove them."
    ]
    assert elapsed < 5
    assert library.guide("test-guide").page("") is not None, "the other pages still load"


def test_a_list_nested_a_thousand_deep_is_refused(guide, quick):
    guide.page("index")
    guide.raw("deep", FRONT + "".join("    " * level + "- item\n" for level in range(1000)))
    messages, elapsed, _ = problems_for(guide, "deep.md")
    assert len(messages) == 1 and messages[0].startswith("content/test-guide/deep.md: ")
    assert elapsed < 5


def test_a_huge_file_is_refused_without_reading_it_all(guide):
    guide.page("index")
    with open(guide.folder / "huge.md", "w") as file:
        file.write(FRONT)
        file.write("word " * 10_000_000)  # 50 MB
    messages, elapsed, _ = problems_for(guide, "huge.md")
    assert messages == [
        "content/test-guide/huge.md: is larger than 256 KB; split it into shorter pages; a page is a few hundred words."
    ]
    assert elapsed < 5


def test_a_symlink_loop_is_refused(guide):
    guide.page("index")
    os.symlink("loop.md", guide.folder / "loop.md")
    messages, _, _ = problems_for(guide, "loop.md")
    assert messages == [
        "content/test-guide/loop.md: is a link; content files must be ordinary files saved in the content folder."
    ]


def test_a_folder_symlink_loop_is_refused(guide):
    guide.page("index")
    os.symlink(guide.root, guide.root / "again")
    messages, _, library = problems_for(guide, "again")
    assert messages == ["content/again: is not a guide folder; put each guide in a folder of its own."]
    assert library.guide("test-guide")


def test_a_fifo_is_refused_without_blocking(guide):
    guide.page("index")
    os.mkfifo(guide.folder / "x.md")
    messages, elapsed, _ = problems_for(guide, "x.md")
    assert messages == [
        "content/test-guide/x.md: is not a plain file; content files must be ordinary files saved in the content folder."
    ]
    assert elapsed < 5


def test_a_symlink_to_dev_zero_is_refused(guide):
    guide.page("index")
    os.symlink("/dev/zero", guide.folder / "zero.md")
    messages, elapsed, _ = problems_for(guide, "zero.md")
    assert messages == [
        "content/test-guide/zero.md: is a link; content files must be ordinary files saved in the content folder."
    ]


def test_a_file_swapped_for_a_link_after_the_scan_is_still_refused(guide):
    """The check is made again when the file is opened (O_NOFOLLOW), not only when the folder is listed."""
    from articles.content.files import read_bounded
    from articles.content.problems import ContentError

    os.symlink("/etc/passwd", guide.folder / "sneaky.md")
    with pytest.raises(ContentError, match="is a link"):
        read_bounded(guide.folder / "sneaky.md")


def test_a_folder_with_pages_but_no_guide_yaml_gets_one_message(guide):
    guide.page("index")
    other = guide.root / "second-guide"
    other.mkdir()
    (other / "index.md").write_text(FRONT)
    messages, _, _ = problems_for(guide, "second-guide")
    assert messages == [
        "content/second-guide: has pages but no guide.yaml, so it is not published; "
        "copy guide.yaml from another guide's folder and change its title and summary."
    ]


@pytest.mark.parametrize("name", ["print", "qr", "404", "static", "privacy"])
def test_reserved_names_cannot_be_guides_pages_or_former_pages(guide, name):
    from tests.conftest import Guide

    guide.page("index", former_slugs=f'["{name}"]')
    guide.page(name, order=2)
    Guide(guide.root, slug=name).page("index")
    messages = [str(problem) for problem in load_library(drafts=True).problems]
    assert any(f"the former address '{name}' is used by the site itself" in message for message in messages)
    assert any(f"the file name '{name}.md' cannot be a page address" in message for message in messages)
    assert any(f"the folder name '{name}' cannot be a guide's address" in message for message in messages)
