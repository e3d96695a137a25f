"""Reading a content folder with bounds, so that no file can stall or crash whoever reads it.

Publishing and the editors' preview both load content here:

- only regular files are read: a symlink, a FIFO or a device is refused by
  name, and files are opened without following links and without blocking;
- each file has a size limit (settings.CONTENT_MAX_BYTES);
- each file is parsed and rendered in a child process that is killed after
  settings.CONTENT_RENDER_SECONDS (python-markdown is quadratic on some input,
  and deep nesting exhausts the stack);

and every refusal is a Problem naming the file, like any other content mistake.
"""

import errno
import multiprocessing
import os
import re
import stat
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from .addresses import RESERVED_SLUGS
from .problems import ContentError, Problem

GUIDE_FILE = "guide.yaml"
SITE_FILE = "site.yaml"


@dataclass(frozen=True)
class Library:
    """Everything loaded from a content folder: the guides and every problem found."""

    guides: dict
    problems: tuple
    site: object = None  # identity.Site: the clinic's own details
    root: Path = None  # the content folder it was loaded from

    def guide(self, slug):
        return self.guides.get(slug)


def read_bounded(path, limit=None):
    """The text of a regular file of at most `limit` bytes, or ContentError saying why not."""
    limit = settings.CONTENT_MAX_BYTES if limit is None else limit
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        if error.errno == errno.ELOOP:  # O_NOFOLLOW on a symlink
            raise ContentError([_not_a_file(path, "a link")]) from error
        if error.errno == errno.ENOENT:
            raise FileNotFoundError(path) from error
        raise ContentError(
            [Problem(path, f"cannot be read ({error.strerror})", "check the file's permissions")]
        ) from error
    with os.fdopen(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise ContentError([_not_a_file(path, "not a plain file")])
        data = file.read(limit + 1)
    if len(data) > limit:
        raise ContentError(
            [
                Problem(
                    path,
                    f"is larger than {limit // 1024} KB",
                    "split it into shorter pages; a page is a few hundred words",
                )
            ]
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ContentError([Problem(path, f"is not UTF-8 text ({error.reason})", "save the file as UTF-8")]) from error


def _rename_hint(name):
    """Say which name to use: the folder name becomes the guide's address."""
    if name in RESERVED_SLUGS:
        return f"'{name}' is an address the site itself uses; choose another folder name"
    suggestion = "-".join(re.findall(r"[a-z0-9]+", name.lower()))
    if not suggestion or suggestion in RESERVED_SLUGS:
        return "rename the folder in lowercase words joined by hyphens, e.g. botox-jaw-pain"
    return f"rename the folder to '{suggestion}': lowercase words joined by hyphens (it is the guide's address)"


def _not_a_file(path, what):
    return Problem(path, f"is {what}", "content files must be ordinary files saved in the content folder")


def scan(root):
    """(guide folders {folder: [files]}, site file or None, problems) for a content folder.

    Uses lstat only: nothing here follows a link or opens a file.
    """
    root = Path(root)
    folders, problems, site_file = {}, [], None
    try:
        entries = sorted(os.scandir(root), key=lambda entry: entry.name)
    except OSError as error:
        return {}, None, [Problem(root, f"cannot be read ({error.strerror})", "check CONTENT_DIR")]
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith(".") or (entry.is_file(follow_symlinks=False) and entry.name.endswith(".txt")):
            continue
        if entry.name == SITE_FILE:
            site_file = path
            continue
        if entry.is_symlink() or not entry.is_dir(follow_symlinks=False):
            if entry.is_symlink() or entry.name.endswith((".md", ".yaml", ".yml")):
                problems.append(Problem(path, "is not a guide folder", "put each guide in a folder of its own"))
            continue
        files, found = _scan_guide_folder(path)
        problems.extend(found)
        if files is not None:
            folders[path] = files
    return folders, site_file, problems


def _scan_guide_folder(folder):
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        return None, [Problem(folder, f"cannot be read ({error.strerror})", "check the folder's permissions")]
    names = {entry.name for entry in entries}
    if GUIDE_FILE not in names:
        if any(name.endswith(".md") for name in names):
            return None, [
                Problem(
                    folder,
                    "has pages but no guide.yaml, so it is not published",
                    "copy guide.yaml from another guide's folder and change its title and summary",
                )
            ]
        return None, []
    problems = []
    name = folder.name
    from . import frontmatter as fm

    if not fm.SLUG_RE.fullmatch(name) or name in RESERVED_SLUGS:
        # The folder is left out whole: its files get no messages of their own.
        return None, [Problem(folder, f"the folder name '{name}' cannot be a guide's address", _rename_hint(name))]
    files = []
    for entry in entries:
        if entry.name.startswith(".") or not entry.name.endswith((".md", ".yaml")):
            continue
        path = Path(entry.path)
        if entry.is_symlink():
            problems.append(_not_a_file(path, "a link"))
        elif not entry.is_file(follow_symlinks=False):
            problems.append(_not_a_file(path, "not a plain file"))
        elif entry.name == GUIDE_FILE or entry.name.endswith(".md"):
            files.append(path)
    return files, problems


# --- Loading in a child process with a time limit -------------------------------


def _load_one(path, site):
    """Load one file (in the child); returns ('ok', object) or ('problems', [Problem])."""
    from .content import load_guide, load_page
    from .identity import load_site

    loader = {GUIDE_FILE: load_guide, SITE_FILE: load_site}.get(path.name, load_page)
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


def load_files(paths, site=None):
    """{path: ('ok', object) | ('problems', [...])}, each file loaded within the time limit.

    Files are loaded one after another in a forked child (it inherits the
    settings and URLs); a file over the limit gets its child killed and the
    rest go on in a new one.
    """
    seconds = settings.CONTENT_RENDER_SECONDS
    results, queue = {}, list(paths)
    context = multiprocessing.get_context("fork")
    while queue:
        with warnings.catch_warnings():
            # Forking a threaded process (runserver, the test server) is safe here: the
            # child only parses text and touches no lock the parent's threads hold.
            warnings.simplefilter("ignore", DeprecationWarning)
            pool = context.Pool(1)
        try:
            pending = [(path, pool.apply_async(_load_one, (path, site))) for path in queue]
            queue = []
            for index, (path, result) in enumerate(pending):
                try:
                    results[path] = result.get(timeout=seconds)
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


def load_library(root=None, *, drafts):
    """Load a content folder: every guide with its pages, and every problem found.

    `drafts` says whether pages marked `draft: true` are kept (the preview) or
    left out (publishing). Problems are reported for drafts too.
    """
    from .content import assemble
    from .identity import Site

    root = Path(root or settings.CONTENT_DIR)
    folders, site_file, problems = scan(root)
    site = Site()  # the neutral identity, unless site.yaml loads cleanly
    if site_file is not None:
        status, value = load_files([site_file])[site_file]
        if status == "ok":
            site = value
        else:
            problems.extend(value)
    results = load_files([path for files in folders.values() for path in files], site)
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
        if meta is None:
            continue
        guide, found = assemble(meta, list(loaded.values()), drafts)
        problems.extend(found)
        guides[guide.slug] = guide
    if not guides and not problems:
        problems.append(Problem(root, "has no guide in it", "add a folder with a guide.yaml and its pages"))
    return Library(guides, tuple(problems), site, root)
