"""A large library's files are made by worker processes: the release must be the one a single process makes."""

import json
import multiprocessing
import os
import shutil
import signal
import time

import pytest

from articles.publish import making, site
from articles.publish.cache import FOLDER
from articles.publish.publishing import PublishError, publish
from articles.publish.releases import current_release, releases_dir


def small_library(guide):
    guide.page("index", body="## Start {#start}\n\nFirst words.\n")
    guide.page("second", order=2, body="More words, on a second page.\n")
    guide.page("third", order=3, body="The last page.\n")


def tree(folder):
    """{relative path: bytes} of every file under `folder`."""
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*")) if path.is_file()}


def start_afresh():
    shutil.rmtree(releases_dir())


def test_a_release_made_by_workers_is_the_release_one_process_makes(guide, monkeypatch):
    small_library(guide)
    monkeypatch.setattr(making, "PARALLEL_FROM", 10**9)
    alone = publish()
    alone_files = tree(releases_dir() / alone.release / "public")
    alone_manifest = json.loads((releases_dir() / alone.release / "manifest.json").read_text())
    start_afresh()
    monkeypatch.setattr(making, "PARALLEL_FROM", 0)
    monkeypatch.setattr(making, "CHUNK", 2)  # several chunks, on every worker
    together = publish()
    public = releases_dir() / together.release / "public"
    assert together.release.split("-")[-1] == alone.release.split("-")[-1], "the same content hash"
    assert tree(public) == alone_files
    manifest = json.loads((releases_dir() / together.release / "manifest.json").read_text())
    assert manifest["files"] == alone_manifest["files"]
    assert together.files == alone.files > 2 * making.CHUNK


def test_the_workers_cache_entries_survive_the_sweep(guide, monkeypatch):
    """What the workers put in the render cache is kept: the next publish takes every page from it."""
    small_library(guide)
    monkeypatch.setattr(making, "PARALLEL_FROM", 0)
    monkeypatch.setattr(making, "CHUNK", 2)
    publish()
    cache = releases_dir() / FOLDER / "files"
    kept = {path.name for path in cache.rglob("*") if path.is_file()}
    rendered = []
    real = site.guide_page
    monkeypatch.setattr(making, "PARALLEL_FROM", 10**9)  # in this process, where the spy can count
    monkeypatch.setattr(site, "guide_page", lambda *args, **kw: rendered.append(1) or real(*args, **kw))
    guide.page("index", body="## Start {#start}\n\nFirst words.\n", title="A page")  # the same text, a new file
    outcome = publish()
    assert rendered == [], "every page came from the cache the workers filled"
    assert outcome.changed is False
    assert {path.name for path in cache.rglob("*") if path.is_file()} == kept


def edited_after_a_first_publish(guide):
    """The small library published, then its third page edited; the first release."""
    small_library(guide)
    first = publish()
    guide.page("third", order=3, body="The last page, edited.\n")
    return first


def fail_while_making(monkeypatch, failure):
    """From now on the files are made by workers, two addresses a chunk, and `failure()` happens
    where the edited third page is made."""
    real = site.body

    def failing(library, address):
        if address.path == "/test-guide/third/":
            failure()
        return real(library, address)

    monkeypatch.setattr(making, "PARALLEL_FROM", 0)
    monkeypatch.setattr(making, "CHUNK", 2)
    monkeypatch.setattr(site, "body", failing)


def assert_nothing_changed(first):
    assert current_release() == first.release, "the site still serves the release before"
    assert not [entry.name for entry in releases_dir().iterdir() if entry.name.startswith(".build-")]


def test_a_worker_killed_while_making_the_files_refuses_the_release_and_says_so(guide, monkeypatch):
    first = edited_after_a_first_publish(guide)
    fail_while_making(monkeypatch, lambda: os.kill(os.getpid(), signal.SIGKILL))  # as the out-of-memory killer would
    with pytest.raises(PublishError) as raised:
        publish()
    assert "a process making the pages stopped unexpectedly" in str(raised.value)
    assert first.release in str(raised.value)
    assert_nothing_changed(first)


def test_an_interrupt_while_the_chunks_are_handed_out_leaves_no_worker_writing(guide, monkeypatch):
    """Ctrl-C (or any error) while the workers are being given their chunks: the publish stops, and
    no worker goes on writing into the build folder after it was removed."""
    from concurrent.futures import ProcessPoolExecutor

    first = edited_after_a_first_publish(guide)
    real = ProcessPoolExecutor.submit
    handed = []

    def submit(self, *args, **kwargs):
        handed.append(1)
        if len(handed) == 6:
            raise KeyboardInterrupt
        return real(self, *args, **kwargs)

    monkeypatch.setattr(making, "PARALLEL_FROM", 0)
    monkeypatch.setattr(making, "CHUNK", 1)
    monkeypatch.setattr(ProcessPoolExecutor, "submit", submit)
    with pytest.raises(KeyboardInterrupt):
        publish()
    time.sleep(0.5)  # a worker left running would write its chunk by now
    assert_nothing_changed(first)
    assert multiprocessing.active_children() == []


def test_an_error_in_a_worker_refuses_the_whole_release(guide, monkeypatch):
    first = edited_after_a_first_publish(guide)

    def disk_full():
        raise OSError(28, "No space left on device")

    fail_while_making(monkeypatch, disk_full)
    with pytest.raises(PublishError) as raised:
        publish()
    assert "disk is full" in str(raised.value)
    assert_nothing_changed(first)
