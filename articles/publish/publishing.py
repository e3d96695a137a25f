"""Publishing: content in, one immutable release out, then an atomic switch.

    releases/
      20261129T201500.482913-3f2a9c1b/  one release: never changed once written
        public/                     every file a visitor can get, at its address
          index.html  privacy/index.html  robots.txt  sitemap.xml
          botox-jaw-pain/index.html  botox-jaw-pain/benefits/index.html  ...qr.svg  qr.png
          static/...                the hashed styles, scripts and images the pages name
          (each text file with .gz and .br copies beside it)
        404.html                    the "page not found" page
        manifest.json               the release's id, its files and its redirect map
      current -> 20261129T201500.482913-3f2a9c1b
      publish.lock                  held by the one publish or rollback running
      .build-<unique>/              a release being written (removed if it fails)

A release is built beside the others, in its own folder with its own static
files, and `current` is switched with one rename, so a reader never sees half
a release. Any problem anywhere refuses the whole release and leaves `current`
as it was. No signal is sent to any server: workers read `current` on each
request.
"""

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import time
import uuid
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.storage import storages
from django.utils import timezone

from articles.checks.site import content_problems
from articles.content import addresses
from articles.content.problems import ContentError
from articles.publish import site, text_dates
from articles.publish.cache import DISK_FULL, FileCache, LoadCache, files_under
from articles.publish.making import make_files, relative_target, write
from articles.publish.releases import CURRENT, FEEDBACK, MANIFEST, NOT_FOUND, current_release, releases_dir
from articles.publish.static import MANIFEST as STATIC_MANIFEST
from articles.publish.static import collect as collect_static
from articles.render.library import load_library

LOCK = "publish.lock"
BUILDING = ".build-"  # a release being written: `.build-<unique>`, renamed to its id when whole
REMOVING = ".removing-"  # an old release being deleted: renamed first, so it is never seen half-deleted


class PublishError(Exception):
    """Publishing could not run (busy, disk full): one line in the editors' words; nothing was changed."""


@dataclass(frozen=True)
class Outcome:
    release: str
    files: int
    changed: bool  # False when the content and code gave exactly the current release


@dataclass(frozen=True)
class RolledBack:
    before: str
    release: str


class StillRolledBackError(Exception):
    """publish(unless_rolled_back=True) found the site rolled back: the release it serves, as it is."""

    @property
    def release(self):
        return self.args[0]


def publish(content_dir=None, on_wait=None, progress=None, unless_rolled_back=False):
    """Load, check and render all content, write a release and switch to it; ContentError on any problem.

    One publish or rollback at a time (a lock on the releases folder): when this
    returns, the release it names is the one being served. Drafts are never
    published, whatever the settings say. `progress(done, total)` hears of each file made.
    """
    root = releases_dir()
    with exclusive(root, on_wait):
        if unless_rolled_back and (release := rolled_back_to()):  # asked under the lock: a rollback may be running
            raise StillRolledBackError(release)
        _remove_leftovers(root)
        loaded = LoadCache(root)  # files unchanged since an earlier publish are not loaded again
        library = load_library(content_dir, drafts=False, cache=loaded)
        problems = content_problems(library)
        if problems:
            raise ContentError(problems)
        library, texts = text_dates.dated(library, timezone.localdate())
        building = root / f"{BUILDING}{uuid.uuid4().hex}"
        try:
            outcome = _build_and_switch(root, building, library, texts, progress)
            (root / ROLLED_BACK).unlink(missing_ok=True)  # what is live now is what the content says
            loaded.sweep()
            return outcome
        except OSError as error:
            if error.errno in DISK_FULL:
                raise PublishError(_disk_full(root)) from error
            raise
        except BrokenProcessPool as error:  # a worker making the files died, or sent back what cannot be read
            raise PublishError(_worker_died()) from error
        finally:
            shutil.rmtree(building, ignore_errors=True)


def _build_and_switch(root, building, library, texts, progress=None):
    static = building / "public" / settings.STATIC_URL.strip("/")
    collect_static(root, static, static_storage)
    with static_storage(static):  # the pages name the static files by their hashed names
        cache = FileCache(root, static)  # what an earlier publish made from the same inputs
        made, fresh = make_files(library, cache, building / "public", progress)  # written, with their hashes
        not_found = site.not_found(library).encode()
        answers = site.feedback_answers(library)  # the feedback form's thank-you and refusal pages
    redirects = addresses.redirects(library)
    digest = _digest(made, not_found, redirects, static, answers)
    current = current_release()
    if current and _manifest(root / current).get("digest") == digest:
        return Outcome(current, len(made), changed=False)
    release_id = datetime.now().strftime("%Y%m%dT%H%M%S.%f") + "-" + digest[:8]
    _write_release(building, release_id, digest, (made, fresh), not_found, redirects, texts, answers, cache)
    release = root / release_id
    building.rename(release)  # a new, unique name: never replaces a release
    switch_to(release_id)
    _prune(keep={release_id, current})
    cache.sweep()  # now the cache holds what this release is made of
    return Outcome(release_id, len(made), changed=True)


def rollback(on_wait=None):
    """Switch back to the release before the current one; RolledBack(before, now), or None if there is none."""
    root = releases_dir()
    with exclusive(root, on_wait):
        current = current_release()
        earlier = [release for release in release_ids() if current is None or release < current]
        if not earlier:
            return None
        _write_marker(root / ROLLED_BACK, earlier[-1])  # first: a rollback killed after the switch is still one
        switch_to(earlier[-1])
        return RolledBack(current, earlier[-1])


@contextlib.contextmanager
def exclusive(root, on_wait=None):
    """Hold the releases folder's lock: one publish or rollback at a time; PublishError after the wait limit.

    `on_wait(seconds)` is called once if another one holds it, before waiting.
    """
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "a") as handle:
        if not _try_lock(handle):
            limit = settings.PUBLISH_WAIT_SECONDS
            if on_wait:
                on_wait(limit)
            deadline = time.monotonic() + limit
            while not _try_lock(handle):
                if time.monotonic() >= deadline:
                    raise PublishError(
                        f"Not done: another publish or rollback is still running after {limit} s. "
                        "Nothing was changed; try again when it has finished."
                    )
                time.sleep(0.1)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _try_lock(handle):
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


@contextlib.contextmanager
def static_storage(location):
    """The static files storage of the settings, writing into `location` only (one build's own folder).

    collectstatic and the `{% static %}` tag both use it while a release is built,
    so nothing is shared between builds and nothing shared is ever cleared.
    """
    backend = settings.STORAGES["staticfiles"]
    options = {**backend.get("OPTIONS", {}), "location": str(location), "base_url": settings.STATIC_URL}
    saved = staticfiles_storage._wrapped
    staticfiles_storage._wrapped = storages.create_storage({**backend, "OPTIONS": options})
    try:
        yield staticfiles_storage._wrapped
    finally:
        staticfiles_storage._wrapped = saved


def _remove_leftovers(root):
    """Build folders, half-deleted old releases and link files left by a publish that was killed
    (safe: we hold the lock)."""
    for entry in root.iterdir():
        if entry.name.startswith((BUILDING, REMOVING, f".{CURRENT}.", f".{ROLLED_BACK}.")) or entry.name.endswith(
            ".building"
        ):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def _disk_full(root):
    free = shutil.disk_usage(root).free
    current = current_release()
    needed = _size(root / current) if current else 0
    need = f"; a release needs about {_megabytes(needed)}" if needed else ""
    return (
        f"Not published: the disk is full ({_megabytes(free)} free where releases are kept{need}). "
        f"Nothing was left behind. {still_serving()} Free some space, then publish again."
    )


def _worker_died():
    return (
        "Not published: a process making the pages stopped unexpectedly (it may have run out of memory, "
        f"or met a fault of ours). Nothing was left behind. {still_serving()} Publish again; if it happens "
        "again, tell a developer."
    )


def still_serving():
    """What the site serves after a refused publish, in the editors' words."""
    current = current_release()
    return f"The site still serves release {current}." if current else "Nothing has been published yet."


def _size(folder):
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file() and not path.is_symlink())


def _megabytes(size):
    return f"{size / 1_000_000:.1f} MB"


def _digest(made, not_found, redirects, static, answers):
    """Everything a visitor can get from the release: pages, handouts, 404 page, redirects, static files,
    and the feedback form's answers. `made`: [(address, hash of its body)]."""
    digest = hashlib.sha256()
    for path, body_hash in made:
        digest.update(path.encode() + b"\0" + body_hash.encode() + b"\0")
    for name, body in sorted(answers[0].items()):
        digest.update(name.encode() + b"\0" + body.encode() + b"\0")
    digest.update(not_found + b"\0")
    digest.update(json.dumps(redirects, sort_keys=True).encode() + b"\0")
    for name in files_under(static):
        if not name.endswith((".gz", ".br")):
            digest.update(name.encode() + b"\0" + (static / name).read_bytes() + b"\0")
    return digest.hexdigest()


def _manifest(folder):
    try:
        return json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}


# Written by a rollback (the release it went back to), removed by the next publish, whatever it publishes.
ROLLED_BACK = "rolled-back"


def rolled_back_to():
    """The live release when a rollback put it there and no publish has come since; else None."""
    try:
        marked = (releases_dir() / ROLLED_BACK).read_text().strip()
    except OSError:
        return None
    return marked if marked and marked == current_release() else None


def _write_marker(path, text):
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    partial.write_text(text + "\n")
    partial.replace(path)


def release_ids():
    root = releases_dir()
    if not root.is_dir():
        return []
    return sorted(
        entry.name
        for entry in root.iterdir()
        if not entry.name.startswith(".") and not entry.is_symlink() and (entry / MANIFEST).is_file()
    )


def switch_to(release_id):
    """Point `current` at a release with one atomic rename."""
    root = releases_dir()
    temporary = root / f".{CURRENT}.{os.getpid()}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(release_id)
    os.replace(temporary, root / CURRENT)


def _prune(keep):
    """Keep the newest few releases (for rollback) and any named in `keep`.

    Each other one is renamed out of the list first: a publish killed while deleting it leaves
    no half-deleted release for a rollback to choose (the next publish clears what is left).
    """
    ids = release_ids()
    for release_id in ids[: -settings.RELEASES_KEPT]:
        if release_id not in keep:
            removing = releases_dir() / f"{REMOVING}{release_id}"
            try:
                (releases_dir() / release_id).rename(removing)
            except OSError:  # the new release is live already: never fail now; delete it where it is
                removing = releases_dir() / release_id
            shutil.rmtree(removing, ignore_errors=True)


def _write_release(folder, release_id, digest, made, not_found, redirects, texts, answers, cache):
    """Finish the build folder whose public files `make_files` wrote (`made`: its two lists): the
    404 page, the feedback answers, the manifest and one modification time."""
    public = folder / "public"
    static = public / settings.STATIC_URL.strip("/")
    stamp = time.time()
    made, fresh = made
    listing = {path: relative_target(path) for path, _ in made}
    write(folder / NOT_FOUND, not_found)
    feedback_files, feedback_pages = answers
    thank_you = set(feedback_pages.values())
    (folder / FEEDBACK).mkdir()
    for name, body in feedback_files.items():
        if name in thank_you:  # one a page, read by the feedback view alone: linked from the cache, by its bytes
            data = body.encode()
            key = hashlib.sha256(b"thank-you\0" + data).hexdigest()
            cache.place(key, folder / FEEDBACK / name, lambda data=data: data, compressible=False)
        else:  # the refusals, beside the thank-you pages' folder
            (folder / FEEDBACK / name).write_text(body)
    (static / STATIC_MANIFEST).unlink(missing_ok=True)
    manifest = {
        "release": release_id,
        "digest": digest,
        "files": listing,
        "redirects": redirects,
        text_dates.KEY: texts,
        FEEDBACK: feedback_pages,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    # One modification time for every file written here: ETag and Last-Modified are the same from
    # every server. A file linked from the render cache (pages, static files, thank-you pages) keeps
    # its own: it is shared, never changed.
    answered = [folder / FEEDBACK / name for name in feedback_files if name not in thank_you]
    written = [folder / NOT_FOUND, folder / MANIFEST, *answered, *fresh]
    for path in {Path(f"{file}{suffix}") for file in written for suffix in ("", ".gz", ".br")}:
        if path.is_file() and not path.is_symlink():
            os.utime(path, (stamp, stamp))
