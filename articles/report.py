"""The content report: every page's readability, review dates and problems.

Used by `manage.py content_report`. It adds to the system checks what only
shows across pages (links and section anchors that do not resolve, missing
images) and what an editor should act on soon (overdue review, hard reading).
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.urls import Resolver404, resolve

from .content import GUIDE_FILE, INDEX_STEM, load_fresh, scan
from .problems import WARNING, Problem, display_path
from .readability import GRADE_LIMIT, MAX_SENTENCE_WORDS, measure

STATIC_PREFIX = "/static/"


@dataclass
class FileReport:
    path: object
    page: object = None  # the loaded Page, or None when the file has errors
    readability: object = None
    problems: list = field(default_factory=list)

    def review_status(self, today):
        """'due in N days', 'due today' or 'OVERDUE by N days'."""
        days = (self.page.next_review_due - today).days
        if days > 0:
            return f"due in {days} day{'s' if days != 1 else ''}"
        if days == 0:
            return "due today"
        return f"OVERDUE by {-days} day{'s' if days != -1 else ''}"


def build_report(today, root=None):
    """One FileReport for each content file, in guide and page order."""
    library = load_fresh(root)
    stamps = scan(root or settings.CONTENT_DIR)
    reports = {Path(path): FileReport(Path(path)) for path in sorted(stamps)}
    for problem in library.problems:
        reports.setdefault(problem.path, FileReport(problem.path)).problems.append(problem)
    ordered = []
    for guide in library.guides.values():
        for page in guide.pages:
            report = reports.pop(page.path)
            report.page = page
            report.readability = measure(page.handout_html)
            report.problems.extend(_link_problems(library, guide, page))
            report.problems.extend(_warnings(page, report.readability, today))
            ordered.append(report)
    # Then the files that did not load, and guide files with problems.
    ordered.extend(report for path, report in reports.items() if path.name != GUIDE_FILE or report.problems)
    return ordered


def _link_problems(library, guide, page):
    pages_by_url = {other.url: other for each in library.guides.values() for other in each.pages}
    for link in page.body.links:
        if link.page is None:
            target = page
        elif link.href.startswith("/"):
            target = pages_by_url.get(link.href.partition("#")[0])
            if target is None:
                if _is_site_address(library, link.href):
                    continue
                yield Problem(
                    page.path,
                    f"links to '{link.href}', which is not a page of this site",
                    "check the address",
                    link.line,
                    "body",
                )
                continue
        else:
            target = guide.page("" if link.page == INDEX_STEM else link.page)
            if target is None:
                yield Problem(
                    page.path,
                    f"links to '{link.href}', but there is no page {link.page}.md",
                    "link to one of the guide's files, e.g. benefits.md",
                    link.line,
                    "body",
                )
                continue
        if link.fragment and link.fragment not in {heading.id for heading in target.body.headings}:
            where = "this page" if target is page else f"{target.file_stem}.md"
            yield Problem(
                page.path,
                f"links to the section '#{link.fragment}', which is not on {where}",
                "use the id of one of its headings",
                link.line,
                "body",
            )
    for src, line in page.body.images:
        if not _static_file_exists(src):
            yield Problem(
                page.path,
                f"shows the image '{src}', which does not exist",
                "put it in static/ and write /static/...",
                line,
                "body",
            )


def _static_file_exists(src):
    if not src.startswith(STATIC_PREFIX):
        return False
    try:
        return bool(finders.find(src.removeprefix(STATIC_PREFIX)))
    except SuspiciousFileOperation:  # /static/../settings.py
        return False


def _is_site_address(library, href):
    """Whether a site path (not a guide page) answers: the home page, a handout, a QR code..."""
    try:
        match = resolve(href.partition("#")[0])
    except Resolver404:
        return False
    if match.url_name in {"home", "privacy", "robots", "sitemap"}:
        return True
    guide = library.guide(match.kwargs.get("guide_slug"))
    if match.url_name in {"handout", "guide_qr"}:
        return guide is not None
    if match.url_name == "page_qr":
        return guide is not None and guide.page(match.kwargs["page_slug"]) is not None
    return False


def _warnings(page, readability, today):
    if page.next_review_due < today:
        days = (today - page.next_review_due).days
        yield Problem(
            page.path,
            f"review is OVERDUE by {days} days (was due {page.next_review_due.isoformat()})",
            "have the page reviewed, then update last_reviewed and next_review_due",
            None,
            "next_review_due",
            WARNING,
        )
    if not page.sources:
        yield Problem(
            page.path,
            "lists no sources",
            "add 'sources:' to its front matter, with the title and url of each page its facts come from",
            None,
            "sources",
            WARNING,
        )
    if readability.grade > GRADE_LIMIT:
        yield Problem(
            page.path,
            f"reading grade is {readability.grade}, over the limit of {GRADE_LIMIT}",
            "use shorter sentences and everyday words",
            None,
            "body",
            WARNING,
        )
    if readability.longest_words > MAX_SENTENCE_WORDS:
        yield Problem(
            page.path,
            f"has a sentence of {readability.longest_words} words (limit {MAX_SENTENCE_WORDS}): "
            f"'{readability.longest_sentence[:80]}'",
            "split it in two",
            None,
            "body",
            WARNING,
        )


def as_json(reports, today):
    pages = []
    for report in reports:
        entry = {"file": display_path(report.path), "problems": [problem.as_dict() for problem in report.problems]}
        if report.page:
            page, measured = report.page, report.readability
            entry.update(
                title=page.title,
                url=page.url,
                draft=page.draft,
                words=measured.words,
                reading_minutes=measured.reading_minutes,
                grade=measured.grade,
                long_sentences=measured.long_sentences,
                last_reviewed=page.last_reviewed.isoformat(),
                next_review_due=page.next_review_due.isoformat(),
                review_status=report.review_status(today),
            )
        pages.append(entry)
    return pages
