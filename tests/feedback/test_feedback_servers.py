"""Hostile feedback against a real gunicorn with several workers, on SQLite and on a real PostgreSQL.

Each answer is a clear 4xx page or a clean stored text, never a 5xx; the rate
limit holds across workers; the pages keep being served throughout.
"""

import concurrent.futures
import http.client
import json
import time
from urllib.parse import quote, urlsplit

import pytest

from scripts.harness import free_port, gunicorn, production_environment
from tests.forked import Forked, manage_py

pytestmark = pytest.mark.server

PAGE = "/botox-jaw-pain/benefits/"
WORKERS = 3


def manage(environment, *arguments):
    return manage_py(*arguments, environment=environment, check=True).stdout


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def app(request, tmp_path_factory):
    """(base URL, environment, log) of gunicorn with WORKERS workers over the published site and a fresh database."""
    workdir = tmp_path_factory.mktemp(f"feedback-{request.param}")
    port = free_port()
    environment = production_environment(
        port,
        RELEASES_DIR=workdir / "releases",
        GUNICORN_PIDFILE=workdir / "gunicorn.pid",
        WEB_CONCURRENCY=WORKERS,
        FORWARDED_ALLOW_IPS="127.0.0.1",  # so that each test can be its own client (X-Forwarded-For)
        SQLITE_PATH=workdir / "db.sqlite3",
    )
    environment.pop("DATABASE_URL", None)
    if request.param == "postgresql":
        environment["DATABASE_URL"] = request.getfixturevalue("postgresql_url")
    # Publishing and migrating do not touch each other's files: both at once.
    publishing = Forked("publish", environment=environment)
    try:
        manage(environment, "migrate", "--verbosity", "0")
    finally:
        code, out, err = publishing.finish()
        assert code == 0, out + err
    log = workdir / "gunicorn.log"
    with gunicorn(environment, log) as (url, _):
        yield url, environment, log
    assert "Traceback" not in log.read_text()


def request(url, method, path, body=b"", headers=None):
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace"), dict(response.getheaders())
    finally:
        connection.close()


def send(url, body, client, **headers):
    """POST the form as Chromium sends it from the site's own page, from the client at address `client`."""
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": "null",
        "Sec-Fetch-Site": "same-origin",
        "X-Forwarded-For": client,
        **headers,
    }
    return request(url, "POST", "/feedback/", body if isinstance(body, bytes) else body.encode(), headers)


def form(comment, helpful="no", page=PAGE):
    return f"page={quote(page)}&helpful={helpful}&comment={quote(comment)}"


def stored(environment):
    return {row["fields"]["comment"] for row in json.loads(manage(environment, "dumpdata", "feedback.feedback"))}


def page_still_serves(url):
    status, text, headers = request(url, "GET", PAGE)
    assert status == 200 and "Was this page helpful?" in text and "Set-Cookie" not in headers


REFUSED = {
    "100 KB body": (413, form("x" * 100_000), {}),
    "cross-site Origin": (
        403,
        form("from elsewhere"),
        {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"},
    ),
    "unknown page": (400, form("lost", page="/botox-jaw-pain/no-such-page/"), {}),
    "honeypot": (400, form("spam") + "&website=http%3A%2F%2Fspam.example", {}),
}


@pytest.mark.parametrize("case", REFUSED, ids=REFUSED)
def test_hostile_posts_get_a_clear_4xx(app, case):
    url, environment, _ = app
    status, body, headers = REFUSED[case]
    answer, text, sent = send(url, body, f"198.51.100.{list(REFUSED).index(case) + 1}", **headers)
    assert answer == status
    assert "Your feedback was not sent" in text and "Set-Cookie" not in sent
    assert not stored(environment) & {"x" * 100_000, "from elsewhere", "lost", "spam"}
    page_still_serves(url)


STORED_CLEAN = {
    "HTML and a formula": (
        form('<img src=x onerror=alert(1)> =HYPERLINK("http://evil.example","Click")'),
        '<img src=x onerror=alert(1)> =HYPERLINK("http://evil.example","Click")',
    ),
    # Bad escapes become U+FFFD; a raw byte that is not UTF-8 makes Django read the body as Latin-1.
    "invalid UTF-8": (
        b"page=" + quote(PAGE).encode() + b"&helpful=no&comment=bad+%FF%C3+bytes+\xff",
        "bad \ufffd\ufffd bytes \xff",
    ),
    "NUL and direction characters": (form("nul\x00 here \u202eevil\u202c \u2067x\u2069 done"), "nul here evil x done"),
}


@pytest.mark.parametrize("case", STORED_CLEAN, ids=STORED_CLEAN)
def test_hostile_text_is_stored_clean(app, case):
    url, environment, _ = app
    body, expected = STORED_CLEAN[case]
    status, _, headers = send(url, body, f"203.0.113.{list(STORED_CLEAN).index(case) + 1}")
    assert status == 303 and headers["Location"] == "/feedback/thanks" + PAGE
    assert expected in stored(environment)
    page_still_serves(url)


def test_fifty_posts_in_a_minute_from_one_client_across_workers(app):
    url, environment, _ = app
    for client in ("192.0.2.50", "192.0.2.52"):
        before = len(json.loads(manage(environment, "dumpdata", "feedback.feedback")))
        minute = time.time() // 60
        # Ten at a time: each connection is a sync worker's whole attention, so they spread over all workers.
        with concurrent.futures.ThreadPoolExecutor(10) as pool:
            answers = list(pool.map(lambda n, client=client: send(url, form(f"flood {n}"), client)[0], range(50)))
            pages = [request(url, "GET", PAGE)[0] for _ in range(5)]
        if time.time() // 60 == minute:
            break  # all fifty within one minute of the limit's clock
        # They spanned two of the limit's minutes: again from another client, early in this minute
        # (they take a second or two), rather than waiting for a new minute before every run.
    else:
        pytest.fail("both floods of fifty posts spanned two of the limit's minutes")
    assert sorted(answers) == [303] * 10 + [429] * 40
    assert pages == [200] * 5
    assert len(json.loads(manage(environment, "dumpdata", "feedback.feedback"))) == before + 10
    # Another client is not held back.
    assert send(url, form("someone else"), "192.0.2.51")[0] == 303
    # The limit keeps no address: only keyed hashes, for a minute or two.
    buckets = json.loads(manage(environment, "dumpdata", "feedback.ratebucket"))
    assert buckets and not any("192.0.2" in json.dumps(bucket) for bucket in buckets)
