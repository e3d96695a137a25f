"""Loading the content folder: order, drafts, and the problems found across files."""

from articles.render.library import load_library


def get_library():
    """What publishing loads: no drafts."""
    return load_library(drafts=False)


def load_fresh():
    """What the preview and the checks load: drafts too."""
    return load_library(drafts=True)


def test_pages_are_ordered_by_order_field(guide):
    guide.page("index", title="First", order=1)
    guide.page("zebra", title="Second", order=2)
    guide.page("apple", title="Third", order=3)
    pages = get_library().guide("test-guide").pages
    assert [page.title for page in pages] == ["First", "Second", "Third"]
    assert [page.slug for page in pages] == ["", "zebra", "apple"]


def test_a_file_that_never_loaded_is_not_served(guide):
    guide.page("index")
    guide.raw("broken", "no front matter")
    assert get_library().guide("test-guide").page("broken") is None


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


def test_drafts_are_hidden_unless_shown(guide):
    guide.page("index")
    guide.page("draft-page", order=2, draft="true")
    assert get_library().guide("test-guide").page("draft-page") is None
    assert load_fresh().guide("test-guide").page("draft-page").draft is True


def test_bad_guide_file_is_reported(guide):
    (guide.folder / "guide.yaml").write_text("title: Only a title\n")
    messages = [str(problem) for problem in load_fresh().problems]
    assert (
        "content/test-guide/guide.yaml: 'summary' is missing; add a line like: summary: One sentence saying what the guide covers."
        in messages
    )


def test_a_link_to_a_file_that_cannot_be_a_page_is_a_problem_not_a_crash(guide, client):
    guide.page("index")
    guide.page("other", order=2, body="[Bad](Other Page.md) [Upper](BENEFITS.md)\n")
    messages = [problem.message for problem in load_fresh().problems]
    assert "links to 'BENEFITS.md', which cannot be a page of the guide" in messages
    assert client.get("/test-guide/").status_code == 503  # refused: nothing was published
    assert any("BENEFITS.md" in problem.message for problem in client.refused)


def test_a_guide_folder_that_cannot_be_an_address_is_a_problem(settings, tmp_path):
    from tests.conftest import Guide

    settings.CONTENT_DIR = tmp_path
    settings.BASE_DIR = tmp_path
    Guide(tmp_path, slug="Botox Guide").page("index")
    messages = [str(problem) for problem in load_fresh().problems]
    assert (
        "Botox Guide: the folder name 'Botox Guide' cannot be a guide's address; "
        "rename the folder to 'botox-guide': lowercase words joined by hyphens (it is the guide's address)." in messages
    )


def test_an_unexpected_error_while_loading_keeps_the_site_up(guide, client, monkeypatch):
    import articles.render.pages

    guide.page("index")
    path = guide.page("other", order=2)
    assert client.get("/test-guide/other/").status_code == 200
    served = client.get("/test-guide/other/").content

    def broken(body, *args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(articles.render.pages, "render", broken)
    path.write_text(path.read_text() + "More.\n")
    response = client.get("/test-guide/other/")
    assert response.status_code == 200 and response.content == served  # the release before
    # other.md, the file that changed: an unchanged file is not loaded again (publish/cache.py LoadCache).
    assert "content/test-guide/other.md: could not be loaded (RuntimeError: a bug); tell a developer." in [
        str(problem) for problem in client.refused
    ]
