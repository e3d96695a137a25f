"""The guide content: Markdown files with front matter, one folder per guide.

Layout: one folder per guide, holding `guide.yaml` (the guide's own fields)
and one Markdown file per page; `index.md` is the guide's first page and the
other file names are the page addresses (`benefits.md` -> /<guide>/benefits/).

This module reads one file into a Page or a Guide; `loading.py` reads a
whole folder within bounds, and `publishing.py` turns it into a release.
"""

import dataclasses
import functools
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.utils import timezone

from articles.checks.evidence import check_evidence
from articles.content import addresses
from articles.content import frontmatter as fm
from articles.content.addresses import INDEX_STEM, RESERVED_SLUGS
from articles.content.files import read_bounded
from articles.content.problems import ContentError, Problem
from articles.content.reviews import evidence_path, fingerprint, review_of
from articles.render.pipeline import render

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
    # Optional: a review due sooner than a year after sign-off (see reviews.review_of).
    "next_review_due": fm.Field(fm.date, False, "2027-11-01"),
    "sources": fm.Field(fm.sources, False, "[{title: ..., url: https://...}]"),
    "draft": fm.Field(fm.boolean, False, "true"),
    "former_slugs": fm.Field(fm.slugs, False, "[old-page-name]"),
    "health_aspect": fm.Field(fm.choice(*HEALTH_ASPECTS), False, "benefits"),
}
# Fields that pages used to have, and what took their place.
RETIRED_FIELDS = {
    "last_reviewed": "the date a clinician reviewed the page now comes from their sign-off",
    "reviewed_by": "who reviewed the page now comes from their sign-off",
}
RETIRED_HINT = (
    "delete this line; a clinician signs the page off with "
    'make signoff PAGE={page} BY="Name" ROLE="Role" (see docs/editing.md, "Clinical review")'
)

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
    body: object  # rendering.Rendered: the page and its handout section
    text_hash: str = ""  # reviews.fingerprint of the file and its evidence log, as loaded: its words' dates
    review_hash: str = ""  # the same and what else the page shows (pictures, emergency advice): its sign-off
    has_evidence_log: bool = False
    next_review_due: object = None  # the editor's own date, if any
    sources: tuple = ()
    draft: bool = False
    former_slugs: tuple = ()
    health_aspect: str = ""
    signoff: object = None  # reviews.SignOff: the page's latest clinical sign-off, if any
    first_published: object = None  # when this exact text was first published (publishing records it)
    # What is wrong with the page's evidence log: found as it loads (so a publish of thousands of
    # pages reads again only the logs that changed), reported with the site's other problems.
    evidence_problems: tuple = ()
    # ((sentence, (source address, ...)), ...) from the same reading of the log: the handouts' sources.
    evidence_sources: tuple = ()

    @property
    def review(self):
        """What the page may say about its clinical review: worked out, never typed."""
        return review_of(
            self.text_hash,
            self.signoff,
            self.first_published,
            self.next_review_due,
            timezone.localdate(),
            shown=self.review_hash,
        )

    @functools.cached_property
    def url(self):
        # Asked for thousands of times in a large library (every page lists its guide's pages):
        # worked out once. Not a field, so it is not compared, shown or hashed.
        return addresses.page(self.guide_slug, self.slug)

    @property
    def source_groups(self):
        """[(heading, sources)] for the page's "Sources": one group per kind, in the order of
        frontmatter.SOURCE_KINDS, each headed by what its sources are; one list, with no heading,
        when every source is of the same kind."""
        groups = {kind: [] for kind in fm.SOURCE_KINDS}
        for source in self.sources:
            groups[source.kind].append(source)
        found = [(fm.SOURCE_KINDS[kind], tuple(sources)) for kind, sources in groups.items() if sources]
        return [("", found[0][1])] if len(found) == 1 else found

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
        return addresses.guide(self.slug)

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


# --- Reading one file ---------------------------------------------------------


def load_guide(path, site=None):
    """Read a guide folder's guide.yaml into a Guide with no pages yet (the folder name is checked by scan())."""
    entries = fm.read_mapping(read_bounded(path), path)
    values, problems = fm.validate(entries, GUIDE_FIELDS, path)
    if problems:
        raise ContentError(problems)
    return Guide(slug=path.parent.name, path=path.parent, **values)


def _shown_beside(rendered, emergency, site):
    """What the page shows that is not in its file: each picture's bytes (and those of its simpler
    version for the one-page summary), and the clinic's emergency advice and number in its urgent boxes."""
    shown = []
    if "callout--urgent" in rendered.html:
        shown.append(f"emergency\0{emergency}\0{site.emergency_phone if site else ''}")
    for src, _ in rendered.images:
        name = src.removeprefix("/static/")
        for each in (name, f"{name.removesuffix('.svg')}-summary.svg" if name.endswith(".svg") else None):
            try:
                found = each and finders.find(each)
            except SuspiciousFileOperation:
                found = None
            if found:
                shown.append(f"picture\0{each}\0{hashlib.sha256(Path(found).read_bytes()).hexdigest()}")
    return shown


def load_page(path, site=None):
    """Read and render one page file, or raise ContentError saying what is wrong.

    `site` (identity.Site) gives the clinic's emergency advice for urgent callouts.
    """
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
    text = read_bounded(path)
    try:
        evidence = read_bounded(evidence_path(path))
    except FileNotFoundError:
        evidence = None
    front, front_line, body, body_line = fm.split_front_matter(text, path)
    entries = fm.read_mapping(front, path, front_line)
    for name, replaced_by in RETIRED_FIELDS.items():
        if entry := entries.pop(name, None):
            hint = RETIRED_HINT.format(page=f"{guide_slug}/{stem}")
            problems.append(Problem(path, f"'{name}' is no longer used: {replaced_by}", hint, entry.line, name))
    values, found = fm.validate(entries, PAGE_FIELDS, path)
    problems.extend(found)
    problems.extend(fm.hidden_characters_in_text(body, path, body_line))
    slug = "" if stem == INDEX_STEM else stem
    emergency = site.emergency_advice if site else None
    rendered = render(
        body,
        path,
        body_line,
        lambda target, fragment: addresses.page(guide_slug, target, fragment),
        stem,
        emergency,
        site.emergency_phone if site else "",
    )
    problems.extend(rendered.problems)
    if problems:
        raise ContentError(problems)
    text_hash = fingerprint(text, evidence)
    review_hash = fingerprint(text, evidence, _shown_beside(rendered, emergency, site))
    page = Page(
        guide_slug=guide_slug,
        slug=slug,
        path=path,
        body=rendered,
        text_hash=text_hash,
        review_hash=review_hash,
        has_evidence_log=evidence is not None,
        **values,
    )
    problems, cited = check_evidence(page, evidence)  # the log as read above: one reading for all
    return dataclasses.replace(page, evidence_problems=tuple(problems), evidence_sources=cited)


def assemble(meta, pages, show_drafts, signoffs=None):
    """Order a guide's pages, give each its latest sign-off, and check what only shows across files."""
    signoffs = signoffs or {}
    pages = [dataclasses.replace(page, signoff=signoffs.get(page.file_stem)) for page in pages]
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
            if former in RESERVED_SLUGS:
                problems.append(
                    Problem(
                        page.path,
                        f"the former address '{former}' is used by the site itself",
                        "remove it from 'former_slugs'",
                        None,
                        "former_slugs",
                    )
                )
            elif former in slugs or former in redirects or former == INDEX_STEM:
                what = "the guide's front page" if former in {"", INDEX_STEM} else "in use by another page"
                problems.append(
                    Problem(
                        page.path,
                        f"the former address '{former}' is {what}",
                        "remove it from 'former_slugs'",
                        None,
                        "former_slugs",
                    )
                )
            else:
                redirects[former] = page
    guide = dataclasses.replace(meta, pages=tuple(pages), redirects=redirects)
    return guide, problems
