"""Every page is valid HTML according to the Nu HTML Checker (vnu-jar from npm, run with Java)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.site_pages import HTML_PAGES

pytestmark = pytest.mark.server

VNU = Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def require_vnu():
    missing = [
        what for what, ok in (("Java", shutil.which("java")), ("vnu-jar (run 'npm ci')", VNU.exists())) if not ok
    ]
    if missing:
        message = f"The Nu HTML Checker needs {' and '.join(missing)}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def validate(files):
    """Run the checker once over all files; return its messages."""
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
    )
    return json.loads(result.stderr)["messages"]


def test_every_page_is_valid_html_and_the_same_run_catches_an_invalid_one(client, tmp_path):
    """One run of the checker (a Java start is 3 s) over every page and a broken control page: the
    control's errors show that the checker read the files, so the pages' silence means they are valid."""
    require_vnu()
    files = {}
    for url in [*HTML_PAGES, "/botox-jaw-pain/print/"]:
        path = tmp_path / (url.strip("/").replace("/", "_") or "home")
        path = path.with_suffix(".html")
        path.write_bytes(client.get(url).content)
        files[path.name] = url
    control = tmp_path / "control-broken.html"
    control.write_text(
        '<!doctype html><html lang="en"><title>x</title><p id="a">one<p id="a">two<img src="x.png"></html>'
    )
    messages = validate(sorted(tmp_path.glob("*.html")))
    caught = [message["message"] for message in messages if message.get("url", "").endswith(control.name)]
    assert any("Duplicate ID" in message for message in caught), messages
    assert any("alt" in message for message in caught), messages
    problems = [
        f"{files.get(message.get('url', '').rsplit('/', 1)[-1], message.get('url'))} "
        f"line {message.get('lastLine')}: {message['message']}"
        for message in messages
        if not message.get("url", "").endswith(control.name)
    ]
    assert problems == []
