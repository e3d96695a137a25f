"""Loading a whole content folder: each file parsed and rendered in a child process.

Publishing and the editors' preview both load content here. Each file is
parsed and rendered in a child process that is killed after
settings.CONTENT_RENDER_SECONDS (python-markdown is quadratic on some input,
and deep nesting exhausts the stack); a file that takes too long becomes a
Problem naming it, like any other content mistake. (The quick test run reads
them in its own process, with the same outcomes: settings.CONTENT_READ_IN_CHILDREN.)
"""

import contextlib
import multiprocessing
import multiprocessing.connection
import os
import signal
import stat
import threading
import time
import warnings
from dataclasses import dataclass
from multiprocessing.reduction import ForkingPickler
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from articles.content import addresses
from articles.content.addresses import INDEX_STEM
from articles.content.files import GUIDE_FILE, REVIEWS_FILE, SITE_FILE, scan
from articles.content.frontmatter import split_front_matter
from articles.content.identity import Site, load_site
from articles.content.problems import WARNING, ContentError, Problem
from articles.content.reviews import evidence_path, load_reviews
from articles.render import pipeline
from articles.render.pages import assemble, load_guide, load_page

LOAD_FILES_A_CHILD = 100  # a large library is loaded by one child a core; a small one by one child


@dataclass(frozen=True)
class Library:
    """Everything loaded from a content folder: the guides and every problem found."""

    guides: dict
    problems: tuple
    site: object = None  # identity.Site: the clinic's own details
    root: Path = None  # the content folder it was loaded from
    warnings: tuple = ()  # what the check says but publishing does not refuse (problems.WARNING)

    def guide(self, slug):
        return self.guides.get(slug)


def _load_one(path, site, cache=None, key=None):
    """Load one file (in the child); returns ('ok', object) or ('problems', [Problem]).

    With a `cache` and `key`, the child also keeps the result there: pickling it is
    work the publishing process would otherwise do alone, one file after another.
    """
    result = _loaded(path, site)
    if key is not None:
        cache.put(key, result)
    return result


def _loaded(path, site):
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
    """What says a file changed (inode, size, modification and change time), or None where there is none.

    The change time too: `cp -p` or `rsync -a --inplace` can put new words in the same file
    with the same size and the old modification time, but nothing can set the change time back.
    """
    try:
        status = os.stat(path, follow_symlinks=False)
    except OSError:
        return None
    return (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)


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

    Files are loaded in forked children (they inherit the settings and URLs), one
    child per core for a large library, each sending back every file as it is done;
    a file over the limit gets its child killed, and the files after it go on in a
    new one. With a `cache` (publish/cache.py LoadCache), a file unchanged on disk
    since an earlier publish is not loaded again.
    """
    found, keys = _cached(paths, site, cache) if cache is not None else ({}, {})
    results = dict(found)
    queue = [path for path in paths if path not in found]
    if not settings.CONTENT_READ_IN_CHILDREN and threading.current_thread() is threading.main_thread():
        return results | _read_here(queue, site, cache, keys)  # the quick test run only (settings/test.py)
    if queue:
        _prepare_for_children()
    count = _processes(len(queue))
    children = [_Child(queue[start::count], site, cache, keys) for start in range(count) if queue[start::count]]
    try:
        while children:
            deadline = min(child.deadline for child in children)
            ready = multiprocessing.connection.wait(
                [child.connection for child in children], timeout=max(0.0, deadline - time.monotonic())
            )
            for child in list(children):
                if child.connection in ready:
                    path, result = child.receive()
                elif time.monotonic() >= child.deadline:
                    path, result = child.stop_too_slow()
                else:
                    continue
                results[path] = result
                if child.done:
                    children.remove(child)
                    if child.rest:  # what a stopped child had not loaded yet, in a new one
                        children.append(_Child(child.rest, site, cache, keys))
    finally:
        for child in children:
            child.kill()
    return results


class _TooSlow(BaseException):
    """Raised by _read_here's alarm: not an Exception, so that no loader's `except Exception` takes it."""


def _read_here(paths, site, cache, keys):
    """{path: result} read in this process, each as a child would have ended it: a file over the time
    limit, or whose result cannot cross a pipe, or that ends its reader (SystemExit, any BaseException)
    gets the same problem. Only for the quick test run (settings.CONTENT_READ_IN_CHILDREN off), in the
    main thread, where the time limit can be an alarm."""

    def alarm(*_):
        raise _TooSlow

    results = {}
    previous = signal.signal(signal.SIGALRM, alarm)
    try:
        for path in paths:
            try:
                signal.setitimer(signal.ITIMER_REAL, settings.CONTENT_RENDER_SECONDS)
                try:
                    result = _load_one(path, site, cache, keys.get(path))
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
                results[path] = ForkingPickler.loads(ForkingPickler.dumps(result))  # as it crosses the pipe
            except _TooSlow:
                results[path] = _too_slow(path)
            except KeyboardInterrupt:
                raise
            except BaseException:
                results[path] = _reader_stopped(path)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return results


def _reader_stopped(path):
    return "problems", [Problem(path, "stopped the reader unexpectedly", "tell a developer")]


def _too_slow(path):
    seconds = settings.CONTENT_RENDER_SECONDS
    return "problems", [
        Problem(
            path,
            f"took more than {seconds:g} seconds to read, so it was stopped",
            "look for long runs of [ or ! characters, or lists nested very deep, and remove them",
        )
    ]


def _prepare_for_children():
    """Build here, once, what every child needs, for them to inherit: each would otherwise build
    its own (0.25 s a child in a command). Pages link to addresses, and Django's URL table imports
    every view; the Markdown instance finds its extensions and compiles its patterns."""
    with contextlib.suppress(Exception):  # a URL table that cannot answer: each file's child says so
        addresses.home()
    pipeline.prepare()


class _Child:
    """A forked process loading `paths` one after another, sending each (path, result) as it is done."""

    def __init__(self, paths, site, cache, keys):
        self.paths, self.next, self.rest = paths, 0, []
        self.connection, sending = multiprocessing.Pipe(duplex=False)
        with warnings.catch_warnings():
            # Forking a threaded process (runserver, the test server) is safe here: the
            # child only parses text and touches no lock the parent's threads hold.
            warnings.simplefilter("ignore", DeprecationWarning)
            self.process = multiprocessing.get_context("fork").Process(
                target=_load_and_send, args=(sending, paths, site, cache, keys), daemon=True
            )
            self.process.start()
        sending.close()
        self.deadline = time.monotonic() + settings.CONTENT_RENDER_SECONDS

    @property
    def done(self):
        return self.next >= len(self.paths)

    def receive(self):
        path = self.paths[self.next]
        try:
            _, result = self.connection.recv()
        except (EOFError, OSError):  # the child died (out of memory, a crash in C): the file is named
            result = _reader_stopped(path)
            self.rest = self.paths[self.next + 1 :]
            self.kill()
            self.next = len(self.paths)
            return path, result
        self.next += 1
        self.deadline = time.monotonic() + settings.CONTENT_RENDER_SECONDS
        if self.done:
            self.kill()
        return path, result

    def stop_too_slow(self):
        path = self.paths[self.next]
        self.rest = self.paths[self.next + 1 :]
        self.kill()
        self.next = len(self.paths)
        return path, _too_slow(path)

    def kill(self):
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.connection.close()


def _load_and_send(connection, paths, site, cache, keys):
    """In the child: load each file and send (path, result) at once, so the parent can time each one."""
    for path in paths:
        connection.send((path, _load_one(path, site, cache, keys.get(path))))
    connection.close()


def _front_page_problems(folder, files, pages):
    """The guide's front page (index.md) opens it: its address is the one the handouts, the QR codes and
    every other page give, and the one-page summary is made from it. A guide published without it, or
    with a page before it, answers 404 there or summarises the wrong page. Said whether drafts are
    shown or not, so that the check and the publish agree; a front page that did not load has said why."""
    index = folder / f"{INDEX_STEM}.md"
    published = [page for page in pages if not page.draft]
    if not published:
        return []  # nothing of the guide is published
    if index not in files:
        return [
            Problem(
                index,
                "is missing: it is the guide's front page, whose address the handouts, QR codes and other pages give",
                "restore it (for example with git checkout), or rename the page that opens the guide to index.md",
            )
        ]
    front = next((page for page in pages if page.path == index), None)
    if front is None:
        return []
    if front.draft:
        return [
            Problem(
                index,
                "is a draft, but other pages of the guide are not: the guide would be published without its front page",
                "remove 'draft: true' from index.md, or make every page of the guide a draft",
                _field_line(index, "draft"),
                "draft",
            )
        ]
    first = min(published, key=lambda page: (page.order, page.slug))
    if first is not front:
        return [
            Problem(
                index,
                f"comes after {first.path.name} ('order' {front.order} against {first.order}), but the front page "
                "comes first",
                f"give index.md the smallest 'order' of the guide (smaller than {first.path.name}'s {first.order}), "
                "and number the other pages after it",
                _field_line(index, "order"),
                "order",
            )
        ]
    return []


def _signoffs_of_no_page(reviews, signoffs, pages, files):
    """A sign-off for a page the guide does not have (a name typed by hand, a page since deleted): a
    warning, since it signs nothing. A renamed page's former name is expected, and said nothing of."""
    names = {page.file_stem for page in pages} | {path.stem for path in files}  # a page that did not load too
    names |= {former for page in pages for former in page.former_slugs}
    return [
        Problem(
            reviews,
            f"has a sign-off for '{name}', which is not a page of this guide (it signs nothing)",
            "delete that entry from reviews.yaml (git keeps it); if the page's name is mistyped there, sign the "
            "page off again with make signoff",
            _entry_line(reviews, "page", name),
            "page",
            WARNING,
        )
        for name in sorted(set(signoffs) - names)
    ]


def _signoffs_to_come(reviews, signoffs, today):
    """A sign-off dated after today (make signoff dates each the day it is made): typed by hand, and a label
    "Reviewed on" a day to come would not be true. Checked at each load, never kept with a loaded file."""
    return [
        Problem(
            reviews,
            f"a sign-off is dated {signoff.date.isoformat()}, which has not come yet",
            "delete this entry and sign the page off with make signoff, which dates it today",
            _entry_line(reviews, "date", signoff.date.isoformat()),
            "date",
        )
        for signoff in signoffs.values()
        if signoff.date > today
    ]


def _entry_line(reviews, field, value):
    """The line of `field: value` in reviews.yaml, or None."""
    with contextlib.suppress(OSError, UnicodeDecodeError):
        lines = reviews.read_text(encoding="utf-8").splitlines()
        return next((number for number, text in enumerate(lines, 1) if text.strip(" -") == f"{field}: {value}"), None)
    return None


def _field_line(path, field):
    """The line of `field` in the front matter of `path` (a page that loaded), or None."""
    with contextlib.suppress(OSError, ContentError, UnicodeDecodeError):
        front, first, _, _ = split_front_matter(path.read_text(encoding="utf-8"), path)
        for number, line in enumerate(front.splitlines(), start=first):
            if line.startswith(f"{field}:"):
                return number
    return None


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
    guides, warnings = {}, []
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
        problems.extend(_front_page_problems(folder, files, list(loaded.values())))
        warnings.extend(_signoffs_of_no_page(folder / REVIEWS_FILE, signoffs, list(loaded.values()), files))
        problems.extend(_signoffs_to_come(folder / REVIEWS_FILE, signoffs, timezone.localdate()))
        guides[guide.slug] = guide
    if not guides and not problems:
        problems.append(Problem(root, "has no guide in it", "add a folder with a guide.yaml and its pages"))
    return Library(guides, tuple(problems), site, root, tuple(warnings))
