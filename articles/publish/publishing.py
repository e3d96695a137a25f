"""Publishing: content in, one immutable release out, then an atomic switch.

    releases/
      20261129T201500-3f2a9c1b/     one release: never changed once written
        public/                     every file a visitor can get, at its address
          index.html  privacy/index.html  robots.txt  sitemap.xml
          botox-jaw-pain/index.html  botox-jaw-pain/benefits/index.html  ...qr.svg  qr.png
          static/...                the hashed styles, scripts and images the pages name
          (each text file with .gz and .br copies beside it)
        404.html                    the "page not found" page
        manifest.json               the release's id, its files and its redirect map
      current -> 20261129T201500-3f2a9c1b

A release is built beside the others and `current` is switched with one
rename, so a reader never sees half a release. Any problem anywhere refuses
the whole release and leaves `current` as it was.
"""

import gzip
import hashlib
import json
import os
import shutil
import signal
import time
from dataclasses import dataclass
from pathlib import Path

import brotli
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command

from articles.checks.site import content_problems
from articles.content import addresses
from articles.content.problems import ContentError
from articles.publish import site
from articles.publish.releases import CURRENT, FEEDBACK, MANIFEST, NOT_FOUND, current_release, releases_dir
from articles.render.library import load_library

COMPRESSIBLE = (".html", ".xml", ".txt", ".svg", ".css", ".js", ".json")


@dataclass(frozen=True)
class Outcome:
    release: str
    files: int
    changed: bool  # False when the content and code gave exactly the current release
    reloaded: bool  # whether a running gunicorn was told to reload


def publish(content_dir=None, reload_server=True):
    """Load, check and render all content, write a release and switch to it; ContentError on any problem.

    Drafts are never published, whatever the settings say.
    """
    library = load_library(content_dir, drafts=False)
    problems = content_problems(library)
    if problems:
        raise ContentError(problems)
    # clear: a release carries only the static files of the code that made it.
    call_command("collectstatic", interactive=False, verbosity=0, clear=True)
    files, not_found = site.build(library)
    answers = site.feedback_answers(library)
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.path.encode() + b"\0" + file.body + b"\0")
    for name, body in sorted(answers[0].items()):
        digest.update(name.encode() + b"\0" + body.encode() + b"\0")
    digest.update(not_found)
    digest.update(_static_fingerprint())
    release_id = time.strftime("%Y%m%dT%H%M%S") + "-" + digest.hexdigest()[:8]
    current = current_release()
    if current and current.endswith(release_id.rsplit("-", 1)[1]):
        return Outcome(current, len(files), changed=False, reloaded=False)
    root = releases_dir()
    root.mkdir(parents=True, exist_ok=True)
    building = root / f".{release_id}.building"
    shutil.rmtree(building, ignore_errors=True)
    _write_release(building, release_id, files, not_found, addresses.redirects(library), answers)
    release = root / release_id
    if release.exists():  # published twice in one second
        shutil.rmtree(release)
    building.rename(release)
    switch_to(release_id)
    _prune(keep={release_id, current})
    return Outcome(release_id, len(files), changed=True, reloaded=reload_server and reload_gunicorn())


def rollback():
    """Switch back to the release before the current one; return its id, or None if there is none."""
    ids = release_ids()
    current = current_release()
    earlier = [release for release in ids if current is None or release < current]
    if not earlier:
        return None
    switch_to(earlier[-1])
    reload_gunicorn()
    return earlier[-1]


def release_ids():
    root = releases_dir()
    if not root.is_dir():
        return []
    return sorted(entry.name for entry in root.iterdir() if (entry / MANIFEST).is_file() and not entry.is_symlink())


def switch_to(release_id):
    """Point `current` at a release with one atomic rename."""
    root = releases_dir()
    temporary = root / f".{CURRENT}.{os.getpid()}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(release_id)
    os.replace(temporary, root / CURRENT)


def _prune(keep):
    """Keep the newest few releases (for rollback) and any named in `keep`."""
    ids = release_ids()
    for release_id in ids[: -settings.RELEASES_KEPT]:
        if release_id not in keep:
            shutil.rmtree(releases_dir() / release_id, ignore_errors=True)


def _write_release(folder, release_id, files, not_found, redirects, answers):
    public = folder / "public"
    stamp = time.time()
    listing = {}
    for file in files:
        target = public / (file.path.lstrip("/") + "index.html" if file.path.endswith("/") else file.path.lstrip("/"))
        _write(target, file.body)
        listing[file.path] = str(target.relative_to(public))
    _write(folder / NOT_FOUND, not_found)
    feedback_files, feedback_pages = answers
    for name, body in feedback_files.items():
        (folder / FEEDBACK / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / FEEDBACK / name).write_text(body)
    static = public / settings.STATIC_URL.strip("/")
    shutil.copytree(staticfiles_storage.location, static, ignore=shutil.ignore_patterns("staticfiles.json"))
    for path in public.rglob("*"):
        if path.suffix in COMPRESSIBLE and path.is_file() and not Path(f"{path}.br").exists():
            _compress(path, path.read_bytes())
    manifest = {"release": release_id, "files": listing, "redirects": redirects, FEEDBACK: feedback_pages}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    # One modification time for every file: ETag and Last-Modified are the same from every server.
    for path in folder.rglob("*"):
        os.utime(path, (stamp, stamp), follow_symlinks=False)


def _write(path, body):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    if path.suffix in COMPRESSIBLE:
        _compress(path, body)


def _compress(path, body):
    """gzip and brotli copies beside the file, for servers that send them as they are.

    A copy no smaller than the file (a tiny robots.txt) is left out: WhiteNoise would
    never send it, nginx's gzip_static would, and the two must send the same bytes.
    """
    for suffix, compressed in (
        (".gz", gzip.compress(body, compresslevel=9, mtime=0)),
        (".br", brotli.compress(body, quality=11)),
    ):
        if len(compressed) < len(body):
            Path(f"{path}{suffix}").write_bytes(compressed)


def _static_fingerprint():
    digest = hashlib.sha256()
    location = Path(staticfiles_storage.location)
    for path in sorted(location.rglob("*")):
        if path.is_file() and path.suffix not in {".gz", ".br"}:
            digest.update(str(path.relative_to(location)).encode() + path.read_bytes())
    return digest.digest()


def reload_gunicorn():
    """Ask a running gunicorn (named by its pidfile) to restart its workers gracefully; whether one was."""
    try:
        pid = int(Path(settings.GUNICORN_PIDFILE).read_text().strip())
        os.kill(pid, signal.SIGHUP)
    except (OSError, ValueError):
        return False
    return True
