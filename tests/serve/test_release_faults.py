"""Serving when the releases folder is not as it should be, and assets of pages cached before a switch."""

import logging
import re
import shutil
from pathlib import Path

import pytest
from django.test import Client

from articles.publish.publishing import current_release, publish, releases_dir, rollback

PRODUCTION_STORAGES = {"staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def point_current_at(target):
    link = releases_dir() / "current"
    link.unlink()
    link.symlink_to(target)


@pytest.mark.parametrize("target", ["missing-folder", "empty-folder", "a-file"])
def test_current_at_a_missing_release_serves_the_not_published_page_logged_once(guide, caplog, target):
    guide.page("index")
    publish()
    (releases_dir() / "empty-folder").mkdir()
    (releases_dir() / "a-file").write_text("not a release")
    point_current_at(target)
    client = Client()
    with caplog.at_level(logging.ERROR):
        for path in ["/", "/test-guide/", "/static/css/site.css", "/no-such-page/"]:
            response = client.get(path)
            assert response.status_code == 503, path
            assert b"This site is not published yet" in body(response)
    logged = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(logged) == 1, [record.getMessage() for record in logged]
    assert target in logged[0].getMessage() and "503" in logged[0].getMessage()
    assert not [record for record in logged if record.exc_info]


def test_a_release_comes_back_when_current_is_repaired(guide):
    guide.page("index", title="Front")
    release = publish().release
    client = Client()
    point_current_at("gone")
    assert client.get("/test-guide/").status_code == 503
    point_current_at(release)
    assert client.get("/test-guide/").status_code == 200


@pytest.mark.parametrize("deleted", ["the folder", "what it holds"])
def test_a_new_handler_finds_a_release_deleted_since_another_loaded_it(guide, caplog, deleted):
    """Handlers share a loaded release (one a test client here; one a worker in production), but
    a release deleted since is looked at again: the not-published page, not a 404."""
    guide.page("index", title="Front")
    release = publish().release
    assert Client().get("/test-guide/").status_code == 200
    folder = releases_dir() / release
    shutil.rmtree(folder)
    if deleted == "what it holds":
        folder.mkdir()
    with caplog.at_level(logging.ERROR):
        response = Client().get("/test-guide/")
    assert response.status_code == 503
    assert b"This site is not published yet" in body(response)
    assert [record for record in caplog.records if release in record.getMessage()]


def test_a_release_deleted_under_a_running_handler_is_a_503_and_served_again_once_restored(guide, monkeypatch):
    """A worker kept serving the release it had loaded after its folder went: pages answered 404 while
    /healthz said "ok", and once the folder was back it answered 503 until restarted (a fresh helper's
    hostile review). It looks again at most once a second (here at once)."""
    from articles.serve import serving

    monkeypatch.setattr(serving, "RECHECK_SECONDS", 0.0)
    guide.page("index", title="Front")
    release = publish().release
    client = Client()
    assert client.get("/test-guide/").status_code == 200
    folder = releases_dir() / release
    kept = folder.with_name("kept-aside")
    folder.rename(kept)
    assert [client.get(path).status_code for path in ("/healthz", "/test-guide/")] == [503, 503]
    kept.rename(folder)
    assert [client.get(path).status_code for path in ("/healthz", "/test-guide/")] == [200, 200]


def stylesheet(client):
    page = body(client.get("/test-guide/")).decode()
    return re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page)[1]


@pytest.fixture
def own_static(settings, tmp_path):
    """Production's hashed names, and a copy of static/ whose stylesheet a test may change."""
    folder = tmp_path / "static"
    shutil.copytree(Path(__file__).resolve().parents[2] / "static", folder)
    settings.STATICFILES_DIRS = [folder]
    settings.STORAGES = PRODUCTION_STORAGES
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    return folder


def test_pages_cached_before_a_publish_or_rollback_keep_their_styles(guide, own_static):
    guide.page("index")
    publish()
    client = Client()
    old = stylesheet(client)
    css = own_static / "css" / "site.css"
    css.write_text(css.read_text() + "\n.changed { color: black; }\n")
    publish()
    new = stylesheet(client)
    assert new != old
    response = client.get(old)  # a page cached for 5 minutes still names the old file
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    assert b".changed" not in body(response)
    rollback()
    assert stylesheet(client) == old
    response = client.get(new)  # and a page of the release rolled back from keeps its file too
    assert response.status_code == 200 and b".changed" in body(response)
    assert current_release() is not None


def test_new_handlers_during_publishes_and_rollbacks_serve_only_whole_releases(guide):
    """Handlers share the index they load; several starting at once while releases switch and old
    ones are pruned each serve a whole release (every page 200, with a published title), and one
    started afterwards serves the release published last."""
    import threading

    index = guide.page("index", title="Version 0")
    publish()
    stop, answers = threading.Event(), []

    def visit():
        while not stop.is_set():
            response = Client().get("/test-guide/")  # a new handler for every request
            answers.append((response.status_code, re.search(rb"Version \d", body(response))))

    visitors = [threading.Thread(target=visit) for _ in range(3)]
    for visitor in visitors:
        visitor.start()
    try:
        for number in range(1, 5):
            index.write_text(index.read_text().replace(f"Version {number - 1}", f"Version {number}"))
            publish()
            rollback()
            publish()
    finally:
        stop.set()
        for visitor in visitors:
            visitor.join(timeout=30)
    assert len(answers) > 10
    assert [answer for answer in answers if answer[0] != 200 or answer[1] is None] == []
    assert b"Version 4" in body(Client().get("/test-guide/"))  # and a handler started now serves the last


def test_a_broken_release_left_as_it_is_is_logged_once_and_served_again_once_put_right(guide, monkeypatch, caplog):
    """Looked at again each time (here at once, in production once a second), a release whose manifest is
    there but a file is not was read and logged again every second in every worker (a fresh helper's review)."""
    from articles.serve import serving

    monkeypatch.setattr(serving, "RECHECK_SECONDS", 0.0)
    guide.page("index", title="Front")
    release = publish().release
    not_found = releases_dir() / release / "404.html"
    kept = not_found.read_bytes()
    not_found.unlink()
    client = Client()
    with caplog.at_level(logging.ERROR):
        assert [client.get("/test-guide/").status_code for _ in range(5)] == [503] * 5
    assert len([record for record in caplog.records if release in record.getMessage()]) == 1
    not_found.write_bytes(kept)
    assert client.get("/test-guide/").status_code == 200
