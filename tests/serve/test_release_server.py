"""The published site under a real gunicorn with several workers: what publishing promises, end to end.

Hostile content files make `manage.py publish` exit 1 in seconds, naming each file with its
problem, while every worker keeps serving the previous release byte for byte: straight away,
after a SIGHUP, and after a full restart. A good edit is served by every worker on
the next request. Nothing a request carries changes what another visitor gets.
"""

import os
import shutil
import signal
import time
import urllib.request

import pytest

from scripts.harness import ROOT, free_port, gunicorn, production_environment, worker_pids
from tests.forked import manage_py
from tests.site_pages import PUBLISHED

pytestmark = pytest.mark.server

FRONT = "---\ntitle: Odd\nsummary: Odd.\norder: 9\nnext_review_due: 2027-01-01\n---\n"
PAGES = [path for path in PUBLISHED if path.endswith("/")]


def write(name, text):
    def make(guide):
        (guide / name).write_text(text)

    return make


def write_huge(guide):
    with open(guide / "huge.md", "w") as file:
        file.write(FRONT + "word " * 10_000_000)


# case: (the file named, how to make it, what the editor is told about it)
HOSTILE = {
    "12000 [": ("brackets.md", write("brackets.md", FRONT + "[" * 12_000), "took more than 2 seconds to read"),
    "10000 ![": ("images.md", write("images.md", FRONT + "![" * 10_000), "took more than 2 seconds to read"),
    # Each "- " opens a list inside the item before: a thousand levels in 2 KB, under the size limit.
    "1000-level list": ("nested.md", write("nested.md", FRONT + "- " * 1000 + "x\n"), "is nested too deeply to read"),
    "50 MB": ("huge.md", write_huge, "is larger than 256 KB"),
    "symlink loop": ("loop.md", lambda guide: os.symlink("loop.md", guide / "loop.md"), "is a link"),
    "FIFO": ("fifo.md", lambda guide: os.mkfifo(guide / "fifo.md"), "is not a plain file"),
    "link to /dev/zero": ("zero.md", lambda guide: os.symlink("/dev/zero", guide / "zero.md"), "is a link"),
    "broken front matter": (
        "benefits.md",
        write("benefits.md", "---\ntitle: [oops\n---\nText.\n"),
        "the front matter is not valid YAML",
    ),
    "broken guide.yaml": ("guide.yaml", write("guide.yaml", "title: [oops\n"), "the front matter is not valid YAML"),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("served")
    content = workdir / "content"
    shutil.copytree(ROOT / "content", content)
    port = free_port()
    environment = production_environment(
        port,
        CONTENT_DIR=content,
        RELEASES_DIR=workdir / "releases",
        GUNICORN_PIDFILE=workdir / "gunicorn.pid",
        WEB_CONCURRENCY=3,
        CONTENT_RENDER_SECONDS=2,
    )
    environment["SITE_URL"] = "https://guide.example.org"  # the same links whatever port the test uses
    assert publish(environment).returncode == 0
    return workdir, content, environment


def publish(environment):
    return manage_py("publish", environment=environment)


def fetch(url, path, headers=None):
    request = urllib.request.Request(url + path, headers={"Host": "127.0.0.1", **(headers or {})})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def snapshot(url, rounds=3):
    """Every page, asked several times so that every worker answers; all answers must agree."""
    taken = {}
    for path in PAGES:
        bodies = {fetch(url, path) for _ in range(rounds)}
        assert len(bodies) == 1, f"workers disagree on {path}"
        taken[path] = bodies.pop()
    return taken


def wait_for_new_workers(master, old):
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        current = worker_pids(master.pid)
        if len(current) == 3 and not set(current) & set(old):
            return
        time.sleep(0.1)
    raise AssertionError("gunicorn did not replace its workers after SIGHUP")


def test_hostile_files_are_refused_and_every_worker_keeps_the_release(site):
    workdir, content, environment = site
    guide = content / "botox-jaw-pain"
    originals = {path.name: path.read_bytes() for path in guide.iterdir()}
    # Every file at once (a publish names every problem it finds), but guide.yaml alone: a guide
    # whose guide.yaml is broken is left out whole, and its pages' problems with it.
    together = [case for case in HOSTILE if HOSTILE[case][0] != "guide.yaml"]
    with gunicorn(environment, workdir / "gunicorn.log") as (url, master):
        before = snapshot(url)
        for cases in (together, [case for case in HOSTILE if case not in together]):
            for case in cases:
                HOSTILE[case][1](guide)
            started = time.monotonic()
            result = publish(environment)
            elapsed = time.monotonic() - started
            for path in guide.iterdir():
                if path.name not in originals:
                    path.unlink()
                elif path.read_bytes() != originals[path.name]:
                    path.write_bytes(originals[path.name])
            assert result.returncode == 1, cases
            for case in cases:
                name, _, says = HOSTILE[case]
                named = [line for line in result.stderr.splitlines() if f"botox-jaw-pain/{name}" in line]
                assert any(says in line for line in named), f"{case}: {result.stderr}"
            assert "Not published" in result.stderr, cases
            assert elapsed < 15, f"{cases}: publish took {elapsed:.1f} s"
            assert snapshot(url, rounds=1) == before, cases
        assert snapshot(url) == before
        old = worker_pids(master.pid)
        master.send_signal(signal.SIGHUP)
        wait_for_new_workers(master, old)
        assert snapshot(url) == before
    with gunicorn(environment, workdir / "gunicorn.log") as (url, master):
        assert snapshot(url) == before


def test_a_good_edit_is_served_by_every_worker_on_the_next_request(site):
    """The workers serve the old page; after the publish the same workers, none restarted and
    no signal sent, serve the new one."""
    workdir, content, environment = site
    page = content / "botox-jaw-pain" / "benefits.md"
    original = page.read_text()
    with gunicorn(environment, workdir / "gunicorn.log") as (url, master):
        workers = sorted(worker_pids(master.pid))
        before = [fetch(url, "/botox-jaw-pain/benefits/") for _ in range(12)]
        assert all(b'page-header__page">Benefits</span></h1>' in body for body in before)
        page.write_text(original.replace("title: Benefits", "title: Benefits for you"))
        try:
            assert publish(environment).returncode == 0
        finally:
            page.write_text(original)
        bodies = [fetch(url, "/botox-jaw-pain/benefits/") for _ in range(12)]
        assert all(b'page-header__page">Benefits for you</span></h1>' in body for body in bodies)
        assert sorted(worker_pids(master.pid)) == workers
        assert publish(environment).returncode == 0


HEADERS = [
    {"SCRIPT_NAME": "/gone"},
    {"X-Forwarded-Host": "evil.example"},
    {"X-Forwarded-Prefix": "/gone"},
    {"Forwarded": "host=evil.example;proto=http"},
    {"X-Forwarded-Proto": "http", "X-Forwarded-For": "10.0.0.1"},
]


def test_request_headers_change_no_byte_that_another_visitor_gets(site):
    workdir, content, environment = site
    with gunicorn(environment, workdir / "gunicorn.log") as (url, master):
        before = snapshot(url, rounds=1)
        for number, headers in enumerate(HEADERS * 4):
            for path in PAGES:
                body = fetch(url, f"{path}?n={number}", headers)
                assert body == before[path], f"{path} with {headers}"
        assert snapshot(url) == before
