"""manage.py publish: a whole release or nothing, an atomic switch, rollback, and what the editor reads."""

import errno
import fcntl
import gzip
import json
import os
import re
import shutil
import threading
import time
from pathlib import Path

import brotli
import pytest
from django.core.management import call_command

from articles.content.problems import ContentError
from articles.publish.publishing import (
    Outcome,
    PublishError,
    current_release,
    publish,
    release_ids,
    releases_dir,
    rollback,
    switch_to,
)
from tests.conftest import Guide


def release_files(release_id):
    root = releases_dir() / release_id
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_a_release_holds_every_public_file_with_compressed_copies(guide):
    guide.page("index")
    guide.page("results", order=2, former_slugs="[duration]")
    outcome = publish()
    root = releases_dir() / outcome.release
    for name in [
        "public/index.html",
        "public/privacy/index.html",
        "public/robots.txt",
        "public/sitemap.xml",
        "public/test-guide/index.html",
        "public/test-guide/print/index.html",
        "public/test-guide/qr.svg",
        "public/test-guide/qr.png",
        "public/test-guide/results/index.html",
        "public/test-guide/results/qr.png",
        "public/static/css/site.css",
        "404.html",
    ]:
        assert (root / name).is_file(), name
    assert (root / "public/test-guide/index.html.br").is_file()
    assert (root / "public/test-guide/index.html.gz").is_file()
    manifest = json.loads((root / "manifest.json").read_text())
    assert manifest["redirects"] == {
        "/test-guide/duration/": "/test-guide/results/",
        "/test-guide/duration": "/test-guide/results/",  # as a page's /x is sent to /x/
        "/test-guide/duration/qr.svg": "/test-guide/results/qr.svg",
        "/test-guide/duration/qr.png": "/test-guide/results/qr.png",
    }
    assert current_release() == outcome.release


def test_a_refused_publish_changes_nothing(guide, capsys):
    guide.page("index")
    first = publish().release
    before = release_files(first)
    guide.page("benefits", order="three")
    with pytest.raises(SystemExit):
        call_command("publish")
    assert f"Not published: 1 problem to fix first. The site still serves release {first}." in capsys.readouterr().err
    assert current_release() == first
    assert release_files(first) == before
    assert release_ids() == [first]


def test_the_command_names_file_line_field_and_fix(guide, capsys):
    guide.page("index")
    guide.page("benefits", order="three")
    with pytest.raises(SystemExit) as refused:
        call_command("publish")
    assert refused.value.code == 1
    assert capsys.readouterr().err == (
        "content/test-guide/benefits.md, line 4: 'order' should be a whole number (got 'three'); e.g. 3.\n"
        "Not published: 1 problem to fix first. Nothing has been published yet.\n"
    )


def test_drafts_are_never_published_whatever_the_settings(guide, settings):
    settings.DEBUG = True
    guide.page("index")
    guide.page("secret", order=2, title="Secret draft", body="Unfinished words.\n", draft="true")
    release = publish().release
    for name, body in release_files(release).items():
        if not name.endswith((".gz", ".br", ".png")):
            assert b"Secret draft" not in body and b"Unfinished words" not in body, name


def test_publishing_unchanged_content_makes_no_new_release(guide, capsys):
    guide.page("index")
    call_command("publish")
    call_command("publish")
    assert "Nothing changed: release" in capsys.readouterr().out
    assert len(release_ids()) == 1


def test_a_change_to_the_404_page_alone_is_published(guide, settings, tmp_path, capsys):
    """New wording for "page not found" (a template change, no content change) makes a new release."""
    from pathlib import Path

    from django.test import Client

    guide.page("index")
    call_command("publish")
    templates = Path(settings.TEMPLATES[0]["DIRS"][0])
    override = tmp_path / "templates"
    override.mkdir()
    wording = (templates / "404.html").read_text().replace("We could not find the page", "There is no page")
    (override / "404.html").write_text(wording)
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [override, templates]}]
    call_command("publish")
    assert "Nothing changed" not in capsys.readouterr().out
    assert len(release_ids()) == 2
    response = Client().get("/test-guide/no-such-page/")
    assert response.status_code == 404
    assert b"There is no page you asked for." in response.content


def test_rollback_returns_to_the_release_before(guide, capsys):
    path = guide.page("index", title="First")
    first = publish().release
    path.write_text(path.read_text().replace("First", "Second"))
    second = publish().release
    assert first != second
    call_command("publish", "--rollback")
    assert current_release() == first
    assert f"Rolled back from {second} to {first}." in capsys.readouterr().out
    with pytest.raises(SystemExit):
        call_command("publish", "--rollback")
    assert f"There is no release before {first} to go back to." in capsys.readouterr().err


def test_only_the_newest_releases_are_kept(guide, settings):
    settings.RELEASES_KEPT = 2
    path = guide.page("index", title="First")
    first = publish().release
    for year in (2001, 2002, 2003):  # three older releases, as earlier publishes left them
        shutil.copytree(releases_dir() / first, releases_dir() / f"{year}0101T000000.000000-0a1b2c3d")
    path.write_text(path.read_text().replace("First", "Second"))
    second = publish().release
    assert release_ids() == [first, second]
    assert rollback().release == first


def test_a_publish_killed_while_deleting_an_old_release_leaves_no_half_release_to_roll_back_to(
    guide, settings, monkeypatch
):
    settings.RELEASES_KEPT = 2
    path = guide.page("index", title="Version 0")
    made = []
    for number in range(1, 3):
        path.write_text(path.read_text().replace(f"Version {number - 1}", f"Version {number}"))
        made.append(publish().release)
    deleting = []

    def killed_while_deleting(folder, **_):  # the publish dies with the old release half deleted
        deleting.append(Path(folder))
        (Path(folder) / "public" / "index.html").unlink(missing_ok=True)

    monkeypatch.setattr("articles.publish.publishing.shutil.rmtree", killed_while_deleting)
    path.write_text(path.read_text().replace("Version 2", "Version 3"))
    made.append(publish().release)
    assert release_ids() == made[-2:]  # the one being deleted is no longer a release
    assert any(folder.name.endswith(made[0]) and folder.name.startswith(".") for folder in deleting)
    monkeypatch.undo()
    path.write_text(path.read_text().replace("Version 3", "Version 4"))
    made.append(publish().release)
    assert not [entry.name for entry in releases_dir().iterdir() if made[0] in entry.name]  # cleared
    assert rollback().release == made[-2]


def test_an_old_release_that_cannot_be_renamed_is_still_deleted_and_the_publish_succeeds(guide, settings, monkeypatch):
    settings.RELEASES_KEPT = 1
    path = guide.page("index", title="Version 1")
    first = publish().release
    real_rename = Path.rename

    def rename(self, target):
        if Path(target).name.startswith(".removing-"):
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_rename(self, target)

    path.write_text(path.read_text().replace("Version 1", "Version 2"))
    second = publish().release
    monkeypatch.setattr(Path, "rename", rename)
    path.write_text(path.read_text().replace("Version 2", "Version 3"))
    third = publish().release  # the first is deleted now: no traceback after the switch
    assert current_release() == third
    assert release_ids() == [second, third]
    assert not (releases_dir() / first).exists()


def test_the_switch_is_one_atomic_rename(guide):
    """A reader looking at `current` over and over while releases are switched always finds a release:
    never a moment without `current`, never a half-made link."""
    path = guide.page("index", title="First")
    first = publish().release
    path.write_text(path.read_text().replace("First", "Second"))
    second = publish().release
    link = releases_dir() / "current"
    seen, missing, stop = set(), [], threading.Event()

    def reader():
        while not stop.is_set():
            try:
                seen.add(os.readlink(link))
            except OSError as error:
                missing.append(error)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        # At least 500 switches, and on until the reader has seen both (a busy machine can starve it
        # for a while: on a tmpfs, 20,000 switches took less time than that).
        deadline = time.monotonic() + 10
        switches = 0
        while switches < 500 or (len(seen) < 2 and time.monotonic() < deadline):
            switch_to(second if switches % 2 else first)
            switches += 1
        switch_to(second)  # the last switch, whichever it was, leaves the release before to roll back to
        assert rollback().release == first
    finally:
        stop.set()
        thread.join()
    assert missing == []
    assert seen == {first, second}
    assert link.is_symlink() and os.readlink(link) == first
    assert not [entry for entry in releases_dir().iterdir() if entry.name.startswith(".")]


def test_a_release_carries_only_the_static_files_of_the_code_that_made_it(guide, settings):
    """Files left in STATIC_ROOT by an older version (a script since removed) are not published."""
    from pathlib import Path

    stale = Path(settings.STATIC_ROOT) / "js" / "removed-long-ago.js"
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_text("alert('old')")
    guide.page("index")
    release = publish().release
    assert not (releases_dir() / release / "public" / "static" / "js" / "removed-long-ago.js").exists()
    assert (releases_dir() / release / "public" / "static" / "js" / "page.js").exists()


def full_disk(monkeypatch):
    """Every write into a file under the releases folder (a release being built, the render and load
    caches) fails as on a full disk: as the kernel does, what fits is written first, then ENOSPC."""
    real_write = os.write

    def write(descriptor, data):
        # The file the descriptor is open on:
        if not os.readlink(f"/proc/self/fd/{descriptor}").startswith(f"{releases_dir()}/"):
            return real_write(descriptor, data)
        if len(data) > 1 and os.fstat(descriptor).st_size == 0:
            return real_write(descriptor, memoryview(data)[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", write)


def test_a_full_disk_names_the_space_free_and_needed_and_the_release_still_served(guide, monkeypatch):
    guide.page("index", title="Before")
    first = publish().release
    folder = releases_dir() / first
    size = sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())
    guide.page("index", title="After")
    full_disk(monkeypatch)
    before = shutil.disk_usage(releases_dir()).free / 1_000_000
    with pytest.raises(PublishError) as refused:
        publish()
    after = shutil.disk_usage(releases_dir()).free / 1_000_000
    message = str(refused.value)
    free = re.fullmatch(
        rf"Not published: the disk is full \(([\d.]+) MB free where releases are kept; "
        rf"a release needs about {size / 1_000_000:.1f} MB\)\. Nothing was left behind\. "
        rf"The site still serves release {re.escape(first)}\. Free some space, then publish again\.",
        message,
    )
    assert free, message
    # What was free as it said so: between the space before and after, give or take what the other
    # test processes write meanwhile (a run removes an earlier run's folders as it starts, 60 to 100 MB).
    assert min(before, after) - 50 < float(free[1]) < max(before, after) + 50, message
    assert current_release() == first
    assert sorted(entry.name for entry in releases_dir().iterdir() if entry.name.startswith(".build-")) == []
    assert list(releases_dir().rglob("*.part")) == [], "no half-written cache entry either"


def test_a_full_disk_before_the_first_publish_says_nothing_is_published_yet(guide, monkeypatch):
    guide.page("index")
    full_disk(monkeypatch)
    with pytest.raises(PublishError) as refused:
        publish()
    message = str(refused.value)
    assert re.fullmatch(
        r"Not published: the disk is full \([\d.]+ MB free where releases are kept\)\. Nothing was left behind\. "
        r"Nothing has been published yet\. Free some space, then publish again\.",
        message,
    ), message
    assert current_release() is None


def hold_the_lock(release_after=None):
    """Take the releases folder's lock as another publish would; give it back after `release_after` s."""
    root = releases_dir()
    root.mkdir(parents=True, exist_ok=True)
    holder = open(root / "publish.lock", "a")  # noqa: SIM115 (closed by the timer, or the test)
    fcntl.flock(holder, fcntl.LOCK_EX)
    if release_after is not None:
        threading.Timer(release_after, holder.close).start()
    return holder


def test_a_publish_or_rollback_waiting_for_another_says_so_then_goes_ahead(guide, settings, capsys):
    settings.PUBLISH_WAIT_SECONDS = 20
    guide.page("index", title="First")
    first = publish().release
    guide.page("index", title="Second")
    hold_the_lock(release_after=0.3)
    call_command("publish")
    out = capsys.readouterr().out
    assert "Another publish or rollback is running: waiting for it to finish (at most 20 s)..." in out
    assert f"Published release {current_release()}" in out
    hold_the_lock(release_after=0.3)
    call_command("publish", rollback=True)
    out = capsys.readouterr().out
    assert "Another publish or rollback is running: waiting for it to finish (at most 20 s)..." in out
    assert current_release() == first


def test_a_publish_that_waits_too_long_changes_nothing_and_says_why(guide, settings, capsys):
    settings.PUBLISH_WAIT_SECONDS = 0.15
    guide.page("index")
    holder = hold_the_lock()
    try:
        with pytest.raises(SystemExit):
            call_command("publish")
    finally:
        holder.close()
    assert capsys.readouterr().err.strip() == (
        "Not done: another publish or rollback is still running after 0.15 s. "
        "Nothing was changed; try again when it has finished."
    )
    assert current_release() is None


def test_publish_can_be_given_another_content_folder(guide, tmp_path):
    guide.page("index", title="From the settings")
    other = Guide(tmp_path / "elsewhere")
    other.page("index", title="From elsewhere")
    publish(content_dir=other.root)
    page = (releases_dir() / current_release() / "public/test-guide/index.html").read_text()
    assert "From elsewhere" in page and "From the settings" not in page


def test_the_404_page_and_the_pages_have_compressed_copies_of_the_same_bytes_with_no_time_in_them(guide):
    """nginx sends the .gz and .br copies as they are: they must hold the file, and the same bytes from every build."""
    guide.page("index")
    release = releases_dir() / publish().release
    for name in ("404.html", "public/test-guide/index.html"):
        body = (release / name).read_bytes()
        gz = (release / f"{name}.gz").read_bytes()
        assert gzip.decompress(gz) == body, name
        assert gz[4:8] == b"\0\0\0\0", f"{name}.gz records a time"
        assert brotli.decompress((release / f"{name}.br").read_bytes()) == body, name


def test_publish_counts_the_files_it_makes_up_to_all_of_them(guide):
    guide.page("index")
    heard = []
    outcome = publish(progress=lambda done, total: heard.append((done, total)))
    assert heard and heard[-1] == (outcome.files, outcome.files)
    assert [done for done, _ in heard] == sorted(done for done, _ in heard)


# --- What a release is named and holds, what publish prints, what it clears away ------------------


def test_publish_prints_one_line_naming_the_release_made_from_its_time_and_content(guide, capsys):
    """`<date>T<time>-<first 8 of the digest>`: names sort in the order the releases were made."""
    from datetime import datetime

    guide.page("index")
    call_command("publish")
    release = current_release()
    manifest = json.loads((releases_dir() / release / "manifest.json").read_text())
    assert capsys.readouterr().out == f"Published release {release} ({len(manifest['files'])} files).\n"
    made = datetime.strptime(release.partition("-")[0], "%Y%m%dT%H%M%S.%f")
    assert abs((datetime.now() - made).total_seconds()) < 600, release
    assert release == f"{made:%Y%m%dT%H%M%S.%f}-{manifest['digest'][:8]}"
    assert re.fullmatch(r"[0-9a-f]{8}", release.rpartition("-")[2]), release
    assert manifest["release"] == release
    call_command("publish")
    assert capsys.readouterr().out == f"Nothing changed: release {release} is already being served.\n"
    assert publish() == Outcome(release, len(manifest["files"]), changed=False)  # what `make bench` reports


def test_the_files_written_around_the_pages_share_one_modification_time_and_are_compressed(guide):
    """The 404 page, the manifest and the feedback form's refusals: one Last-Modified and ETag from every
    server. The static files, linked from where they were collected, keep theirs from release to release
    (as do the thank-you pages, which only the feedback view reads: tests/publish/test_cache.py).
    Each text file has gzip and brotli copies of the same bytes."""
    index = guide.page("index", title="First")
    release = releases_dir() / publish().release
    static = release / "public" / "static"
    written = [*release.glob("404.html*"), release / "manifest.json", *(release / "feedback").glob("*.html")]
    files = [path for path in written if path.is_file()]
    assert {path.stat().st_mtime_ns for path in files} == {(release / "404.html").stat().st_mtime_ns}
    originals = [path for path in static.rglob("*") if path.is_file() and path.suffix not in {".gz", ".br"}]
    assert {path.relative_to(static).as_posix() for path in originals} >= {
        "css/site.css",
        "js/page.js",
        "img/favicon.svg",
    }
    for path in originals:
        assert gzip.decompress(Path(f"{path}.gz").read_bytes()) == path.read_bytes(), path
        assert brotli.decompress(Path(f"{path}.br").read_bytes()) == path.read_bytes(), path
    assert {path.name for path in (release / "feedback").rglob("*.html")} >= {"index.html", "not-collected.html"}
    index.write_text(index.read_text().replace("First", "Second"))
    later = releases_dir() / publish().release
    for path in originals:  # the same file, the same time: a cached stylesheet stays valid
        same = later / path.relative_to(release)
        assert same.stat().st_mtime_ns == path.stat().st_mtime_ns, path
    assert (later / "404.html").stat().st_mtime_ns != (release / "404.html").stat().st_mtime_ns


def test_with_the_production_storage_static_files_get_hashed_names_and_no_name_map_is_published(guide, settings):
    settings.STORAGES = {"staticfiles": {"BACKEND": "botox_info.storage.ReleaseStaticFilesStorage"}}
    guide.page("index")
    public = releases_dir() / publish().release / "public"
    [css] = (public / "static" / "css").glob("site.*.css")
    assert css.name in (public / "test-guide" / "index.html").read_text()
    assert Path(f"{css}.br").is_file() and Path(f"{css}.gz").is_file()
    assert not list(public.rglob("staticfiles.json"))


def test_a_static_file_changed_alone_makes_a_new_release(guide, settings, tmp_path):
    """New bytes under the same name (plain storage: no hash in the name, so no page changes) are
    published, never "Nothing changed". (A new name, a former address or new template wording changes
    the pages' inputs too: the 404 test above covers that way.)"""
    guide.page("index")
    extra = tmp_path / "more-static"
    (extra / "css").mkdir(parents=True)
    (extra / "css" / "extra.css").write_text("p { margin: 0 }\n")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, extra]
    first = publish()
    (extra / "css" / "extra.css").write_text("p { margin: 1em 0 }\n")
    second = publish()
    assert second.changed and second.release != first.release
    assert (releases_dir() / second.release / "public/static/css/extra.css").read_text() == "p { margin: 1em 0 }\n"


def test_what_a_killed_publish_left_behind_is_cleared_by_the_next(guide):
    guide.page("index")
    root = releases_dir()
    root.mkdir(parents=True)
    (root / ".build-0a1b2c" / "public").mkdir(parents=True)
    (root / ".build-0a1b2c" / "public" / "index.html").write_text("half a page")
    (root / ".current.4242").symlink_to("no-such-release")
    (root / ".current.4343").write_text("")
    (root / "20260101T000000.000000-0a1b2c3d.building").mkdir()
    (root / "old.building").write_text("")
    release = publish().release
    left = [entry.name for entry in root.iterdir() if entry.name.startswith(".") or entry.name.endswith(".building")]
    assert left == []
    assert current_release() == release


def test_a_half_written_release_is_never_rolled_back_to(guide):
    """A publish killed after writing its manifest leaves `.build-...` with one: it is not a release."""
    path = guide.page("index", title="First")
    first = publish().release
    path.write_text(path.read_text().replace("First", "Second"))
    publish()
    shutil.copytree(releases_dir() / first, releases_dir() / ".build-0a1b2c")
    assert release_ids() == [first, current_release()]
    assert rollback().release == first
    assert rollback() is None
    assert current_release() == first


def test_files_that_cannot_be_removed_do_not_stop_a_publish(guide, settings, monkeypatch):
    """An old release or a leftover build folder holding a file publish may not delete (another
    user's, say) stays behind; the new release is still published and served."""
    settings.RELEASES_KEPT = 1
    path = guide.page("index", title="Version 1")
    first = publish().release
    path.write_text(path.read_text().replace("Version 1", "Version 2"))
    publish()
    (releases_dir() / ".build-0a1b2c").mkdir()
    (releases_dir() / ".build-0a1b2c" / "index.html").write_text("half a page")
    real_unlink = os.unlink

    def unlink(name, *args, dir_fd=None, **kwargs):
        if dir_fd is not None:  # shutil.rmtree's way of removing a file in a folder
            raise PermissionError(errno.EACCES, "Permission denied", name)
        return real_unlink(name, *args, **kwargs)

    monkeypatch.setattr(os, "unlink", unlink)
    path.write_text(path.read_text().replace("Version 2", "Version 3"))
    third = publish().release
    assert current_release() == third
    assert "Version 3" in (releases_dir() / third / "public" / "test-guide" / "index.html").read_text()
    assert first not in release_ids()  # out of the list (never rolled back to), its files left where they were
    assert (releases_dir() / f".removing-{first}" / "manifest.json").is_file()


def test_a_page_keeps_the_day_its_words_were_first_published_while_another_changes(guide, monkeypatch):
    """The sitemap's lastmod (and a page's "updated" date) is the day patients could first read its words:
    carried from release to release in the manifest, never the day of the latest publish."""
    import datetime

    from django.utils import timezone

    guide.page("index")
    guide.page("benefits", order=2, title="Benefits")
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2026, 3, 2))
    publish()
    guide.page("benefits", order=2, title="Benefits", body="Some new text.\n")  # and its evidence log
    monkeypatch.setattr(timezone, "localdate", lambda *args: datetime.date(2026, 4, 5))
    sitemap = (releases_dir() / publish().release / "public" / "sitemap.xml").read_text()
    dates = dict(re.findall(r"<loc>[^<]*/test-guide/([^<]*)</loc>\s*<lastmod>([^<]*)</lastmod>", sitemap))
    assert dates == {"": "2026-03-02", "benefits/": "2026-04-05"}, sitemap


def test_a_thank_you_page_is_shared_between_releases_until_its_page_changes(guide):
    """A release links each unchanged thank-you page from the cache; an earlier release's is never changed."""
    guide.page("index", body="First guide.\n")
    guide.page("second", order=2, body="More of the first guide.\n")
    other = Guide(guide.root, slug="other-guide")
    other.page("index", body="The other guide.\n")
    first = releases_dir() / publish().release
    other.page("index", title="The other guide, renamed", body="The other guide.\n")
    second = releases_dir() / publish().release
    kept, renamed = "feedback/thanks/test-guide/second.html", "feedback/thanks/other-guide/index.html"
    assert (second / kept).stat().st_ino == (first / kept).stat().st_ino
    assert (second / kept).read_text() == (first / kept).read_text()
    assert 'href="/test-guide/second/"' in (second / kept).read_text()
    assert (second / renamed).stat().st_ino != (first / renamed).stat().st_ino
    assert "The other guide, renamed" in (second / renamed).read_text()
    assert "renamed" not in (first / renamed).read_text()
    assert {path.suffix for path in (second / "feedback").rglob("*") if path.is_file()} == {".html"}


ODD = "---\ntitle: Odd\nsummary: Odd.\norder: 9\nnext_review_due: 2027-01-01\n---\n"


# Each alone refuses a publish (the real-server test puts them in one publish, where any would do).
@pytest.mark.parametrize(
    "name, make",
    [
        ("loop.md", lambda folder: os.symlink("loop.md", folder / "loop.md")),
        ("zero.md", lambda folder: os.symlink("/dev/zero", folder / "zero.md")),
        ("fifo.md", lambda folder: os.mkfifo(folder / "fifo.md")),
        ("nested.md", lambda folder: (folder / "nested.md").write_text(ODD + "- " * 1000 + "x\n")),
        ("huge.md", lambda folder: (folder / "huge.md").write_text(ODD + "word " * 60_000)),
    ],
    ids=["symlink loop", "link to /dev/zero", "FIFO", "1000-level list", "over the size limit"],
)
def test_one_hostile_file_alone_refuses_the_publish_and_names_itself(guide, name, make):
    guide.page("index")
    first = publish().release
    make(guide.folder)
    with pytest.raises(ContentError) as refused:
        publish()
    assert any(f"test-guide/{name}" in str(problem) for problem in refused.value.problems), refused.value.problems
    assert current_release() == first
