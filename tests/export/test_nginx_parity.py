"""nginx over the export answers every address as Django does: status, body and every header that matters.

A real nginx (the export's own nginx.conf) runs on a free port over an export
of a release; Django's test client is asked for the same addresses against the
same release. Without nginx these tests are skipped, except in CI (CI set),
where they fail: .ci/run installs it.
"""

import contextlib
import gzip
import http.client
import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import brotli
import pytest
from django.test import Client, override_settings

from articles.content.addresses import public_paths
from articles.export.export import export_site
from articles.publish.publishing import MANIFEST, current_release, publish, releases_dir
from articles.render.library import load_library
from tests.forked import manage_py

pytestmark = pytest.mark.server

COMPARED = [
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Cross-Origin-Resource-Policy",
    "Permissions-Policy",
    "X-Frame-Options",
    "Strict-Transport-Security",
    "Cache-Control",
    "Content-Type",
    "ETag",
    "Last-Modified",
    "Content-Encoding",
    "Vary",
    "Location",
    "Content-Disposition",
]
ENCODINGS = ["identity", "gzip", "br", "gzip, deflate, br"]
# Hashed names, as production's collectstatic writes them (the test settings keep plain names).
PRODUCTION_STORAGES = {"staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}


def require_nginx():
    if shutil.which("nginx"):
        return
    if os.environ.get("CI"):
        pytest.fail("nginx is not installed: .ci/run installs nginx and libnginx-mod-http-brotli-static")
    pytest.skip("nginx is not installed (apt-get install nginx libnginx-mod-http-brotli-static): parity not checked")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running_nginx(directory, port):
    """nginx with the export's own configuration, in the foreground; stopped (by its pid) after."""
    directory = Path(directory).resolve()
    log = directory / "logs" / "stderr.log"
    # pytest's temporary folders are private to their owner; nginx started as root
    # would read them as "nobody" otherwise.
    main = "daemon off;" + (" user root;" if os.geteuid() == 0 else "")
    with open(log, "w") as output:
        process = subprocess.Popen(
            ["nginx", "-p", str(directory), "-c", str(directory / "nginx.conf"), "-g", main],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 10
        while True:
            if process.poll() is not None:
                pytest.fail(f"nginx exited with code {process.returncode}: {log.read_text()}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if time.monotonic() > deadline:
                pytest.fail(f"nginx did not listen on port {port} within 10 s")
            time.sleep(0.05)
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


def export_and_serve(tmp_path):
    port = free_port()
    export_site(tmp_path / "export", port=port)
    return running_nginx(tmp_path / "export", port)


class Answer:
    def __init__(self, status, headers, raw):
        self.status, self.headers, self.raw = status, headers, raw

    @property
    def body(self):
        """The body as the visitor reads it, decompressed where it was sent compressed."""
        encoding = self.headers.get("Content-Encoding")
        return {"gzip": gzip.decompress, "br": brotli.decompress}.get(encoding, bytes)(self.raw)


def from_nginx(host, path, encoding):
    connection = http.client.HTTPConnection(host, timeout=10)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": encoding})
        response = connection.getresponse()
        return Answer(response.status, dict(response.getheaders()), response.read())
    finally:
        connection.close()


def from_django(path, encoding):
    response = Client().get(path, HTTP_ACCEPT_ENCODING=encoding)
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return Answer(response.status_code, dict(response.items()), raw)


def differences(host, path):
    """Every way nginx's answers to `path` differ from Django's, one line each (none: the same)."""
    found = []
    for encoding in ENCODINGS:
        theirs, ours = from_django(path, encoding), from_nginx(host, path, encoding)
        where = f"{path} (Accept-Encoding: {encoding})"
        if ours.status != theirs.status:
            found.append(f"{where}: status {ours.status} from nginx, {theirs.status} from Django")
        if ours.body != theirs.body:
            found.append(
                f"{where}: the body differs ({len(ours.body)} bytes from nginx, {len(theirs.body)} from Django)"
            )
        for name in COMPARED:
            expected = theirs.headers.get(name)
            if name == "ETag" and expected and ours.headers.get("Content-Encoding"):
                # WhiteNoise sends the uncompressed file's ETag with every encoding; nginx
                # gives each encoded copy its own, as strong validators should (RFC 9110, 8.8.3).
                expected = f'{expected.split("-")[0]}-{len(ours.raw):x}"'
            if ours.headers.get(name) != expected:
                found.append(f"{where}: {name} is {ours.headers.get(name)!r} from nginx, {expected!r} from Django")
    return found


def addresses_to_compare():
    """Every public address, the static files, every redirect (renamed pages, /x, /x/index.html), a 404."""
    release = releases_dir() / current_release()
    public = release / "public"
    paths = public_paths(load_library(drafts=False))
    paths += sorted(
        "/" + path.relative_to(public).as_posix()
        for path in (public / "static").rglob("*")
        if path.is_file() and path.suffix not in {".gz", ".br"}
    )
    paths += sorted(json.loads((release / MANIFEST).read_text())["redirects"])
    pages = [path for path in paths if path.endswith("/") and path != "/"]
    paths += [path.rstrip("/") for path in pages] + [path + "index.html" for path in pages] + ["/index.html"]
    paths += ["/no-such-page/", "/no-such-page", "/404.html", "/_redirects", "/_headers", "/static/no-such-file.css"]
    paths += ["/feedback", "/admin", "/static/admin"]
    # A compressed copy asked for by its own name: not a file of the site, from either.
    css = next(path for path in paths if path.startswith("/static/css/") and path.count(".") == 2)
    paths += ["/index.html.gz", "/botox-jaw-pain/benefits/index.html.br", f"{css}.gz"]
    return paths


@pytest.fixture(scope="module")
def real_site(tmp_path_factory):
    """The real content, published with hashed static names, exported, and served by nginx."""
    require_nginx()
    root = tmp_path_factory.mktemp("nginx-parity")
    with override_settings(RELEASES_DIR=root / "releases", STATIC_ROOT=root / "static", STORAGES=PRODUCTION_STORAGES):
        publish()
        with export_and_serve(root) as host:
            yield host


def test_nginx_answers_every_address_as_django_does(real_site):
    paths = addresses_to_compare()
    assert "/botox-jaw-pain/side-effects/" in paths and "/botox-jaw-pain/print/" in paths
    assert "/botox-jaw-pain/qr.png" in paths and "/sitemap.xml" in paths and "/robots.txt" in paths
    assert any(".css" in path and path.count(".") == 2 for path in paths), "a hashed static file"
    problems = [problem for path in paths for problem in differences(real_site, path)]
    assert not problems, "\n".join(problems)


def test_the_answers_compared_are_the_ones_that_matter(real_site):
    """The comparison above is not vacuous: nginx sends what the site needs."""
    page = from_nginx(real_site, "/botox-jaw-pain/benefits/", "br")
    assert page.status == 200 and page.headers["Content-Encoding"] == "br"
    assert b"<!doctype html>" in page.body
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    missing = from_nginx(real_site, "/no-such-page/", "gzip")
    assert missing.status == 404 and b"Page not found" in missing.body
    assert "Content-Encoding" not in missing.headers and "Cache-Control" not in missing.headers
    hashed = next(path for path in addresses_to_compare() if path.startswith("/static/css/") and path.count(".") == 2)
    assert from_nginx(real_site, hashed, "identity").headers["Cache-Control"].endswith("immutable")
    qr = from_nginx(real_site, "/botox-jaw-pain/benefits/qr.png", "identity")
    assert qr.headers["Content-Disposition"] == 'inline; filename="qr-botox-jaw-pain-benefits.png"'


def test_a_renamed_page_redirects_the_same_way_from_nginx(guide, tmp_path):
    require_nginx()
    guide.page("index")
    guide.page("results", order=2, former_slugs="[duration, how-long]")
    # Hashed static names, as the comparison expects (it passed alone only after real_site had run).
    with override_settings(STATIC_ROOT=tmp_path / "static", STORAGES=PRODUCTION_STORAGES):
        publish()
        with export_and_serve(tmp_path) as host:
            moved = from_nginx(host, "/test-guide/duration/", "identity")
            assert (moved.status, moved.headers["Location"], moved.raw) == (301, "/test-guide/results/", b"")
            paths = addresses_to_compare()
            assert "/test-guide/duration/" in paths and "/test-guide/how-long/" in paths
            problems = [problem for path in paths for problem in differences(host, path)]
    assert not problems, "\n".join(problems)


def post_feedback(host, body, **headers):
    connection = http.client.HTTPConnection(host, timeout=10)
    try:
        headers = {"Content-Type": "application/x-www-form-urlencoded", **headers}
        connection.request("POST", "/feedback/", body=body, headers=headers)
        response = connection.getresponse()
        return Answer(response.status, dict(response.getheaders()), response.read())
    finally:
        connection.close()


def test_an_export_without_the_application_says_it_collects_no_feedback(real_site):
    answer = post_feedback(real_site, "page=%2Fbotox-jaw-pain%2Fbenefits%2F&helpful=no")
    assert answer.status == 404
    assert b"This copy of the site does not collect feedback" in answer.body
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    assert from_nginx(real_site, "/admin/", "identity").status == 404


@contextlib.contextmanager
def export_behind_gunicorn(tmp_path, **settings):
    """The real content published and exported with --app, nginx over the export in front of a real
    gunicorn; yield (nginx's host, manage: `manage.py ARGUMENTS` with the same settings, its stdout)."""
    require_nginx()
    from scripts.harness import gunicorn, production_environment

    app_port, nginx_port = free_port(), free_port()
    environment = production_environment(
        app_port,
        RELEASES_DIR=tmp_path / "releases",
        GUNICORN_PIDFILE=tmp_path / "gunicorn.pid",
        SQLITE_PATH=tmp_path / "db.sqlite3",
        FORWARDED_ALLOW_IPS="127.0.0.1",
        **settings,
    )
    environment.pop("DATABASE_URL", None)

    def manage(*arguments):
        return manage_py(*arguments, environment=environment, check=True).stdout

    manage("publish")
    manage("migrate", "--verbosity", "0")
    manage("export_site", str(tmp_path / "export"), "--port", str(nginx_port), "--app", f"http://127.0.0.1:{app_port}")
    os.chmod(tmp_path, 0o755)
    with gunicorn(environment, tmp_path / "gunicorn.log"), running_nginx(tmp_path / "export", nginx_port) as host:
        yield host, manage


def test_feedback_goes_through_nginx_to_the_application(tmp_path):
    """nginx (`export_site --app URL`) in front of a real gunicorn: the form's post is stored, the answers come back."""
    with export_behind_gunicorn(tmp_path, WEB_CONCURRENCY=2) as (host, manage):
        sent = post_feedback(
            host,
            "page=%2Fbotox-jaw-pain%2Fbenefits%2F&helpful=no&comment=Through+nginx",
            **{"Origin": "null", "Sec-Fetch-Site": "same-origin"},
        )
        assert (sent.status, sent.headers["Location"]) == (303, "/feedback/thanks/botox-jaw-pain/benefits/")
        assert "Set-Cookie" not in sent.headers
        thanks = from_nginx(host, sent.headers["Location"], "identity")
        assert thanks.status == 200 and b"Thank you for your feedback" in thanks.body
        connection = http.client.HTTPConnection(host, timeout=10)
        connection.request("GET", sent.headers["Location"])
        headers = connection.getresponse().msg
        connection.close()
        for name in ("X-Content-Type-Options", "Content-Security-Policy", "Referrer-Policy", "Cache-Control"):
            assert len(headers.get_all(name)) == 1, f"{name} sent {headers.get_all(name)}"
        assert post_feedback(host, "helpful=no", Origin="https://evil.example").status == 403
        assert post_feedback(host, "x" * 100_000).status == 413  # nginx's own limit
        assert from_nginx(host, "/admin/", "identity").status == 404  # only with --admin
        bare = from_nginx(host, "/feedback", "identity")  # the application's 404, not a 301 of nginx's own
        assert bare.status == 404 and "Content-Security-Policy" in bare.headers
        health = from_nginx(host, "/healthz", "identity")  # the application's, for a balancer in front
        assert (health.status, json.loads(health.body)["status"]) == (200, "ok")
        assert from_nginx(host, "/botox-jaw-pain/benefits/", "identity").status == 200
    rows = json.loads(manage("dumpdata", "feedback.feedback"))
    assert [row["fields"]["comment"] for row in rows] == ["Through nginx"]


def test_behind_the_host_that_ends_tls_feedback_reaches_the_application_once(tmp_path):
    """The export listens on 127.0.0.1 behind the host's TLS: with HTTPS on, its X-Forwarded-Proto must
    reach the application, which else redirected every post to the same https address (a fresh helper's
    hostile review), and its X-Forwarded-For, which else made every visitor one for the rate limit."""
    with export_behind_gunicorn(tmp_path, DJANGO_HTTPS="true", WEB_CONCURRENCY=1) as (host, _):
        answers = [
            post_feedback(
                host,
                "page=%2Fbotox-jaw-pain%2Fbenefits%2F&helpful=yes",
                **{"X-Forwarded-Proto": "https", "X-Forwarded-For": f"203.0.113.{number}"},
            ).status
            for number in range(12)
        ]
    assert answers == [303] * 12, answers
