"""The production setup of deploy/ (gunicorn behind the nginx site) on this machine: it serves the
release with gunicorn's headers, answers the health check, and holds slow clients."""

import contextlib
import gzip
import http.client
import json
import sqlite3
import time
from urllib.parse import urlsplit

import brotli
import pytest

from scripts.slow_clients import SlowClients, timed_get
from tests.deploy.servers import production_setup

pytestmark = pytest.mark.server

PAGE = "/botox-jaw-pain/benefits/"
COMPARED = [
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "Cross-Origin-Resource-Policy",
    "Permissions-Policy",
    "X-Frame-Options",
    "Cache-Control",
    "Content-Type",
    "Content-Encoding",
    "Vary",
    "Location",
    "Content-Disposition",
    "Allow",
]


@pytest.fixture(scope="module")
def production():
    with production_setup() as urls:
        yield urls


def get(url, path, encoding="identity", method="GET", **headers):
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(method, path, headers={"Accept-Encoding": encoding, "Host": "127.0.0.1", **headers})
        response = connection.getresponse()
        raw = response.read()
        names = [name.lower() for name, _ in response.getheaders()]
        twice = sorted({name for name in names if names.count(name) > 1 and name != "set-cookie"})
        assert not twice, f"{path}: {twice} sent twice: {response.getheaders()}"
        body = {"gzip": gzip.decompress, "br": brotli.decompress}.get(response.getheader("Content-Encoding"), bytes)(
            raw
        )
        return response.status, dict(response.getheaders()), body
    finally:
        connection.close()


def static_file(workdir):
    public = workdir / "releases" / "current" / "public"
    css = next(path for path in (public / "static").rglob("*.css") if path.name.count(".") == 2)
    return "/" + css.relative_to(public).as_posix()


def test_nginx_answers_as_gunicorn_does(production):
    nginx, gunicorn, workdir = production
    paths = ["/", PAGE, "/botox-jaw-pain/print/", "/botox-jaw-pain/qr.svg", "/botox-jaw-pain/benefits/qr.png"]
    paths += [static_file(workdir), "/sitemap.xml", "/robots.txt", "/no-such-page/", "/botox-jaw-pain"]
    paths += ["/botox-jaw-pain/index.html", "/healthz", "/index.html.gz", "/botox-jaw-pain/benefits/index.html.br"]
    paths += [static_file(workdir) + ".gz"]  # copies asked for by their own names: not files of the site
    paths += ["/about", "/static", "/static/css"]  # folders without their slash
    paths += ["/feedback", "/admin", "/static/admin"]  # the application's too: nginx had its own 301
    problems = []
    for path in paths:
        for encoding in ("identity", "gzip", "br"):
            ours, theirs = get(nginx, path, encoding), get(gunicorn, path, encoding)
            if (ours[0], ours[2]) != (theirs[0], theirs[2]):
                problems.append(
                    f"{path} ({encoding}): status {ours[0]} / {theirs[0]}, bodies differ: {ours[2] != theirs[2]}"
                )
            problems += [
                f"{path} ({encoding}): {name} {ours[1].get(name)!r} from nginx, {theirs[1].get(name)!r} from gunicorn"
                for name in COMPARED
                if ours[1].get(name) != theirs[1].get(name)
            ]
    for path in (PAGE, "/", static_file(workdir)):  # a POST to a file: gunicorn's 405, naming what is allowed
        ours, theirs = get(nginx, path, method="POST"), get(gunicorn, path, method="POST")
        if ours[0] != theirs[0] or ours[1].get("Allow") != theirs[1].get("Allow"):
            problems.append(f"POST {path}: {ours[0]} {ours[1].get('Allow')!r} / {theirs[0]} {theirs[1].get('Allow')!r}")
    assert not problems, "\n".join(problems)


def test_nginx_serves_the_release_itself(production):
    nginx, gunicorn, workdir = production
    access_log = workdir / "gunicorn.log"
    before = access_log.read_text()
    status, headers, body = get(nginx, PAGE, "br")
    assert status == 200 and headers["Content-Encoding"] == "br" and b'page-header__page">Benefits</span>' in body
    assert headers.get("Server") == "nginx"  # not proxied: gunicorn names itself
    get(nginx, "/healthz")
    deadline = time.monotonic() + 5  # gunicorn writes its access log line just after answering
    while '"GET /healthz ' not in (logged := access_log.read_text()[len(before) :]) and time.monotonic() < deadline:
        time.sleep(0.05)
    # The health check reached gunicorn; the page did not. (Counting every line would also count
    # late log lines of an earlier test's requests, which gunicorn writes just after answering.)
    assert '"GET /healthz ' in logged
    assert f'"GET {PAGE} ' not in logged and f'"GET {PAGE}?' not in logged


def test_health_through_nginx_names_the_live_release(production):
    nginx, gunicorn, workdir = production
    status, headers, body = get(nginx, "/healthz")
    live = (workdir / "releases" / "current").readlink().name
    assert (status, json.loads(body)) == (200, {"status": "ok", "release": live})
    assert headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in headers


def test_200_slow_clients_on_nginx_leave_the_site_answering(production):
    nginx, gunicorn, workdir = production
    port = urlsplit(nginx).port
    with SlowClients(port, 200, seconds=20) as clients:
        for path in (PAGE, "/healthz"):  # a file nginx serves, and an address gunicorn answers
            status, _ = timed_get(port, path, timeout=1.0)
            assert status == 200
        assert clients.still_open() == 200  # they were still holding their connections


def post_answer(url, **headers):
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(
            "POST",
            "/feedback/",
            body=f"page={PAGE}&helpful=yes&comment=&website=",
            headers={"Host": "127.0.0.1", "Content-Type": "application/x-www-form-urlencoded", **headers},
        )
        response = connection.getresponse()
        response.read()
        return response
    finally:
        connection.close()


def test_behind_a_balancer_that_ends_tls_nothing_loops_and_each_visitor_is_told_apart():
    """nginx_site --proxy: the balancer's X-Forwarded-Proto and -For reach gunicorn. nginx put its own
    'http' in their place: with HTTPS on, every answer of gunicorn was a redirect to the same https
    address, and all visitors shared the balancer's rate limit (a fresh helper's hostile review)."""
    with production_setup(proxy="127.0.0.1", https=True) as (nginx, gunicorn, workdir):
        status, headers, body = get(nginx, "/no-such-page/", **{"X-Forwarded-Proto": "https"})
        assert status == 404 and b"Page not found" in body, headers
        status, headers, _ = get(nginx, "/no-such-page/")  # plain HTTP at the balancer: on to https
        assert (status, headers["Location"]) == (301, "https://127.0.0.1/no-such-page/")
        answers = [
            post_answer(nginx, **{"X-Forwarded-Proto": "https", "X-Forwarded-For": f"203.0.113.{number}"}).status
            for number in range(12)
        ]
        assert answers == [303] * 12, answers  # twelve visitors, none over the limit of one
        one = [
            post_answer(nginx, **{"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.99"}).status
            for _ in range(12)
        ]
        assert 429 in one  # one visitor still has the limit


def test_a_visitor_who_is_not_the_balancer_is_not_believed():
    """The same site with another balancer's address: from here, a claim of https or of another address
    is ignored (the test above would pass if nginx believed everyone)."""
    with production_setup(proxy="127.0.0.2", https=True) as (nginx, gunicorn, workdir):
        status, headers, _ = get(nginx, "/no-such-page/", **{"X-Forwarded-Proto": "https"})
        assert (status, headers["Location"]) == (301, "https://127.0.0.1/no-such-page/")
        claimed = [
            post_answer(nginx, **{"X-Forwarded-Proto": "https", "X-Forwarded-For": f"203.0.113.{number}"}).status
            for number in range(12)
        ]
        assert 303 not in claimed  # redirected to https, as any plain-HTTP visitor
    with production_setup(proxy="127.0.0.2") as (nginx, gunicorn, workdir):  # plain HTTP: the answers get through
        claimed = [post_answer(nginx, **{"X-Forwarded-For": f"203.0.113.{number}"}).status for number in range(12)]
        assert 429 in claimed, claimed  # twelve "visitors" who are one, and the limit holds


def test_a_patients_answer_through_nginx_is_stored(production):
    """The unit makes the feedback database before gunicorn starts (ExecStartPre): an answer sent
    through nginx is kept and thanked for, not lost to a missing table."""
    nginx, gunicorn, workdir = production
    response = post_answer(nginx)
    assert response.status == 303, (workdir / "gunicorn.log").read_text()[-3000:]
    assert response.getheader("Location").startswith("/feedback/thanks")
    with contextlib.closing(sqlite3.connect(workdir / "db" / "feedback.sqlite3")) as database:
        assert database.execute("SELECT helpful, page FROM feedback_feedback").fetchall() == [(1, PAGE)]
