"""`make serve` (bin/serve) after a restart with a half-finished edit in content/: the site still starts.

Before, a refused publish stopped `make serve`, so the site was down although a
good release existed.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import urllib.request

import pytest

from articles.publish.publishing import current_release, publish
from scripts.harness import ROOT, wait_until_up


def port_in_range():
    for port in range(18100, 18150):  # this project's ports for test servers
        with socket.socket() as probe, contextlib.suppress(OSError):
            probe.bind(("127.0.0.1", port))
            return port
    raise AssertionError("no free port in 18100-18149")


def serve(settings, port):
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "botox_info.settings.test",
        "CONTENT_DIR": str(settings.CONTENT_DIR),
        "RELEASES_DIR": str(settings.RELEASES_DIR),
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
    }
    return subprocess.Popen(
        [sys.executable, "bin/serve"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def served_front_page(settings):
    """Start `make serve` (bin/serve), read the test guide's front page, stop it; (the page, stdout, stderr)."""
    port = port_in_range()
    server = serve(settings, port)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(url + "/", server)
        with urllib.request.urlopen(url + "/test-guide/", timeout=10) as response:
            assert response.status == 200
            page = response.read()
    finally:
        with contextlib.suppress(ProcessLookupError):  # it may have stopped by itself: its log says why
            os.killpg(server.pid, signal.SIGTERM)
        out, err = server.communicate(timeout=30)
    return page, out, err


@pytest.mark.server  # starts gunicorn
def test_a_broken_file_after_a_restart_serves_the_last_release_and_says_why(guide, settings):
    guide.page("index", title="Good front page")
    release = publish().release
    guide.page("benefits", order="three")  # the half-finished edit
    page, _, err = served_front_page(settings)
    assert b"Good front page" in page
    assert "content/test-guide/benefits.md, line 4: 'order' should be a whole number" in err
    assert (
        f"Publishing was refused (the problems are listed above), so the site serves the last release, {release}."
        in (err)
    )
    assert current_release() == release


def test_with_no_release_at_all_it_stops_and_says_so(guide, settings):
    guide.page("index", order="three")
    server = serve(settings, port_in_range())
    _, err = server.communicate(timeout=60)
    assert server.returncode == 1
    assert err.strip().endswith(
        "Not started: nothing has been published yet. Fix the problems above, then run `make serve` again."
    )


@pytest.mark.server  # starts gunicorn
def test_a_restart_after_a_rollback_serves_the_rolled_back_release_and_says_so(guide, settings):
    """bin/serve published first: restarting `make serve` after `make rollback` put back the release the
    editor had just undone (a fresh helper's hostile review)."""
    from articles.publish.publishing import rollback

    guide.page("index", title="Good front page")
    good = publish().release
    guide.page("index", title="Wrong title")
    publish()
    assert rollback().release == good
    page, out, _ = served_front_page(settings)
    assert b"Good front page" in page
    assert f"The site was rolled back to release {good}" in out
    assert current_release() == good
    guide.page("index", title="Fixed title")
    assert publish().release != good  # an editor's next publish goes ahead as ever


def test_any_publish_after_a_rollback_ends_it_even_one_that_changed_nothing(guide, capsys):
    """The rollback was told by the newest release being newer than the live one: a publish that changed
    nothing (the content put back as the live release has it) left that so, and make serve kept refusing
    to publish later edits (a fresh helper's review). A rollback now leaves a mark the next publish clears."""
    from django.core.management import call_command

    from articles.publish.publishing import rollback

    guide.page("index", title="Good front page")
    good = publish().release
    index = guide.page("index", title="Wrong title")
    publish()
    rollback()
    call_command("publish", "--unless-rolled-back")
    assert "was rolled back" in capsys.readouterr().out and current_release() == good
    guide.page("index", title="Good front page")
    call_command("publish")
    assert "Nothing changed" in capsys.readouterr().out
    index.write_text(index.read_text().replace("Good front page", "Edited later"))
    guide.evidence_for(index)
    call_command("publish", "--unless-rolled-back")
    assert "Published release" in capsys.readouterr().out and current_release() != good


def test_a_rollback_killed_after_its_switch_is_still_one(guide, monkeypatch):
    """The mark was written after the switch: a rollback killed between them was undone by the next make serve."""
    from django.core.management import call_command

    from articles.publish import publishing

    guide.page("index", title="Good front page")
    good = publish().release
    guide.page("index", title="Wrong title")
    publish()

    def killed(target):
        real_switch(target)
        raise KeyboardInterrupt  # kill -9 just after the switch

    real_switch = publishing.switch_to
    monkeypatch.setattr(publishing, "switch_to", killed)
    with pytest.raises(KeyboardInterrupt):
        publishing.rollback()
    monkeypatch.setattr(publishing, "switch_to", real_switch)
    call_command("publish", "--unless-rolled-back")
    assert current_release() == good
