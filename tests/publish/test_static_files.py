"""Static files as production serves them: hashed names, brotli and gzip variants, cached for good."""

import re
import shutil

import pytest
from django.test import Client

from articles.publish import static as static_files
from articles.publish.publishing import current_release, publish, releases_dir


@pytest.fixture
def collected(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "collected"
    settings.STORAGES = {"staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    settings.RELEASES_DIR = tmp_path / "releases"
    publish()  # collects the static files into the release
    return Client()


def static(name):
    """The address of a static file as the published home page names it."""
    home = (releases_dir() / current_release() / "public" / "index.html").read_text()
    stem, suffix = name.rsplit(".", 1)
    return re.search(rf'"(/static/{re.escape(stem)}(?:\.[0-9a-f]{{12}})?\.{suffix})"', home)[1]


def test_static_files_get_hashed_names_and_compressed_variants(collected, settings):
    url = static("css/site.css")
    assert url != "/static/css/site.css" and url.endswith(".css")
    name = url.removeprefix("/static/")
    folder = releases_dir() / current_release() / "public" / "static"
    for suffix in ("", ".gz", ".br"):
        assert (folder / (name + suffix)).is_file()


def test_hashed_files_are_immutable_and_served_compressed(collected):
    url = static("css/site.css")
    response = collected.get(url, HTTP_ACCEPT_ENCODING="br, gzip")
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    assert response["Content-Encoding"] == "br"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


def test_an_edited_stylesheet_is_published_and_the_release_before_keeps_its_own(collected, settings, tmp_path):
    # The static files are collected once and linked into each release: an edit must still reach
    # the next release, and must not change the files of the release before (it may be rolled back to).
    sources = tmp_path / "static-sources"
    shutil.copytree(settings.BASE_DIR / "static", sources)
    settings.STATICFILES_DIRS = [sources]
    publish()
    before, before_url = current_release(), static("css/site.css")
    (sources / "css" / "site.css").write_text("body { color: #123456; }\n")
    publish()
    after_url = static("css/site.css")
    assert current_release() != before and after_url != before_url
    public = releases_dir() / current_release() / "public"
    assert (public / after_url.lstrip("/")).read_text() == "body { color: #123456; }\n"
    assert "#123456" in collected.get(after_url).getvalue().decode()
    earlier = releases_dir() / before / "public" / before_url.lstrip("/")
    assert "#123456" not in earlier.read_text()
    assert not (public / "static" / "staticfiles.json").exists()  # the storage's own map is no visitor's


def _release_static(root):
    return root / (root / "current").readlink() / "public" / "static"


def _files(folder):
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def test_a_second_releases_folder_links_the_static_files_collected_for_the_first(guide, settings, tmp_path):
    # Nothing is collected and compressed twice in one process for the same sources.
    guide.page("index")
    publish()
    first = _release_static(settings.RELEASES_DIR)
    settings.RELEASES_DIR = tmp_path / "other-releases"
    publish()
    second = _release_static(settings.RELEASES_DIR)
    assert _files(first) == _files(second) and "css/site.css.br" in _files(first)
    for name in _files(first):
        assert (first / name).stat().st_ino == (second / name).stat().st_ino, name


@pytest.mark.parametrize("damage", ["removed", "renamed", "written to"])
def test_static_files_changed_in_the_folder_collected_first_are_collected_again(guide, settings, tmp_path, damage):
    guide.page("index")
    publish()
    [saved] = (settings.RELEASES_DIR / "render-cache" / "static").iterdir()
    damaged = saved / "css" / "site.css.br"
    if damage == "removed":
        damaged.unlink()
    elif damage == "renamed":
        damaged.rename(saved / "css" / "stray.br")
    else:  # through any of its links: the releases' files are the same file
        damaged.write_bytes(b"not brotli")
    settings.RELEASES_DIR = tmp_path / "other-releases"
    publish()
    static = _release_static(settings.RELEASES_DIR)
    assert "css/site.css.br" in _files(static) and "css/stray.br" not in _files(static)
    assert (static / "css" / "site.css.br").read_bytes() != b"not brotli"
    response = Client().get("/static/css/site.css", HTTP_ACCEPT_ENCODING="br")
    assert response["Content-Encoding"] == "br"


def test_a_setting_that_changes_the_collected_files_collects_them_again(guide, settings, tmp_path):
    guide.page("index")
    publish()
    settings.FILE_UPLOAD_PERMISSIONS = 0o640
    settings.RELEASES_DIR = tmp_path / "other-releases"
    publish()
    assert (_release_static(settings.RELEASES_DIR) / "css" / "site.css").stat().st_mode & 0o777 == 0o640


def test_another_version_of_whitenoise_collects_the_files_again(guide, settings, monkeypatch):
    """WhiteNoise writes the compressed copies: files collected by another version are not reused."""
    guide.page("index")
    publish()
    [before] = (settings.RELEASES_DIR / "render-cache" / "static").iterdir()
    installed = static_files._installed
    monkeypatch.setattr(static_files, "_installed", lambda name: installed(name) + ".1" * (name == "whitenoise"))
    guide.page("index", title="Another title")
    publish()
    [after] = (settings.RELEASES_DIR / "render-cache" / "static").iterdir()
    assert after != before
