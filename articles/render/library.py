"""Loading a whole content folder: each file parsed and rendered in a child process.

Publishing and the editors' preview both load content here. Each file is
parsed and rendered in a child process that is killed after
settings.CONTENT_RENDER_SECONDS (python-markdown is quadratic on some input,
and deep nesting exhausts the stack); a file that takes too long becomes a
Problem naming it, like any other content mistake.
"""

import multiprocessing
import os
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from articles.content.files import GUIDE_FILE, REVIEWS_FILE, SITE_FILE, scan
from articles.content.identity import Site, load_site
from articles.content.problems import ContentError, Problem
from articles.content.reviews import evidence_path, load_reviews
from articles.render.pages import assemble, load_guide, load_page

LOAD_FILES_A_CHILD = 100  # a large library is loaded by one child a core; a small one by one child


@dataclass(frozen=True)
class Library:
    """Everything loaded from a content folder: the guides and every problem found."""

    guides: dict
    problems: tuple
    site: object = None  # identity.Site: the clinic's own details
    root: Path = None  # the content folder it was loaded from

    def guide(self, slug):
        return self.guides.get(slug)


def _load_one(path, site):
    """Load one file (in the child); returns ('ok', object) or ('problems', [Problem])."""
    loader = {GUIDE_FILE: load_guide, SITE_FILE: load_site, REVIEWS_FILE: load_reviews}.get(path.name, load_page)
    try:
        return "ok", loader(path, site)
    except ContentError as error:
        return "problems", error.problems
    except FileNotFoundError:
        return "problems", [Problem(path, "disappeared while it was being read", "publish again")]
    except RecursionError:
        return "problems", [Problem(path, "is nested too deeply to read", "use fewer levels of lists or quotes")]
    except Exception as error:  # a bug of ours: say so, but never crash the caller
        return "problems", [Problem(path, f"could not be loaded ({type(error).__name__}: {error})", "tell a developer")]


def _identity(path):
    """What says a file changed (inode, size, modification time), or None where there is none."""
    try:
        status = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return (status.st_ino, status.st_size, status.st_mtime_ns)


def _cached(paths, site, cache):
    """({path: result} found in `cache`, {path: key} of the regular files to load and remember)."""
    found, keys = {}, {}
    for path in paths:
        try:
            status = os.stat(path, follow_symlinks=False)
        except OSError:
            continue
        if not stat.S_ISREG(status.st_mode):
            continue  # links, FIFOs and the like: the child says what is wrong with them, every time
        # A page's loaded form holds the fingerprint of its evidence log too (for the review label).
        key = cache.key(path, status, site, _identity(evidence_path(path)))
        result = cache.get(key)
        if result is None:
            keys[path] = key
        else:
            found[path] = result
    return found, keys


def _processes(files):
    """One child for a few files (starting more costs more than it saves), else one a core."""
    return max(1, min(os.cpu_count() or 1, files // LOAD_FILES_A_CHILD))


def load_files(paths, site=None, cache=None):
    """{path: ('ok', object) | ('problems', [...])}, each file loaded within the time limit.

    Files are loaded in forked children (they inherit the settings and URLs),
    one child per core for a large library; a file over the limit gets the
    children killed and the files after it go on in new ones. With a `cache` (publish/cache.py LoadCache), a file
    unchanged on disk since an earlier publish is not loaded again.
    """
    seconds = settings.CONTENT_RENDER_SECONDS
    found, keys = _cached(paths, site, cache) if cache is not None else ({}, {})
    results, queue = dict(found), [path for path in paths if path not in found]
    context = multiprocessing.get_context("fork")
    while queue:
        with warnings.catch_warnings():
            # Forking a threaded process (runserver, the test server) is safe here: the
            # child only parses text and touches no lock the parent's threads hold.
            warnings.simplefilter("ignore", DeprecationWarning)
            pool = context.Pool(_processes(len(queue)))
        try:
            pending = [(path, pool.apply_async(_load_one, (path, site))) for path in queue]
            queue = []
            for index, (path, result) in enumerate(pending):
                try:
                    results[path] = result.get(timeout=seconds)
                    if path in keys:
                        cache.put(keys[path], results[path])
                except multiprocessing.TimeoutError:
                    results[path] = (
                        "problems",
                        [
                            Problem(
                                path,
                                f"took more than {seconds:g} seconds to read, so it was stopped",
                                "look for long runs of [ or ! characters, or lists nested very deep, and remove them",
                            )
                        ],
                    )
                    queue = [later for later, _ in pending[index + 1 :]]
                    break
        finally:
            pool.terminate()
            pool.join()
    return results


def load_library(root=None, *, drafts, cache=None):
    """Load a content folder: every guide with its pages, and every problem found.

    `drafts` says whether pages marked `draft: true` are kept (the preview) or
    left out (publishing). Problems are reported for drafts too.
    """
    root = Path(root or settings.CONTENT_DIR)
    folders, site_file, problems = scan(root)
    site = Site()  # the neutral identity, unless site.yaml loads cleanly
    if site_file is not None:
        status, value = load_files([site_file])[site_file]
        if status == "ok":
            site = value
        else:
            problems.extend(value)
    results = load_files([path for files in folders.values() for path in files], site, cache)
    guides = {}
    for folder, files in folders.items():
        loaded = {}
        for path in files:
            status, value = results[path]
            if status == "ok":
                loaded[path] = value
            else:
                problems.extend(value)
        meta = loaded.pop(folder / GUIDE_FILE, None)
        signoffs = loaded.pop(folder / REVIEWS_FILE, {})
        if meta is None:
            continue
        guide, found = assemble(meta, list(loaded.values()), drafts, signoffs)
        problems.extend(found)
        guides[guide.slug] = guide
    if not guides and not problems:
        problems.append(Problem(root, "has no guide in it", "add a folder with a guide.yaml and its pages"))
    return Library(guides, tuple(problems), site, root)
