"""Shared fixtures: a temporary content folder with a small valid guide."""

import textwrap
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test.testcases import LiveServerThread

from articles import content

from .browser import require_chromium, start_chromium

GUIDE_YAML = """\
title: Test guide
summary: A guide used by the tests.
audience: Testers
about: Testing
"""

FRONT = {
    "title": "A page",
    "summary": "What the page is about.",
    "order": 1,
    "last_reviewed": "2026-01-01",
    "next_review_due": "2027-01-01",
}


class Guide:
    """Writes content files into a temporary guide folder."""

    def __init__(self, root, slug="test-guide"):
        self.root = Path(root)
        self.folder = self.root / slug
        self.folder.mkdir(parents=True)
        (self.folder / "guide.yaml").write_text(GUIDE_YAML)

    def page(self, name, body="Some text.\n", **front):
        """Write `name`.md with the default front matter, overridden by `front`."""
        fields = {**FRONT, **front}
        lines = [f"{key}: {value}" for key, value in fields.items() if value is not None]
        return self.raw(name, "---\n" + "\n".join(lines) + "\n---\n" + textwrap.dedent(body))

    def raw(self, name, text):
        path = self.folder / f"{name}.md"
        path.write_text(text)
        return path


@pytest.fixture
def guide(tmp_path, settings):
    """A guide folder in a temporary content folder that the site serves."""
    settings.CONTENT_DIR = tmp_path / "content"
    settings.BASE_DIR = tmp_path
    return Guide(settings.CONTENT_DIR)


@pytest.fixture(autouse=True)
def fresh_store():
    """Each test loads content from scratch."""
    content._store = None
    yield
    content._store = None


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run."""
    require_chromium()
    driver = start_chromium()
    yield driver
    driver.quit()


@pytest.fixture(scope="session")
def site_server():
    """The site on a real port, for the browser.

    pytest-django's live_server always asks for a test database, and this site has
    none; Django's own LiveServerThread needs none. WhiteNoise serves the static files.
    """
    thread = LiveServerThread("127.0.0.1", static_handler=lambda handler: handler, connections_override={}, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield SimpleNamespace(url=f"http://127.0.0.1:{thread.port}")
    thread.terminate()
