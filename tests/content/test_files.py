"""Finding and reading content files (articles/content/files.py): what is read, what is refused, and the words.

Quick tests of the reader and the folder scan on their own; test_loading.py loads whole folders.
"""

import os

import pytest

from articles.content.files import read_bounded, scan
from articles.content.problems import ContentError


def refusal(path, limit=None):
    with pytest.raises(ContentError) as refused:
        read_bounded(path, limit)
    return [f"{problem.message}; {problem.hint}" for problem in refused.value.problems]


def test_a_file_of_exactly_the_limit_is_read_and_one_byte_more_is_refused(tmp_path):
    page = tmp_path / "page.md"
    page.write_bytes(b"x" * 2048)
    assert read_bounded(page, limit=2048) == "x" * 2048
    assert refusal(page, limit=2047) == [
        "is larger than 1 KB; split it into shorter pages; a page is a few hundred words"
    ]


def test_the_limit_comes_from_the_settings_unless_given(tmp_path, settings):
    page = tmp_path / "page.md"
    page.write_bytes(b"x" * 3000)
    settings.CONTENT_MAX_BYTES = 2048
    assert refusal(page) == ["is larger than 2 KB; split it into shorter pages; a page is a few hundred words"]
    settings.CONTENT_MAX_BYTES = 3000
    assert read_bounded(page) == "x" * 3000


def test_a_link_a_fifo_and_a_file_not_in_utf8_are_refused_by_name(tmp_path):
    target = tmp_path / "real.md"
    target.write_text("text")
    (tmp_path / "link.md").symlink_to(target)
    os.mkfifo(tmp_path / "fifo.md")
    (tmp_path / "latin.md").write_bytes("caf\xe9".encode("latin-1"))
    hint = "content files must be ordinary files saved in the content folder"
    assert refusal(tmp_path / "link.md") == [f"is a link; {hint}"]
    assert refusal(tmp_path / "fifo.md") == [f"is not a plain file; {hint}"]
    assert refusal(tmp_path / "latin.md") == ["is not UTF-8 text (unexpected end of data); save the file as UTF-8"]


def test_a_file_that_is_not_there_is_not_found_not_a_content_problem(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_bounded(tmp_path / "gone.md")


def test_a_file_that_cannot_be_opened_says_why(tmp_path):
    (tmp_path / "page.md").write_text("")
    assert refusal(tmp_path / "page.md" / "x.md") == ["cannot be read (Not a directory); check the file's permissions"]


def messages(root):
    folders, site_file, problems = scan(root)
    return [f"{problem.path.relative_to(root)}: {problem.message}; {problem.hint}" for problem in problems]


def test_a_content_folder_that_cannot_be_read_names_the_setting(tmp_path):
    not_a_folder = tmp_path / "content"
    not_a_folder.write_text("")
    folders, site_file, problems = scan(not_a_folder)
    assert (folders, site_file) == ({}, None)
    assert [f"{problem.message}; {problem.hint}" for problem in problems] == [
        "cannot be read (Not a directory); check CONTENT_DIR"
    ]


def test_the_scan_finds_guides_the_site_file_and_each_stray_file_by_name(tmp_path):
    guide = tmp_path / "a-guide"
    guide.mkdir()
    for name in ("guide.yaml", "reviews.yaml", "index.md", "index.evidence.yaml", "notes.txt", ".hidden.md"):
        (guide / name).write_text("")
    (guide / "folder.md").mkdir()
    (guide / "linked.md").symlink_to(guide / "index.md")
    (tmp_path / "site.yaml").write_text("")
    (tmp_path / "README.txt").write_text("")
    (tmp_path / ".git").mkdir()
    (tmp_path / "stray.md").write_text("")
    (tmp_path / "linked-folder").symlink_to(guide)
    (tmp_path / "empty-folder").mkdir()
    folders, site_file, problems = scan(tmp_path)
    assert site_file == tmp_path / "site.yaml"
    assert {folder.name: sorted(path.name for path in files) for folder, files in folders.items()} == {
        "a-guide": ["guide.yaml", "index.md", "reviews.yaml"]
    }
    hint = "content files must be ordinary files saved in the content folder"
    assert messages(tmp_path) == [
        f"a-guide/folder.md: is not a plain file; {hint}",
        f"a-guide/linked.md: is a link; {hint}",
        "linked-folder: is not a guide folder; put each guide in a folder of its own",
        "stray.md: is not a guide folder; put each guide in a folder of its own",
    ]


@pytest.mark.parametrize(
    "name, hint",
    [
        ("print", "'print' is an address the site itself uses; choose another folder name"),
        ("Jaw Pain", "rename the folder to 'jaw-pain': lowercase words joined by hyphens (it is the guide's address)"),
    ],
)
def test_a_guide_folder_with_a_name_that_cannot_be_an_address_is_left_out_with_a_hint(tmp_path, name, hint):
    (tmp_path / name).mkdir()
    (tmp_path / name / "guide.yaml").write_text("")
    (tmp_path / name / "index.md").write_text("")
    folders, _, _ = scan(tmp_path)
    assert folders == {}
    assert messages(tmp_path) == [f"{name}: the folder name '{name}' cannot be a guide's address; {hint}"]


def test_a_folder_of_pages_without_guide_yaml_is_named_and_one_without_pages_is_not(tmp_path):
    (tmp_path / "copied").mkdir()
    (tmp_path / "copied" / "index.md").write_text("")
    (tmp_path / "pictures").mkdir()
    (tmp_path / "pictures" / "a.png").write_text("")
    assert messages(tmp_path) == [
        "copied: has pages but no guide.yaml, so it is not published; "
        "copy guide.yaml from another guide's folder and change its title and summary"
    ]
