"""`manage.py export_site`: the current release as plain files, identical to what the live site serves."""

import re
import threading
import urllib.error
import urllib.request
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command

from articles.export.nginx import headers_file
from articles.publish.publishing import current_release, publish, releases_dir
from tests.crawl import crawl
from tests.site_pages import PUBLIC_PATHS


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def exported(published_site, tmp_path_factory):
    """The real site exported once for the tests that only read the export."""
    folder = tmp_path_factory.mktemp("export")
    call_command("export_site", str(folder / "site"))
    target = folder / "site" / "public"
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(target)))
    # Polled every 50 ms, not 0.5 s: shutdown() waits for the next poll.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield target, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def fetch_from(base):
    def fetch(path):
        try:
            with urllib.request.urlopen(base + path) as response:
                return response.status, response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as error:
            return error.code, "", b""

    return fetch


def test_every_page_is_byte_for_byte_what_the_live_site_serves(exported, client):
    target, base = exported
    paths = PUBLIC_PATHS
    assert "/botox-jaw-pain/side-effects/" in paths and "/botox-jaw-pain/print/" in paths
    for path in paths:
        status, _, body = fetch_from(base)(path)
        assert status == 200, path
        assert body == client.get(path).content, path


def test_a_crawl_of_the_export_finds_no_broken_link_or_anchor(exported):
    target, base = exported
    seen, problems = crawl(fetch_from(base))
    assert not problems
    assert "/botox-jaw-pain/talk-to-a-professional/" in seen
    assert any(path.startswith("/static/css/") for path in seen)


def test_export_has_the_extras_a_static_host_needs(exported):
    target, _ = exported
    for name in ("404.html", "robots.txt", "sitemap.xml", "_redirects", "botox-jaw-pain/qr.png"):
        assert (target / name).is_file(), name
    assert b"Page not found" in (target / "404.html").read_bytes()
    assert (target / "botox-jaw-pain" / "benefits" / "index.html.br").is_file()
    assert (target / "botox-jaw-pain" / "benefits" / "index.html.gz").is_file()


def test_the_export_is_the_release_byte_for_byte(exported):
    target, _ = exported
    release = releases_dir() / current_release() / "public"
    released = {path.relative_to(release): path.read_bytes() for path in release.rglob("*") if path.is_file()}
    for name, body in released.items():
        assert (target / name).read_bytes() == body, name
    # A compressed copy no smaller than its file is never made: no server would send it.
    assert not (release / "robots.txt.gz").exists() and (release / "robots.txt.br").exists()


def cloudflare_headers(rules_text, address):
    """The headers a Cloudflare Pages style host sends for `address`: every matching rule, in order."""
    headers, applies = {}, False
    for line in rules_text.splitlines():
        if not line or line.startswith("#"):
            continue
        if not line.startswith(" "):
            pattern = line.replace("*", ".*")
            applies = re.fullmatch(pattern, address) is not None
        elif applies and line.strip().startswith("! "):
            headers.pop(line.strip()[2:], None)
        elif applies:
            name, value = line.strip().split(": ", 1)
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def test_the_headers_file_gives_each_file_the_headers_django_sends(exported, client):
    target, _ = exported
    rules = (target / "_headers").read_text()
    paths = list(PUBLIC_PATHS)
    paths += ["/" + path.relative_to(target).as_posix() for path in (target / "static").rglob("*.css")]
    for path in paths:
        response = client.get(path)
        expected = {
            name: value
            for name, value in response.items()
            if name not in {"Content-Type", "Content-Length", "ETag", "Last-Modified", "Vary"}
        }
        assert cloudflare_headers(rules, path) == expected, path


def test_renamed_pages_are_in_the_redirect_file(guide, tmp_path):
    guide.page("index")
    guide.page("results", order=2, former_slugs="[duration]")
    publish()
    call_command("export_site", str(tmp_path / "site"))
    assert (tmp_path / "site" / "public" / "_redirects").read_text() == (
        "/test-guide/duration /test-guide/results/ 301\n"
        "/test-guide/duration/ /test-guide/results/ 301\n"
        "/test-guide/duration/qr.png /test-guide/results/qr.png 301\n"
        "/test-guide/duration/qr.svg /test-guide/results/qr.svg 301\n"
    )


def test_a_draft_never_reaches_the_export(guide, tmp_path):
    guide.page("index")
    guide.page("secret", order=2, title="Secret draft", body="Unfinished words.\n", draft="true")
    publish()
    call_command("export_site", str(tmp_path / "site"))
    for path in (tmp_path / "site").rglob("*"):
        if path.is_file() and path.suffix not in {".gz", ".br", ".png"}:
            text = path.read_bytes()
            assert b"Secret draft" not in text and b"Unfinished words" not in text, path


def test_export_before_any_publish_says_what_to_do(guide, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Nothing has been published yet: run `manage.py publish` first."):
        call_command("export_site", str(tmp_path / "site"))


def test_hashed_static_files_are_cached_for_good_in_the_headers_file(published_site, tmp_path):
    hashed = tmp_path / "static" / "css" / "site.0123456789ab.css"
    hashed.parent.mkdir(parents=True)
    hashed.write_text("")
    (hashed.parent / "site.css").write_text("")
    rules = headers_file(tmp_path)
    forever = cloudflare_headers(rules, "/static/css/site.0123456789ab.css")
    assert forever["Cache-Control"] == "max-age=315360000, public, immutable"
    assert forever["X-Frame-Options"] == "DENY"
    assert cloudflare_headers(rules, "/static/css/site.css")["Cache-Control"] == "max-age=300, public"


def test_the_nginx_configuration_listens_where_asked_and_serves_the_export(published_site, tmp_path):
    call_command("export_site", str(tmp_path / "site"), "--port", "8123")
    conf = (tmp_path / "site" / "nginx.conf").read_text()
    assert "listen 127.0.0.1:8123;" in conf
    assert f'root "{tmp_path / "site" / "public"}";' in conf
    assert "error_page 404 /404.html;" in conf and "gzip_static on;" in conf


def test_export_with_the_preview_settings_says_which_settings_to_use(published_site, tmp_path, settings):
    from django.core.management.base import CommandError

    from botox_info.settings import dev

    settings.MIDDLEWARE = dev.MIDDLEWARE
    with pytest.raises(CommandError, match="run it with the production settings"):
        call_command("export_site", str(tmp_path / "site"))


def test_feedback_goes_to_the_application_and_the_admin_only_when_asked(published_site, tmp_path):
    from django.core.management.base import CommandError

    call_command("export_site", str(tmp_path / "plain"))
    call_command("export_site", str(tmp_path / "app"), "--app", "http://127.0.0.1:8000")
    call_command("export_site", str(tmp_path / "admin"), "--app", "http://127.0.0.1:8000", "--admin")
    plain, app, admin = ((tmp_path / name / "nginx.conf").read_text() for name in ("plain", "app", "admin"))
    assert "proxy_pass" not in plain and 'alias "' + str((tmp_path / "plain").resolve()) + '/no-feedback.html"' in plain
    assert "not collect feedback" in (tmp_path / "plain" / "no-feedback.html").read_text()
    assert "location ^~ /feedback/" in app and "proxy_pass http://127.0.0.1:8000;" in app
    assert "/admin/" not in app
    assert "location ^~ /admin/" in admin and "location ^~ /static/admin/" in admin
    # The release's files are the same bytes whichever way feedback is handled.
    files = [
        {path.relative_to(root): path.read_bytes() for path in root.rglob("*") if path.is_file()}
        for root in (tmp_path / name / "public" for name in ("plain", "app", "admin"))
    ]
    assert files[0] == files[1] == files[2]
    with pytest.raises(CommandError, match="--admin needs --app"):
        call_command("export_site", str(tmp_path / "x"), "--admin")
    with pytest.raises(CommandError, match="--app should be the application's address"):
        call_command("export_site", str(tmp_path / "x"), "--app", "http://127.0.0.1:8000/$uri")
