"""A release's static files: collected once for each set of sources, then linked into every release.

collectstatic hashes, copies and compresses every file again on each publish, though
the styles, scripts and pictures rarely change. Its output is kept in
`releases/render-cache/static/<hash of the sources>/`, whole (gzip and brotli copies
included), and each release links to it. A change to any source file, to the storage,
to the settings or to the versions that write the files gives a new folder; the old one is
removed. A process that publishes into another releases folder links the files it made for
the first (`_COLLECTED`).
"""

import functools
import inspect
import os
import shutil
from importlib.metadata import version
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.utils.module_loading import import_string

from articles.publish.cache import FOLDER, files_under, fingerprint_files, link_tree
from articles.publish.making import COMPRESSIBLE, write_compressed

# The storage's map of names to hashed names: read while pages are made, then left out of the release.
MANIFEST = "staticfiles.json"
# Settings that change which files collectstatic writes, or their bytes or modes.
WRITING_SETTINGS = (
    "WHITENOISE_KEEP_ONLY_HASHED_FILES",
    "WHITENOISE_SKIP_COMPRESS_EXTENSIONS",
    "WHITENOISE_MANIFEST_STRICT",
    "FILE_UPLOAD_PERMISSIONS",
    "FILE_UPLOAD_DIRECTORY_PERMISSIONS",
)


def collect(root, static, storage):
    """Put the static files of the settings into `static` (one release's folder, new), with compressed
    copies of each text file; `storage(folder)` is the context that points the storage at `folder`.
    """
    collected = Path(root) / FOLDER / "static"
    key = _sources_hash()
    saved = collected / key
    if not saved.is_dir():
        partial = collected / f".{key}.{os.getpid()}.part"
        shutil.rmtree(partial, ignore_errors=True)
        if not _linked_from_earlier(key, partial):
            _collect_into(partial, storage)
        files = _files(partial)
        partial.rename(saved)  # whole or not at all
        _COLLECTED[key] = (saved, files)
    for other in collected.iterdir():  # earlier sources, and what a killed publish left
        if other != saved:
            shutil.rmtree(other, ignore_errors=True)
    link_tree(saved, static)


def _collect_into(partial, storage):
    with storage(partial):
        call_command("collectstatic", interactive=False, verbosity=0)
    texts = [path for path in partial.rglob("*") if path.suffix in COMPRESSIBLE and path.name != MANIFEST]
    for path in texts:
        if path.is_file() and not Path(f"{path}.br").exists():  # what the storage left uncompressed
            write_compressed(path, path.read_bytes())


# Sources hash -> (the folder this process last collected them into, its files as it made them).
# A process that publishes into more than one releases folder (the tests do, a hundred times a
# run) links the files it has made instead of collecting and compressing them again: 25 ms a publish.
_COLLECTED = {}


def _linked_from_earlier(key, partial):
    """True if `partial` now holds links to the files of an earlier collection of `key`, each one
    unchanged since it was made; False (and `partial` removed) if there is none, or a file of it
    has gone, been renamed or been written to since."""
    earlier, files = _COLLECTED.get(key, (None, None))
    if earlier is None or not earlier.is_dir():
        return False
    try:
        link_tree(earlier, partial)
    except OSError:
        pass
    else:
        if _files(partial) == files:  # links: the same inode, size and time as each file made
            return True
    shutil.rmtree(partial, ignore_errors=True)
    return False


def _files(folder):
    """(name, inode, size, modification time) of every file under `folder`."""
    return [(name, *_identity(os.stat(os.path.join(folder, name)))) for name in files_under(folder)]


def _identity(status):
    return status.st_ino, status.st_size, status.st_mtime_ns


def _sources_hash():
    """A hash of what collectstatic would collect, and of what decides the files it writes."""
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    found = {path: storage.path(path) for finder in finders.get_finders() for path, storage in finder.list(ignore)}
    backend = settings.STORAGES["staticfiles"]
    found["(storage)"] = inspect.getfile(import_string(backend["BACKEND"]))
    names = [_installed("django"), _installed("whitenoise"), repr(backend), settings.STATIC_URL]
    names += [f"{name}={getattr(settings, name, None)!r}" for name in WRITING_SETTINGS]
    return fingerprint_files(sorted(found.items()), names=names)


@functools.cache
def _installed(package):
    """`package`'s version, read from its metadata once a process (3.6 ms a call, twice a publish): the
    code a process runs is what it imported, whatever is installed later."""
    return version(package)
