"""Publishing reuses what did not change: a page is rendered again only when something it is made from changed."""

import gzip
import os
import shutil

import brotli
import pytest

from articles.content.problems import ContentError
from articles.publish import site
from articles.publish.cache import FOLDER
from articles.publish.publishing import publish
from articles.publish.releases import releases_dir


def rendered_pages(monkeypatch):
    """The addresses of the guide pages rendered from now on."""
    seen = []
    real = site.guide_page

    def spy(library, guide, page, problems=()):
        seen.append(page.url)
        return real(library, guide, page, problems)

    monkeypatch.setattr(site, "guide_page", spy)
    return seen


def two_guides(guide):
    guide.page("index", body="First guide.\n")
    guide.page("second", order=2, body="More of the first guide.\n")
    other = type(guide)(guide.root, slug="other-guide")
    other.page("index", body="The other guide.\n")
    return other


def page_text(path):
    return (releases_dir() / "current" / "public" / path.strip("/") / "index.html").read_text()


def test_only_the_edited_guide_is_rendered_again(guide, monkeypatch):
    other = two_guides(guide)
    publish()
    seen = rendered_pages(monkeypatch)
    other.page("index", body="The other guide, edited.\n")
    publish()
    assert seen == ["/other-guide/"]
    assert "The other guide, edited." in page_text("/other-guide/")
    assert "More of the first guide." in page_text("/test-guide/second/")


def test_a_page_title_renders_its_whole_guide_again(guide, monkeypatch):
    """Every page of a guide lists the others' titles (contents, previous and next)."""
    two_guides(guide)
    publish()
    seen = rendered_pages(monkeypatch)
    guide.page("second", order=2, title="Renamed", body="More of the first guide.\n")
    publish()
    assert sorted(seen) == ["/test-guide/", "/test-guide/second/"]
    assert "Renamed" in page_text("/test-guide/")


def test_the_clinics_details_render_every_page_again(guide, monkeypatch):
    two_guides(guide)
    publish()
    seen = rendered_pages(monkeypatch)
    (guide.root / "site.yaml").write_text(
        "organisation: Riverside Dental Clinic\nphone: 020 7946 0000\nemergency_advice: Call 999.\n"
        "privacy_contact: privacy@riverside.example\n"
    )
    publish()
    assert len(seen) == 3
    assert "Riverside Dental Clinic" in page_text("/other-guide/")


def test_a_release_made_from_the_cache_is_the_release_made_without_it(guide):
    two_guides(guide)
    first = publish()
    guide.page("index", body="First guide, edited.\n")
    from_cache = publish()
    guide.page("index", body="First guide.\n")
    assert publish().release != first.release  # a new release (new time), the same content as the first
    shutil.rmtree(releases_dir() / FOLDER)
    guide.page("index", body="First guide, edited.\n")
    without = publish()
    assert without.release.split("-")[-1] == from_cache.release.split("-")[-1]  # the same digest of every file


def test_a_page_carried_through_many_publishes_keeps_its_compressed_copies(guide):
    """An unchanged page is linked from the cache with its gzip and brotli copies, publish after
    publish: each publish keeps in the cache only what it used, copies included."""
    other = two_guides(guide)
    pages = []
    for number in range(3):
        other.page("index", body=f"The other guide, edit {number}.\n")
        pages.append(releases_dir() / publish().release / "public" / "test-guide" / "second" / "index.html")
    first, _, page = pages
    assert page.stat().st_ino == first.stat().st_ino, "linked from the cache, not made again"
    for suffix, decompress in ((".gz", gzip.decompress), (".br", brotli.decompress)):
        assert decompress(page.with_name(page.name + suffix).read_bytes()) == page.read_bytes(), suffix


class Terminal(__import__("io").StringIO):
    def isatty(self):
        return True


def test_publish_counts_the_files_on_a_terminal_and_says_nothing_of_it_in_scripts(guide):
    from io import StringIO

    from django.core.management import call_command

    two_guides(guide)
    terminal = Terminal()
    call_command("publish", stdout=terminal)
    from articles.content import addresses
    from articles.render.library import load_library

    total = len(addresses.public_addresses(load_library(drafts=False)))
    assert f"\rMaking the pages: {total} of {total} files\n" in terminal.getvalue()
    guide.page("index", body="Edited.\n")
    script = StringIO()
    call_command("publish", stdout=script)
    assert "Making the pages" not in script.getvalue() and "Published release" in script.getvalue()


def test_where_files_cannot_be_hard_linked_the_cache_keeps_copies_and_still_serves_edits(guide, monkeypatch):
    """Some file systems have no hard links (or the cache is on another disk): files are copied instead."""
    import errno
    import os

    def no_links(source, target, **_):
        raise OSError(errno.EXDEV, "Invalid cross-device link", str(target))

    monkeypatch.setattr(os, "link", no_links)
    other = two_guides(guide)
    publish()
    seen = rendered_pages(monkeypatch)
    other.page("index", body="The other guide, edited.\n")
    publish()
    assert seen == ["/other-guide/"]  # the first guide's files came from the cache's copies
    assert "The other guide, edited." in page_text("/other-guide/")
    assert "More of the first guide." in page_text("/test-guide/second/")
    cached = releases_dir() / FOLDER / "files"
    assert all(path.stat().st_nlink == 1 for path in cached.rglob("*") if path.is_file())
    assert not list(cached.rglob("*.part"))


def test_an_edited_template_renders_every_page_again(guide, settings, tmp_path):
    """A deploy that changes a template reaches every page, though the content did not change."""
    two_guides(guide)
    templates = tmp_path / "templates"
    shutil.copytree(settings.TEMPLATES[0]["DIRS"][0], templates)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [templates]}]
    publish()
    base = templates / "base.html"
    base.write_text(base.read_text().replace("</main>", "<p>A sentence the deploy added.</p></main>", 1))
    settings.TEMPLATES = [{**settings.TEMPLATES[0]}]  # a new engine, as the restart after a deploy makes
    publish()
    assert "A sentence the deploy added." in page_text("/other-guide/")
    assert "A sentence the deploy added." in page_text("/test-guide/second/")


def test_a_template_copied_in_place_with_its_time_kept_renders_every_page_again(guide, settings, tmp_path):
    """`cp -p`, `rsync -a --inplace` or an unpacked archive replace a template in place (same file on
    disk), and a one-word fix keeps its size: its modification time is the copy's, here the old one."""
    two_guides(guide)
    templates = tmp_path / "templates"
    shutil.copytree(settings.TEMPLATES[0]["DIRS"][0], templates)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [templates]}]
    base = templates / "base.html"
    before = base.stat()
    publish()
    text = base.read_text()
    assert "</main>" in text
    with open(base, "r+") as file:  # the same file, the same size
        file.write(text.replace("</main>", "</MAIN>", 1))
    os.utime(base, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (base.stat().st_ino, base.stat().st_size) == (before.st_ino, before.st_size)
    settings.TEMPLATES = [{**settings.TEMPLATES[0]}]  # a new engine, as the restart after a deploy makes
    publish()
    assert "</MAIN>" in page_text("/other-guide/")


def test_a_page_copied_in_place_with_its_time_kept_is_loaded_again(guide):
    """The load cache outlives the process: an editor's `cp -p` of a one-letter fix to a title (the
    same file, size and modification time; the evidence log unchanged) must reach the next publish."""
    page = guide.page("index", title="Jaw pain, the fist steps")
    before = page.stat()
    publish()
    with open(page, "r+") as file:  # the same file, the same size
        file.write(page.read_text().replace("the fist steps", "the 1st steps"))
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    now = page.stat()
    assert (now.st_ino, now.st_size, now.st_mtime_ns) == (before.st_ino, before.st_size, before.st_mtime_ns)
    publish()
    assert "Jaw pain, the 1st steps" in page_text("/test-guide/")


def test_an_evidence_log_copied_in_place_with_its_time_kept_is_checked_again(guide):
    """A page's loaded form holds its evidence log's verdict: a broken log copied in place (same file,
    size and modification time) must still stop the next publish."""
    page = guide.page("index")
    log = page.with_name("index.evidence.yaml")
    before = log.stat()
    publish()
    with open(log, "r+") as file:  # "note" -> "nope": the same size
        file.write(log.read_text().replace("no_claim: note", "no_claim: nope"))
    os.utime(log, ns=(before.st_atime_ns, before.st_mtime_ns))
    now = log.stat()
    assert (now.st_ino, now.st_size, now.st_mtime_ns) == (before.st_ino, before.st_size, before.st_mtime_ns)
    with pytest.raises(ContentError, match="index.evidence.yaml"):
        publish()
