"""A release's static files: collected once for each set of sources, then linked into every release.

collectstatic hashes, copies and compresses every file again on each publish, though
the styles, scripts and pictures rarely change. Its output is kept in
`releases/render-cache/static/<hash of the sources>/`, whole (gzip and brotli copies
included), and each release links to it. A change to any source file, to the storage
or to the versions that write the files gives a new folder; the old one is removed.
"""

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

from articles.publish.cache import FOLDER, fingerprint_files, link_tree
from articles.publish.making import COMPRESSIBLE, write_compressed

# The storage's map of names to hashed names: read while pages are made, then left out of the release.
MANIFEST = "staticfiles.json"


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
        count = _file_count(partial)
        partial.rename(saved)  # whole or not at all
        _COLLECTED[key] = (saved, count)
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


# Sources hash -> (the folder this process last collected them into, how many files it made). A
# process that publishes into more than one releases folder (the tests do, a hundred times a run)
# links the files it has made instead of collecting and compressing them again: 25 ms a publish.
_COLLECTED = {}


def _linked_from_earlier(key, partial):
    """True if `partial` now holds links to every file of an earlier collection of `key`; False
    (and `partial` removed) if there is none, or it has lost a file since."""
    earlier, count = _COLLECTED.get(key, (None, 0))
    if earlier is None or not earlier.is_dir():
        return False
    try:
        link_tree(earlier, partial)
    except OSError:
        pass
    else:
        if _file_count(partial) == count:
            return True
    shutil.rmtree(partial, ignore_errors=True)
    return False


def _file_count(folder):
    return sum(len(files) for _, _, files in os.walk(folder))


def _sources_hash():
    """A hash of what collectstatic would collect, and of what decides the files it writes."""
    ignore = apps.get_app_config("staticfiles").ignore_patterns
    found = {path: storage.path(path) for finder in finders.get_finders() for path, storage in finder.list(ignore)}
    backend = settings.STORAGES["staticfiles"]
    found["(storage)"] = inspect.getfile(import_string(backend["BACKEND"]))
    names = [version("django"), version("whitenoise"), repr(backend), settings.STATIC_URL]
    return fingerprint_files(sorted(found.items()), names=names)
