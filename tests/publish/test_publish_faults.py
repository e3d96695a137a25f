"""Publishing under races, faults and restarts: one at a time, nothing left behind, success only for what is live.

Publishes and rollbacks run in processes of their own while this process keeps requesting
pages from the releases they switch: `manage.py publish` forked from this process for the
races and kills (tests/forked.py says why that is a process like any other), and started
as an editor starts it for what an editor reads (a full disk).
"""

import json
import os
import random
import re
import resource
import signal
import subprocess
import sys
import threading
import time
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import Client

from articles.publish.publishing import current_release, publish, releases_dir
from tests.forked import Forked

ROOT = Path(__file__).resolve().parents[2]
PAGES = ["/test-guide/", "/test-guide/results/", "/static/css/site.css", "/static/js/page.js"]


def environment():
    """A command's environment: the test's settings, content and releases folders."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "botox_info.settings.test",
        "CONTENT_DIR": str(settings.CONTENT_DIR),
        "RELEASES_DIR": str(settings.RELEASES_DIR),
    }


def publish_on_a_full_disk():
    """`python manage.py publish` started as an editor starts it, on the test's folders, with a file size
    limit smaller than a page (what a full disk looks like to the writer); (exit status, stdout, stderr)."""
    plain = {key: value for key, value in environment().items() if key != "PYTHONUNBUFFERED"}  # as an editor's

    def limited():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (4 * 1024, 4 * 1024))

    result = subprocess.run(
        [sys.executable, "manage.py", "publish"],
        cwd=ROOT,
        env=plain,
        capture_output=True,
        text=True,
        timeout=120,
        start_new_session=True,
        preexec_fn=limited,
    )
    return result.returncode, result.stdout, result.stderr


def publishes(*arguments, count=1):
    """`count` forked `manage.py publish *arguments`, each set up and waiting for `tell()`."""
    waiting = [Forked("publish", *arguments, environment=environment(), when_told=True) for _ in range(count)]
    for process in waiting:
        assert process.readline() == "ready\n"
    return waiting


def leftovers():
    if not releases_dir().exists():  # before the first publish
        return []
    return sorted(entry.name for entry in releases_dir().iterdir() if entry.name.startswith("."))


def assert_whole(release_id):
    """Every file the release's manifest lists is there, and its styles and scripts are not empty."""
    folder = releases_dir() / release_id
    manifest = json.loads((folder / "manifest.json").read_text())
    for address, name in manifest["files"].items():
        assert (folder / "public" / name).is_file(), f"{release_id} lacks {address}"
    for name in ("css/site.css", "js/page.js"):
        assert (folder / "public" / "static" / name).stat().st_size > 0, f"{release_id} lacks {name}"
    assert (folder / "404.html").is_file()


def page_text(path):
    return b"".join(Client().get(path).streaming_content).decode()


class Visitor(threading.Thread):
    """Asks for every page and asset, again and again, until stopped; keeps every answer that was not 200."""

    def __init__(self):
        super().__init__(daemon=True)
        self.stopped = threading.Event()
        self.failures = []
        self.requests = 0

    def run(self):
        client = Client()
        while not self.stopped.is_set():
            for path in PAGES:
                response = client.get(path)
                self.requests += 1
                if response.status_code != 200:
                    self.failures.append((path, response.status_code))
            # A breather between rounds (still a hundred rounds a second): without it this thread takes a
            # whole core from the publishes it watches, and a broken release lasts far longer than 5 ms.
            self.stopped.wait(0.005)

    def stop(self):
        self.stopped.set()
        self.join(timeout=30)
        return self.failures


def two_page_guide(guide, title="Round 0"):
    guide.page("index", title=title)
    return guide.page("results", order=2)


def test_concurrent_publishes_never_break_the_live_site(guide):
    index = guide.page("index", title="Round 0")
    guide.page("results", order=2)
    publish()
    rounds = [publishes(count=2) for _ in range(3)]  # forked before the visitor's thread starts
    visitor = Visitor()
    visitor.start()
    try:
        for round_number, pair in enumerate(rounds, start=1):
            index.write_text(index.read_text().replace(f"Round {round_number - 1}", f"Round {round_number}"))
            for process in pair:
                process.tell()
            results = [process.finish() for process in pair]
            live = current_release()
            said = sorted(
                re.search(r"(Published|Nothing changed:) release (\S+)", out).groups() for _, out, _ in results
            )
            assert [code for code, _, _ in results] == [0, 0], results
            assert said == [("Nothing changed:", live), ("Published", live)], results
            assert_whole(live)
            assert f"Round {round_number}" in page_text("/test-guide/")
            assert not leftovers()
    finally:
        failures = visitor.stop()
    assert visitor.requests > 0
    assert not failures, failures[:10]


def wait_for_a_build(process):
    """True once the publish is writing its build folder; False if it finished before one was seen
    (the render cache can make a publish that quick: the round then races less, but proves the same)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if any((releases_dir() / name).is_dir() for name in leftovers()):
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.01)
    raise AssertionError("the publish neither started building nor finished within 60 s")


def test_a_rollback_during_a_publish_waits_for_it_and_is_not_undone(guide):
    index = guide.page("index", title="Version 0")
    guide.page("results", order=2)
    publish()
    rounds = [(*publishes(), *publishes("--rollback")) for _ in range(2)]  # forked before the visitor starts
    visitor = Visitor()
    visitor.start()
    try:
        for number, (publishing, rolling_back) in enumerate(rounds, start=1):
            index.write_text(index.read_text().replace(f"Version {number - 1}", f"Version {number}"))
            publishing.tell()
            wait_for_a_build(publishing)
            rolling_back.tell()
            (published, out, _), (rolled, rolled_out, _) = publishing.finish(), rolling_back.finish()
            assert (published, rolled) == (0, 0)
            new = re.search(r"Published release (\S+)", out)[1]
            before, after = re.search(r"Rolled back from (\S+) to (\S+)\.", rolled_out).groups()
            # Whether the rollback had to wait depends on timing (the render cache makes a publish
            # quick); test_a_rollback_while_the_lock_is_held_waits_for_it proves the waiting itself.
            assert before == new  # the rollback came second, and undid the publish...
            assert current_release() == after  # ...and what it said is what is live
            assert_whole(after)
    finally:
        failures = visitor.stop()
    assert not failures, failures[:10]


def test_a_rollback_while_the_lock_is_held_waits_for_it(guide):
    from articles.publish.publishing import exclusive

    guide.page("index", title="Version 0")
    first = publish().release
    guide.page("index", title="Version 1")
    second = publish().release
    (rolling_back,) = publishes("--rollback")
    with exclusive(releases_dir()):  # as a publish in progress holds it
        rolling_back.tell()
        # It says so once it has found the lock held (and would wait 300 s if it said nothing).
        said = rolling_back.readline(timeout=60)
        assert said.startswith("Another publish or rollback is running: waiting for it to finish"), said
        time.sleep(0.25)  # a rollback that went ahead anyway (a link switched) would be done by now
        assert rolling_back.poll() is None, "the rollback did not wait for the lock"
        assert current_release() == second
    code, out, err = rolling_back.finish()
    assert code == 0, err
    assert current_release() == first


def told_to_start():
    """A forked publish, set up and then told to start; (the process, the moment it was told)."""
    (process,) = publishes()
    process.tell()
    return process, time.monotonic()


def test_kill_9_at_any_moment_leaves_nothing_that_a_good_publish_does_not_clear(guide):
    index = guide.page("index", title="Kill 0")
    guide.page("results", order=2)
    # How long a publish takes here, and how long its build folder is there: the kills below
    # are at moments within those spans, on a fast machine as on a slow one.
    process, started = told_to_start()
    wait_for_a_build(process)
    building = time.monotonic()
    while leftovers() and process.poll() is None:
        time.sleep(0.01)
    builds = time.monotonic() - building
    assert process.finish()[0] == 0
    lasts = time.monotonic() - started
    randomly = random.Random(17)
    for number in range(1, 5):
        index.write_text(index.read_text().replace(f"Kill {number - 1}", f"Kill {number}"))
        if number == 1:  # at any moment of the publish
            process, _ = told_to_start()
            time.sleep(randomly.uniform(0.0, lasts))
        else:  # while the release is being written
            process = Forked("publish", environment=environment())
            wait_for_a_build(process)
            time.sleep(randomly.uniform(0.0, builds))
        process.kill()
        assert_whole(current_release())  # the site never lost its release
    index.write_text(index.read_text().replace("Kill 4", "Good"))
    assert publish().release == current_release()
    assert not leftovers()
    assert_whole(current_release())
    assert "Good" in page_text("/test-guide/")


def test_a_full_disk_says_so_in_one_line_and_leaves_nothing_behind(guide):
    two_page_guide(guide, title="Before")
    first = publish().release
    two_page_guide(guide, title="After")
    code, out, err = publish_on_a_full_disk()
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert re.fullmatch(
        r"Not published: the disk is full \([\d.]+ MB free where releases are kept; a release needs about [\d.]+ MB\)\."
        rf" Nothing was left behind\. The site still serves release {re.escape(first)}\. "
        r"Free some space, then publish again\.",
        lines[0],
    ), lines[0]
    assert current_release() == first
    assert not leftovers()
    assert publish().release == current_release() != first  # with room again, a publish goes through
    assert not leftovers()


def test_a_change_to_redirects_alone_is_published(guide, capsys):
    index = guide.page("index")
    guide.page("results", order=2)
    call_command("publish")
    guide.page("results", order=2, former_slugs="[advantages]")
    call_command("publish")
    assert "Nothing changed" not in capsys.readouterr().out
    response = Client().get("/test-guide/advantages/")
    assert response.status_code == 301 and response["Location"] == "/test-guide/results/"
    assert index.exists()


def publish_command(*arguments):
    """`manage.py publish` run here (no process of its own): (exit code, what it printed)."""
    out = StringIO()
    try:
        call_command("publish", *arguments, stdout=out, stderr=out)
    except SystemExit as exit:
        return exit.code, out.getvalue()
    return 0, out.getvalue()


def test_publish_never_signals_the_process_a_pidfile_names(guide, settings, tmp_path):
    """A stale pidfile naming another process (here `sleep`): it must be alive afterwards."""
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        for pidfile in (releases_dir() / "gunicorn.pid", tmp_path / "gunicorn.pid"):
            pidfile.parent.mkdir(parents=True, exist_ok=True)
            pidfile.write_text(f"{sleeper.pid}\n")
        settings.GUNICORN_PIDFILE = tmp_path / "gunicorn.pid"
        guide.page("index", title="First")
        code, out = publish_command()
        assert code == 0, out
        guide.page("index", title="Second")
        assert publish_command()[0] == 0
        assert publish_command("--rollback")[0] == 0
        time.sleep(0.2)
        assert sleeper.poll() is None, "publish signalled a process that is not this site's server"
        assert "reload" not in out
    finally:
        sleeper.kill()
        sleeper.wait()


def test_a_pidfile_with_garbage_in_it_does_not_stop_a_publish(guide):
    releases_dir().mkdir(parents=True)
    (releases_dir() / "gunicorn.pid").write_bytes(b"\xff\x00not a pid\n")
    guide.page("index")
    code, out = publish_command()
    assert code == 0 and "Published release" in out, out
