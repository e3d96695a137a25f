"""Loading the content folder: order, reload on change, and keeping the last good version."""

import os
import time

from articles.content import get_library, load_fresh


def touch_later(path):
    """Make sure a rewrite is seen even on file systems with coarse timestamps."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_pages_are_ordered_by_order_field(guide):
    guide.page("index", title="First", order=1)
    guide.page("zebra", title="Second", order=2)
    guide.page("apple", title="Third", order=3)
    pages = get_library().guide("test-guide").pages
    assert [page.title for page in pages] == ["First", "Second", "Third"]
    assert [page.slug for page in pages] == ["", "zebra", "apple"]


def test_an_edit_shows_on_the_next_load(guide):
    path = guide.page("index", title="Before")
    assert get_library().guide("test-guide").page("").title == "Before"
    guide.page("index", title="After")
    touch_later(path)
    assert get_library().guide("test-guide").page("").title == "After"


def test_a_file_that_turns_bad_keeps_its_last_good_version(guide, caplog):
    path = guide.page("index", title="Good")
    get_library()
    guide.raw("index", "---\ntitle: [broken\n---\n")
    touch_later(path)
    library = get_library()
    assert library.guide("test-guide").page("").title == "Good"
    assert "the front matter is not valid YAML" in caplog.text
    assert "keeping its last good version" in caplog.text
    assert library.problems


def test_a_file_that_never_loaded_is_not_served(guide):
    guide.page("index")
    guide.raw("broken", "no front matter")
    assert get_library().guide("test-guide").page("broken") is None


def test_a_deleted_file_stops_being_served(guide, monkeypatch):
    import articles.content

    guide.page("index")
    path = guide.page("extra", order=2)
    assert get_library().guide("test-guide").page("extra")
    path.unlink()
    get_library()  # notices it missing
    later = time.time_ns() + articles.content.SETTLE_NS
    monkeypatch.setattr(articles.content.time, "time_ns", lambda: later)
    assert get_library().guide("test-guide").page("extra") is None


def test_unchanged_files_are_not_read_again(guide, monkeypatch):
    guide.page("index")
    first = get_library()
    import articles.content

    monkeypatch.setattr(articles.content, "load_page", lambda path: (_ for _ in ()).throw(AssertionError("re-read")))
    assert get_library() is first


def test_duplicate_order_is_a_problem(guide):
    guide.page("index", order=1)
    guide.page("other", order=1)
    messages = [str(problem) for problem in load_fresh().problems]
    assert "content/test-guide/other.md: 'order' 1 is also used by index.md; give each page its own number." in messages


def test_former_slug_that_clashes_with_a_page_is_a_problem(guide):
    guide.page("index")
    guide.page("other", order=2, former_slugs="[index-old, third]")
    guide.page("third", order=3)
    messages = [str(problem) for problem in load_fresh().problems]
    assert (
        "content/test-guide/other.md: the former address 'third' is in use by another page; "
        "remove it from 'former_slugs'." in messages
    )


def test_drafts_are_hidden_unless_shown(guide, settings):
    guide.page("index")
    guide.page("draft-page", order=2, draft="true")
    assert get_library().guide("test-guide").page("draft-page") is None
    settings.SHOW_DRAFTS = True
    assert get_library().guide("test-guide").page("draft-page").draft is True


def test_bad_guide_file_is_reported(guide):
    (guide.folder / "guide.yaml").write_text("title: Only a title\n")
    messages = [str(problem) for problem in load_fresh().problems]
    assert (
        "content/test-guide/guide.yaml: 'summary' is missing; add a line like: summary: One sentence saying what the guide covers."
        in messages
    )


def test_a_file_still_being_written_is_not_read_until_it_settles(guide, monkeypatch):
    import articles.content

    path = guide.page("index", title="Old")
    touch_later(path)
    get_library()
    guide.page("index", title="Half-writ")  # modified just now: may still be being written
    just_after = path.stat().st_mtime_ns + 1_000_000  # 1 ms later, however slow this machine is
    monkeypatch.setattr(articles.content.time, "time_ns", lambda: just_after)
    assert get_library().guide("test-guide").page("").title == "Old"
    monkeypatch.undo()
    touch_later(path)  # settled
    assert get_library().guide("test-guide").page("").title == "Half-writ"


def test_a_file_deleted_and_written_anew_is_never_missing(guide, monkeypatch):
    import articles.content

    path = guide.page("index")
    touch_later(path)
    assert get_library().guide("test-guide").page("")
    path.unlink()
    assert get_library().guide("test-guide").page(""), "gone the moment it was deleted"
    later = time.time_ns() + articles.content.SETTLE_NS
    monkeypatch.setattr(articles.content.time, "time_ns", lambda: later)
    assert get_library().guide("test-guide").page("") is None


def test_a_link_to_a_file_that_cannot_be_a_page_is_a_problem_not_a_crash(guide, client):
    guide.page("index")
    guide.page("other", order=2, body="[Bad](Other Page.md) [Upper](BENEFITS.md)\n")
    messages = [problem.message for problem in load_fresh().problems]
    assert "links to 'BENEFITS.md', which cannot be a page of the guide" in messages
    assert client.get("/test-guide/").status_code == 200


def test_a_guide_folder_that_cannot_be_an_address_is_a_problem(settings, tmp_path):
    from .conftest import Guide

    settings.CONTENT_DIR = tmp_path
    settings.BASE_DIR = tmp_path
    Guide(tmp_path, slug="Botox Guide").page("index")
    messages = [str(problem) for problem in load_fresh().problems]
    assert (
        "Botox Guide/guide.yaml: the folder name 'Botox Guide' cannot be a guide's address; "
        "name it in lowercase words joined by hyphens, e.g. botox-jaw-pain." in messages
    )


def test_an_unexpected_error_while_loading_keeps_the_site_up(guide, client, monkeypatch, caplog):
    import articles.content

    guide.page("index")
    path = guide.page("other", order=2)
    assert client.get("/test-guide/other/").status_code == 200

    def broken(body, *args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(articles.content, "render", broken)
    touch_later(path)
    assert client.get("/test-guide/other/").status_code == 200  # the last good version
    assert client.get("/test-guide/").status_code == 200
    assert "Could not load" in caplog.text
