"""The guide content: Markdown files in CONTENT_DIR, loaded into memory.

Layout: one folder per guide, holding `guide.yaml` (the guide's own fields)
and one Markdown file per page; `index.md` is the guide's first page and the
other file names are the page addresses (`benefits.md` -> /<guide>/benefits/).

`get_library()` returns what is loaded, reloading any file whose modification
time or size changed since the last call. A file that turns bad is logged and
its last good version kept, so an editor's mistake never takes a page down.
"""

import dataclasses
import hashlib
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from . import frontmatter as fm
from .problems import ContentError, Problem
from .rendering import render

logger = logging.getLogger(__name__)

GUIDE_FILE = "guide.yaml"
SETTLE_NS = 100_000_000  # 0.1 s: see ContentStore._being_written
INDEX_STEM = "index"
# Page addresses the guide's own URLs use.
RESERVED_SLUGS = {"print", "qr", "static", "privacy"}

# schema.org health aspects a page may declare, by the short name editors write.
HEALTH_ASPECTS = {
    "overview": "OverviewHealthAspect",
    "how-it-works": "HowItWorksHealthAspect",
    "benefits": "BenefitsHealthAspect",
    "usage-or-schedule": "UsageOrScheduleHealthAspect",
    "side-effects": "SideEffectsHealthAspect",
    "safety": "SafetyHealthAspect",
    "see-doctor": "SeeDoctorHealthAspect",
}

PAGE_FIELDS = {
    "title": fm.Field(fm.text, True, "How Botox works"),
    "summary": fm.Field(fm.text, True, "One sentence saying what this page covers."),
    "order": fm.Field(fm.integer, True, "2"),
    "last_reviewed": fm.Field(fm.date, True, "2026-11-01"),
    "next_review_due": fm.Field(fm.date, True, "2027-11-01"),
    "reviewed_by": fm.Field(fm.text, False, "Dr A. Example, dentist"),
    "sources": fm.Field(fm.sources, False, "[{title: ..., url: https://...}]"),
    "draft": fm.Field(fm.boolean, False, "true"),
    "former_slugs": fm.Field(fm.slugs, False, "[old-page-name]"),
    "health_aspect": fm.Field(fm.choice(*HEALTH_ASPECTS), False, "benefits"),
}
GUIDE_FIELDS = {
    "title": fm.Field(fm.text, True, "Botox for jaw pain"),
    "summary": fm.Field(fm.text, True, "One sentence saying what the guide covers."),
    "audience": fm.Field(fm.text, True, "Patients with jaw pain"),
    # The conditions the guide is about, for search engines (schema.org MedicalCondition).
    "about": fm.Field(fm.texts, True, "[Temporomandibular joint disorder, Bruxism]"),
}


@dataclass(frozen=True)
class Page:
    guide_slug: str
    slug: str  # "" for the guide's first page
    path: Path
    title: str
    summary: str
    order: int
    last_reviewed: object
    next_review_due: object
    body: object  # rendering.Rendered: the page and its handout section
    reviewed_by: str = ""
    sources: tuple = ()
    draft: bool = False
    former_slugs: tuple = ()
    health_aspect: str = ""

    @property
    def url(self):
        if not self.slug:
            return reverse("articles:guide", args=[self.guide_slug])
        return reverse("articles:page", args=[self.guide_slug, self.slug])

    @property
    def html(self):
        return self.body.html

    @property
    def file_stem(self):
        return self.slug or INDEX_STEM

    @property
    def canonical_url(self):
        return settings.SITE_URL + self.url

    @property
    def handout_html(self):
        return self.body.handout_html


@dataclass(frozen=True)
class Guide:
    slug: str
    path: Path
    title: str
    summary: str
    audience: str
    about: tuple
    pages: tuple = ()
    # former page slug -> current Page
    redirects: dict = field(default_factory=dict)

    @property
    def url(self):
        return reverse("articles:guide", args=[self.slug])

    @property
    def canonical_url(self):
        return settings.SITE_URL + self.url

    @property
    def closing_page(self):
        """The guide's last page: where every other page's call to action leads."""
        return self.pages[-1] if self.pages else None

    def page(self, slug):
        return next((page for page in self.pages if page.slug == slug), None)

    def neighbours(self, page):
        """(previous page, next page); None at either end."""
        index = self.pages.index(page)
        previous = self.pages[index - 1] if index > 0 else None
        following = self.pages[index + 1] if index + 1 < len(self.pages) else None
        return previous, following


@dataclass(frozen=True)
class Library:
    guides: dict
    problems: tuple
    # Changes whenever any content file changes; used for ETags and caches.
    version: str = ""
    last_modified: float = 0.0
    # Whole responses made from this version of the content (see responses.py).
    responses: dict = field(default_factory=dict, compare=False, repr=False)

    def guide(self, slug):
        return self.guides.get(slug)


# --- Reading one file ---------------------------------------------------------


def read_text(path):
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ContentError([Problem(path, f"is not UTF-8 text ({error.reason})", "save the file as UTF-8")]) from error


def load_guide(path):
    """Read a guide folder's guide.yaml into a Guide with no pages yet."""
    name = path.parent.name
    if not fm.SLUG_RE.fullmatch(name) or name in RESERVED_SLUGS:
        hint = "name it in lowercase words joined by hyphens, e.g. botox-jaw-pain"
        if name in RESERVED_SLUGS:
            hint += f"; '{name}' is used by the site itself"
        raise ContentError([Problem(path, f"the folder name '{name}' cannot be a guide's address", hint)])
    entries = fm.read_mapping(read_text(path), path)
    values, problems = fm.validate(entries, GUIDE_FIELDS, path)
    if problems:
        raise ContentError(problems)
    return Guide(slug=path.parent.name, path=path.parent, **values)


def load_page(path):
    """Read and render one page file, or raise ContentError saying what is wrong."""
    path = Path(path)
    guide_slug, stem = path.parent.name, path.stem
    problems = []
    if not fm.SLUG_RE.fullmatch(stem) or stem in RESERVED_SLUGS:
        problems.append(
            Problem(
                path,
                f"the file name '{path.name}' cannot be a page address",
                "name it in lowercase words joined by hyphens, e.g. how-it-works.md"
                + (f"; '{stem}' is used by the site itself" if stem in RESERVED_SLUGS else ""),
            )
        )
    text = read_text(path)
    front, front_line, body, body_line = fm.split_front_matter(text, path)
    values, found = fm.validate(fm.read_mapping(front, path, front_line), PAGE_FIELDS, path)
    problems.extend(found)
    reviewed, due = values.get("last_reviewed"), values.get("next_review_due")
    if reviewed and due and due <= reviewed:
        problems.append(
            Problem(path, "'next_review_due' is not after 'last_reviewed'", "set a later date", None, "next_review_due")
        )
    slug = "" if stem == INDEX_STEM else stem
    rendered = render(body, path, body_line, lambda target, fragment: _page_url(guide_slug, target, fragment), stem)
    problems.extend(rendered.problems)
    if problems:
        raise ContentError(problems)
    return Page(guide_slug=guide_slug, slug=slug, path=path, body=rendered, **values)


def _page_url(guide_slug, stem, fragment=""):
    if stem == INDEX_STEM:
        url = reverse("articles:guide", args=[guide_slug])
    else:
        url = reverse("articles:page", args=[guide_slug, stem])
    return f"{url}#{fragment}" if fragment else url


# --- The whole library, reloaded on change ------------------------------------


def scan(root):
    """{path: (mtime_ns, size)} of every content file: the cheap change check made on each request.

    Plain strings and os.scandir, no Path objects: this runs on every request.
    """
    stamps = {}
    try:
        with os.scandir(root) as entries:
            folders = sorted(entry.path for entry in entries if entry.is_dir() and not entry.name.startswith("."))
    except FileNotFoundError:
        return stamps
    for folder in folders:
        try:
            with os.scandir(folder) as found:
                entries = list(found)
        except FileNotFoundError:
            continue
        if not any(entry.name == GUIDE_FILE for entry in entries):
            continue
        for entry in entries:
            name = entry.name
            if name == GUIDE_FILE or (name.endswith(".md") and not name.startswith(".")):
                try:
                    stat = entry.stat()
                except FileNotFoundError:
                    continue
                stamps[entry.path] = (stat.st_mtime_ns, stat.st_size)
    return stamps


class ContentStore:
    """Holds the loaded library for one content folder and keeps it current."""

    def __init__(self, root, show_drafts=False, log_problems=True):
        self.root = Path(root)
        self.show_drafts = show_drafts
        self.log_problems = log_problems
        self._lock = threading.Lock()
        self._stamps = None  # the stamps the library was built from
        self._seen = None  # the last scan that needed no waiting
        self._missing_since = {}  # path -> when it was first found missing
        self._library = Library({}, ())
        self._results = {}  # path -> (stamp, loaded object or ContentError)
        self._good = {}  # path -> the last loaded object that had no errors

    def library(self):
        stamps = scan(self.root)
        if stamps != self._seen:
            with self._lock:
                if stamps != self._seen:
                    settled = self._settled(stamps)
                    if settled != self._stamps:
                        self._library = self._build(settled)
                        self._stamps = settled
                    if settled == stamps:
                        self._seen = stamps  # up to date; until then, look again on every call
        return self._library

    def _settled(self, stamps):
        """The stamps to load now: a file changed or removed within SETTLE_NS keeps its last version.

        Editors and tools that write in place (not by renaming a finished file), or
        that delete a file and write it anew, leave a moment where it is empty,
        partial or missing. Waiting for it to be still that long means a visitor
        never sees that moment.
        """
        if self._stamps is None:
            return stamps
        now = time.time_ns()
        settled = {}
        for path, stamp in stamps.items():
            previous = self._stamps.get(path)
            if previous != stamp and 0 <= now - stamp[0] < SETTLE_NS:
                if previous:
                    settled[path] = previous
                continue
            settled[path] = stamp
        self._missing_since = {path: self._missing_since.get(path, now) for path in self._stamps if path not in stamps}
        for path, since in self._missing_since.items():
            if now - since < SETTLE_NS:
                settled[path] = self._stamps[path]
        return settled

    def _load(self, path, stamp):
        cached = self._results.get(path)
        if cached and cached[0] == stamp:
            return cached[1]
        loader = load_guide if path.name == GUIDE_FILE else load_page
        try:
            result = loader(path)
            self._good[path] = result
        except FileNotFoundError:
            result = None  # deleted while we looked: the next scan will see it gone
        except ContentError as error:
            result = error
            self._log(path, error)
        except Exception as error:  # a bug of ours must not take the site down either
            logger.exception("Could not load %s", path)
            result = ContentError(
                [Problem(path, f"could not be loaded ({type(error).__name__}: {error})", "tell a developer")]
            )
        self._results[path] = (stamp, result)
        return result

    def _log(self, path, error):
        if self.log_problems:
            kept = "keeping its last good version" if path in self._good else "it is not served"
            for problem in error.problems:
                logger.error("%s (%s)", problem, kept)

    def _build(self, stamps):
        problems = []
        folders = {}
        for name, stamp in stamps.items():
            path = Path(name)
            result = self._load(path, stamp)
            if isinstance(result, ContentError):
                problems.extend(result.problems)
            folders.setdefault(path.parent, []).append(path)
        # Forget files that are gone, so a deleted page stops being served.
        for path in set(self._good) - {Path(name) for name in stamps}:
            del self._good[path]
            self._results.pop(path, None)
        guides = {}
        for folder, paths in sorted(folders.items()):
            meta = self._good.get(folder / GUIDE_FILE)
            if meta is None:
                continue
            pages = [self._good[path] for path in sorted(paths) if path.name != GUIDE_FILE and path in self._good]
            guide, found = _assemble(meta, pages, self.show_drafts)
            guides[guide.slug] = guide
            problems.extend(found)
        # The same in every worker process (unlike hash()), so ETags agree.
        version = hashlib.sha256(repr(sorted(stamps.items())).encode()).hexdigest()[:16]
        last_modified = max((stamp[0] for stamp in stamps.values()), default=0) / 1e9
        return Library(guides, tuple(problems), version, last_modified)


def _assemble(meta, pages, show_drafts):
    """Order a guide's pages and check what only shows across files."""
    problems = []
    by_order = {}
    for page in sorted(pages, key=lambda page: (page.order, page.slug)):
        if page.order in by_order:
            other = by_order[page.order]
            problems.append(
                Problem(
                    page.path,
                    f"'order' {page.order} is also used by {other.path.name}",
                    "give each page its own number",
                    None,
                    "order",
                )
            )
        by_order.setdefault(page.order, page)
    pages = sorted(pages, key=lambda page: (page.order, page.slug))
    if not show_drafts:
        pages = [page for page in pages if not page.draft]
    slugs = {page.slug for page in pages}
    redirects = {}
    for page in pages:
        for former in page.former_slugs:
            if former in slugs or former in redirects:
                problems.append(
                    Problem(
                        page.path,
                        f"the former address '{former}' is in use by another page",
                        "remove it from 'former_slugs'",
                        None,
                        "former_slugs",
                    )
                )
            else:
                redirects[former] = page
    guide = dataclasses.replace(meta, pages=tuple(pages), redirects=redirects)
    return guide, problems


_store = None
_store_lock = threading.Lock()


def get_library():
    """The current library for settings.CONTENT_DIR, reloaded if any file changed."""
    global _store
    key = (Path(settings.CONTENT_DIR), settings.SHOW_DRAFTS)
    store = _store
    if store is None or (store.root, store.show_drafts) != key:
        with _store_lock:
            store = _store = ContentStore(*key)
    return store.library()


def load_fresh(root=None):
    """Load a content folder from scratch (for checks and reports, which print the problems themselves)."""
    return ContentStore(root or settings.CONTENT_DIR, show_drafts=True, log_problems=False).library()
