"""Shared fixtures: a temporary content folder with a small valid guide."""

import gc
import json
import shutil
import subprocess
import textwrap
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from _pytest.pathlib import cleanup_candidates, create_cleanup_lock, get_lock_path
from django.conf import settings as django_settings
from django.http import HttpResponse
from django.test import Client, override_settings
from django.test.testcases import LiveServerThread

from articles.content.problems import ContentError
from articles.publish.publishing import publish

from .browser import require_chromium, start_chromium
from .forked import stop_leftovers


def pytest_sessionstart(session):
    """Remove the test folders of runs before the last few now, in the background (`rm -rf`, 0.5 s).

    pytest keeps the folders of the last `tmp_path_retention_count` runs and removes older ones after
    the last test, one file at a time: 2 s at the end of every run, with nothing else running. These
    are the folders it would remove, chosen and locked by its own functions (_pytest.pathlib), so that
    of two sessions starting at once only one takes each; a folder still locked is left to pytest.
    """
    config = session.config
    if hasattr(config, "workerinput") or config.option.basetemp is not None:
        return  # an xdist worker (the main process does it), or a folder given by hand (pytest clears it)
    keep = int(config.getini("tmp_path_retention_count"))
    if config.getini("tmp_path_retention_policy") == "none" or keep == 0:
        return
    current = config._tmp_path_factory.getbasetemp()  # .../pytest-of-<user>/pytest-<number>
    removing = []
    for folder in cleanup_candidates(current.parent, "pytest-", keep):
        if folder == current or folder.is_symlink() or not folder.is_dir() or get_lock_path(folder).exists():
            continue
        try:
            lock = create_cleanup_lock(folder)  # fails if another session took it first
        except OSError:
            continue
        garbage = folder.with_name(f"garbage-{uuid.uuid4()}")  # pytest's own name for a folder being removed
        try:
            folder.rename(garbage)
        except OSError:
            lock.unlink(missing_ok=True)  # as pytest does: a folder it could not take stays removable
            continue
        removing.append(garbage)
    if removing:
        subprocess.Popen(["rm", "-rf", *removing], start_new_session=True)


def pytest_collection_finish(session):
    """What the tests were collected with (Django, pytest, the test modules: about 170,000 objects)
    lives to the end: frozen, the garbage collector stops searching it for cycles, and forked
    children (a content load, a publish's workers) stop copying the pages it would touch. A
    collection every 10,000 new objects instead of 700. A quick run's processor time spent
    collecting garbage: 2.7 s before, 1.2 s after (measured with gc.callbacks). gc.get_objects() no
    longer lists the frozen objects: a test counting objects must count those made after."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """The run is over and this process (a worker, or the one that started them) ends: Python's
    exit would search each of its objects for cycles once more, a third of a second a worker at
    the end of every run with nothing else to do. Frozen, they are left to the operating system."""
    gc.freeze()


@pytest.fixture(autouse=True)
def no_command_outlives_its_test():
    """A command a test started (tests/forked.py) and did not see to its end is killed with the test."""
    yield
    stop_leftovers()


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
    "next_review_due": "2027-01-01",
}


# (guide folder, file name, text, size limit) -> the log Guide.evidence_for writes: many tests write the same page.
_EVIDENCE_LOGS = {}


def _evidence_log(path):
    """Each distinct sentence of the page at `path` a 'note'; None if the page does not load."""
    from articles.checks.evidence import page_sentences
    from articles.render.pages import load_page

    try:
        page = load_page(path)
    except (ContentError, RecursionError):
        return None
    # One record per distinct sentence (a sentence said twice needs one record).
    unique = dict.fromkeys(sentence for sentence, _ in page_sentences(page))
    return "".join(f"- sentence: {json.dumps(sentence)}\n  no_claim: note\n" for sentence in unique) or "[]\n"


class Guide:
    """Writes content files into a temporary guide folder."""

    def __init__(self, root, slug="test-guide"):
        self.root = Path(root)
        self.folder = self.root / slug
        self.folder.mkdir(parents=True)
        (self.folder / "guide.yaml").write_text(GUIDE_YAML)

    def page(self, name, body="Some text.\n", evidence=True, **front):
        """Write `name`.md with the default front matter, overridden by `front`, and its evidence log."""
        fields = {**FRONT, **front}
        lines = [f"{key}: {value}" for key, value in fields.items() if value is not None]
        return self.raw(name, "---\n" + "\n".join(lines) + "\n---\n" + textwrap.dedent(body), evidence)

    def raw(self, name, text, evidence=True):
        """Write `name`.md; with `evidence`, also a log marking each sentence of a page that loads."""
        path = self.folder / f"{name}.md"
        path.write_text(text)
        if evidence:
            self.evidence_for(path)
        return path

    def evidence_for(self, path):
        """Write the page's evidence log: each sentence a 'note' (these tests are not about evidence)."""
        from articles.content.reviews import evidence_path

        # All the page's sentences depend on, and the size limit, which decides whether it loads.
        key = (path.parent.name, path.name, path.read_text(), django_settings.CONTENT_MAX_BYTES)
        log = _EVIDENCE_LOGS.get(key) or _evidence_log(path)
        if log is None:  # not remembered: whether a page loads can depend on more than its text
            return None
        _EVIDENCE_LOGS[key] = log
        evidence_path(path).write_text(log)
        return evidence_path(path)

    def signed_off(self, name, date, reviewer="Dr Ann Example", role="Dentist", old=False):
        """Record a sign-off of `name`.md as it is now, dated `date` (the command always dates it today): of
        what the page shows, as `make signoff` writes it; with `old`, of its file and evidence log only, as
        sign-offs made before 2 December 2026 were."""
        from articles.content.reviews import HEADER, evidence_path, fingerprint, signoff_entry
        from articles.render.pages import load_page

        page = self.folder / f"{name}.md"
        evidence = evidence_path(page)
        if old:
            text = fingerprint(page.read_text(), evidence.read_text() if evidence.exists() else None)
        else:
            text = load_page(page).review_hash  # the tests that use this show no clinic's advice
        reviews = self.folder / "reviews.yaml"
        before = reviews.read_text() if reviews.exists() else HEADER
        reviews.write_text(before + signoff_entry(name, reviewer, role, "", date, text))


@pytest.fixture
def guide(tmp_path, settings):
    """A guide folder in a temporary content folder, published to a temporary releases folder."""
    settings.CONTENT_DIR = tmp_path / "content"
    settings.BASE_DIR = tmp_path
    settings.RELEASES_DIR = tmp_path / "releases"
    return Guide(settings.CONTENT_DIR)


@pytest.fixture(scope="session", autouse=True)
def run_folders(tmp_path_factory):
    """Releases and static files of the whole run in temporary folders, never the project's."""
    django_settings.RELEASES_DIR = tmp_path_factory.mktemp("releases")
    django_settings.STATIC_ROOT = tmp_path_factory.mktemp("staticfiles")
    return django_settings.RELEASES_DIR


@pytest.fixture(scope="session")
def published_site(run_folders):
    """The real content, published once for the whole run, for the tests that visit it (`client`,
    the test server): a test of a temporary content folder does not wait for it."""
    publish()
    return run_folders


def content_stamp():
    """What the content folder holds now: each file's name, size and modification time."""
    root = Path(django_settings.CONTENT_DIR)
    if not root.exists():
        return ()
    return tuple(sorted((str(path), path.stat().st_size, path.stat().st_mtime_ns) for path in root.rglob("*")))


# Releases folder -> (the content_stamp() published into it last, the problems if it was refused).
PUBLISHED = {}


class PublishingClient(Client):
    """A test client that publishes the content first whenever it changed, as an editor would.

    `refused` holds the problems of the last publish that was refused (the site
    then keeps serving the release before it).
    """

    def __init__(self, real_site_releases, **defaults):
        super().__init__(**defaults)
        self.real_site_releases = real_site_releases  # published once for the session
        self.refused = []

    def request(self, **request):
        releases = str(django_settings.RELEASES_DIR)
        if Path(releases) != self.real_site_releases:  # the real site is published once, unchanged
            stamp = content_stamp()
            if PUBLISHED.get(releases, (None,))[0] != stamp:
                try:
                    publish()
                    PUBLISHED[releases] = (stamp, [])
                except ContentError as error:
                    PUBLISHED[releases] = (stamp, error.problems)
            self.refused = PUBLISHED[releases][1]
        return _read_whole(super().request(**request))


def _read_whole(response):
    """A file response read into an ordinary one, so that tests can use .content and .text."""
    if not response.streaming:
        return response
    plain = HttpResponse(b"".join(response.streaming_content), status=response.status_code)
    for name in list(plain.headers):
        del plain.headers[name]
    for name, value in response.items():
        plain[name] = value
    plain.request = response.request
    return plain


CLINIC = """\
organisation: Riverside Dental Clinic
phone: "020 7946 0000"
address: 1 High Street, Riverside
website: https://riverside.example
emergency_advice: In an emergency, call 999 or go to A&E now.
privacy_contact: privacy@riverside.example
log_retention: 30 days
"""


def clinic_copy(root):
    """A copy of the real content in `root`/content with a clinic's site.yaml, published to `root`/releases."""
    content = root / "content"
    shutil.copytree(Path(django_settings.CONTENT_DIR), content)
    (content / "site.yaml").write_text(CLINIC)
    with override_settings(CONTENT_DIR=content, BASE_DIR=root, RELEASES_DIR=root / "releases"):
        publish()
        PUBLISHED[str(root / "releases")] = (content_stamp(), [])
    return content


@pytest.fixture(scope="session")
def clinic_site(tmp_path_factory):
    return clinic_copy(tmp_path_factory.mktemp("clinic"))


@pytest.fixture
def clinic(clinic_site, settings):
    """The real content with a clinic's site.yaml, published (the test server serves it): published once
    for the whole run, so a test may only read it; one that changes it takes `own_clinic`."""
    settings.CONTENT_DIR = clinic_site
    settings.BASE_DIR = clinic_site.parent
    settings.RELEASES_DIR = clinic_site.parent / "releases"
    before = content_stamp()
    yield clinic_site
    assert content_stamp() == before, "the test changed the shared clinic content: give it `own_clinic`"


@pytest.fixture
def own_clinic(tmp_path, settings):
    """The same as `clinic`, copied and published for this test alone, which may change it."""
    content = clinic_copy(tmp_path)
    settings.CONTENT_DIR = content
    settings.BASE_DIR = tmp_path
    settings.RELEASES_DIR = tmp_path / "releases"
    return content


@pytest.fixture
def preview(settings):
    """A client for the editors' preview (`make dev`): pages rendered live, drafts and problems shown."""
    from botox_info.settings import dev

    settings.MIDDLEWARE = dev.MIDDLEWARE
    settings.DEBUG = True
    return Client()


@pytest.fixture
def client(published_site):
    return PublishingClient(Path(published_site))


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run."""
    require_chromium()
    driver = start_chromium()
    yield driver
    driver.quit()


def pages_never_stored(application):
    """`application` with every response outside /static/ marked `no-store`.

    Tests publish other content to the same addresses, and a page the browser asked for again by
    its ETag (WhiteNoise's: the file's size and its time to the second) was answered 304 with the
    old page after a same-length edit. Static files keep their own headers, so the browser keeps the
    styles and scripts it has parsed: they are the repository's, and no test changes them while a
    browser runs. Turning the browser's cache off instead made each page load take a third more of
    the browser's time.
    """

    def serve(environ, start_response):
        def start(status, headers, exc_info=None):
            if not environ["PATH_INFO"].startswith(django_settings.STATIC_URL):
                headers = [(name, value) for name, value in headers if name.lower() != "cache-control"]
                headers.append(("Cache-Control", "no-store"))
            return start_response(status, headers, exc_info)

        return application(environ, start)

    return serve


@pytest.fixture(scope="session")
def site_server(published_site):
    """The site on a real port, for the browser.

    pytest-django's live_server always asks for a test database, and this site has
    none; Django's own LiveServerThread needs none. WhiteNoise serves the static files.
    """
    thread = LiveServerThread("127.0.0.1", static_handler=pages_never_stored, connections_override={}, port=0)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    yield SimpleNamespace(url=f"http://127.0.0.1:{thread.port}")
    thread.terminate()
