"""The content report: every page's readability, review dates and problems.

Used by `manage.py content_report` and `manage.py check_content` (`make
report`, `make check`). It adds to each file's own problems what only shows
across pages (links and section anchors that do not resolve, missing images)
and what an editor should act on soon (overdue review, hard reading).
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError

from articles.checks.readability import GRADE_LIMIT, MAX_SENTENCE_WORDS, measure
from articles.checks.site import page_problems
from articles.content.files import GUIDE_FILE, scan
from articles.content.problems import ERROR, WARNING, Problem, display_path
from articles.render.library import load_library


@dataclass
class FileReport:
    path: object
    guide: str = ""  # the guide's folder name; "" for a file of the whole site (site.yaml)
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
    library = load_library(root, drafts=True)
    folders, _, _ = scan(library.root)
    reports = {path: FileReport(path, _guide_of(path, library.root)) for files in folders.values() for path in files}
    for problem in library.problems:
        report = reports.setdefault(problem.path, FileReport(problem.path, _guide_of(problem.path, library.root)))
        report.problems.append(problem)
    ordered = []
    for guide in library.guides.values():
        for page in guide.pages:
            report = reports.pop(page.path)
            report.page = page
            report.readability = measure(page.handout_html)
            report.problems.extend(page_problems(library, guide, page))
            report.problems.extend(_warnings(page, report.readability, today))
            ordered.append(report)
    # Then the files that did not load, and guide files with problems.
    ordered.extend(report for path, report in reports.items() if path.name != GUIDE_FILE or report.problems)
    return ordered


def helpful_shares():
    """{page address: its feedback counts (feedback.summary.PageCounts)}; {} before the database is set up."""
    from feedback.summary import page_counts

    try:
        return {row.page: row for row in page_counts()}
    except DatabaseError:
        return {}


def _guide_of(path, root):
    """The guide folder a path is in, or is ("" for the content folder itself and site.yaml)."""
    try:
        parts = Path(path).relative_to(root).parts
    except ValueError:
        return ""
    return parts[0] if len(parts) > 1 or (parts and not Path(parts[0]).suffix) else ""


def counts(problems):
    """(errors, warnings) among `problems`."""
    errors = sum(1 for problem in problems if problem.level == ERROR)
    return errors, len(problems) - errors


def summary(errors, warnings):
    """'1 error', '2 errors and 1 warning', 'no problems'."""
    said = [plural(number, word) for number, word in ((errors, "error"), (warnings, "warning")) if number]
    return " and ".join(said) or "no problems"


def plural(number, word):
    return f"{number} {word}{'' if number == 1 else 's'}"


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


def as_json(reports, today, shares=None):
    shares = shares or {}
    pages = []
    for report in reports:
        entry = {
            "file": display_path(report.path),
            "guide": report.guide,
            "problems": [problem.as_dict() for problem in report.problems],
        }
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
                helpful_share=shares[page.url].share if page.url in shares else None,
            )
        pages.append(entry)
    return pages
