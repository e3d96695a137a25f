"""The content report: every page's readability, review dates and problems.

Used by `manage.py content_report` and `manage.py check_content` (`make
report`, `make check`). It adds to each file's own problems what only shows
across pages (links and section anchors that do not resolve, missing images)
and what an editor should act on soon (overdue review, hard reading).
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError

from articles.checks.readability import GRADE_LIMIT, MAX_SENTENCE_WORDS, SMOG_LIMIT, measure
from articles.checks.site import page_problems, page_titles, published_address_problems, review_problems
from articles.content.files import GUIDE_FILE, REVIEWS_FILE, scan
from articles.content.problems import ERROR, WARNING, Problem, display_path
from articles.render.library import load_library


@dataclass
class FileReport:
    path: object
    guide: str = ""  # the guide's folder name; "" for a file of the whole site (site.yaml)
    page: object = None  # the loaded Page, or None when the file has errors
    readability: object = None
    problems: list = field(default_factory=list)

    @property
    def review_state(self):
        """'signed off', 'CHANGED since sign-off' or 'not yet reviewed'."""
        review = self.page.review
        if review.reviewed:
            return "signed off"
        return "CHANGED since sign-off" if review.changed else "not yet reviewed"

    @property
    def reviewer(self):
        signoff = self.page.review.signoff
        return f"{signoff.reviewer} ({signoff.role}), {signoff.date.isoformat()}" if signoff else "-"

    def days_until_review(self, today):
        """Days until the next review is due (negative when overdue); None when it is due now
        because no clinician has signed off the page as it is."""
        review = self.page.review
        return (review.next_review_due - today).days if review.reviewed else None

    def review_status(self, today):
        """'due in N days', 'due today', 'OVERDUE by N days', or why it is due now."""
        days = self.days_until_review(today)
        if days is None:
            return "due now: changed since sign-off" if self.page.review.changed else "due now: never signed off"
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
    for problem in (*library.problems, *library.warnings):
        report = reports.setdefault(problem.path, FileReport(problem.path, _guide_of(problem.path, library.root)))
        report.problems.append(problem)
    # As publishing refuses them, when the clinic publishes only signed-off pages.
    unreviewed = {}
    for problem in review_problems(library) if settings.REQUIRE_CLINICAL_REVIEW else ():
        unreviewed.setdefault(problem.path, []).append(problem)
    ordered = []
    for guide in library.guides.values():
        titles = page_titles(guide)
        for page in guide.pages:
            report = reports.pop(page.path)
            report.page = page
            report.readability = measure(page.handout_html)
            report.problems.extend(page_problems(library, guide, page, titles=titles))
            report.problems.extend(unreviewed.get(page.path, ()))
            report.problems.extend(_warnings(page, report.readability, today))
            ordered.append(report)
    for problem in published_address_problems(library):
        report = reports.setdefault(problem.path, FileReport(problem.path, _guide_of(problem.path, library.root)))
        report.problems.append(problem)
    # Pages changed since their sign-off first: their labels say so until a clinician signs them off again.
    ordered.sort(key=lambda report: not report.page.review.changed)
    # Then the files that did not load, and guide files with problems.
    ordered.extend(
        report for path, report in reports.items() if path.name not in (GUIDE_FILE, REVIEWS_FILE) or report.problems
    )
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
    review = page.review
    if review.reviewed and review.next_review_due < today:
        days = (today - review.next_review_due).days
        yield Problem(
            page.path,
            f"review is OVERDUE by {days} days (was due {review.next_review_due.isoformat()})",
            "have a clinician review it, then sign it off again: "
            f'make signoff PAGE={page.guide_slug}/{page.file_stem} BY="Their name" ROLE="Their role"',
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
    if readability.smog > SMOG_LIMIT:
        yield Problem(
            page.path,
            f"SMOG reading grade is {readability.smog}, over the limit of {SMOG_LIMIT}",
            "use fewer long words (three syllables or more) and shorter sentences",
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
                smog=measured.smog,
                long_sentences=measured.long_sentences,
                review_state=page.review.state,
                **_signoff_json(page.review.signoff),
                next_review_due=page.review.next_review_due.isoformat() if page.review.reviewed else None,
                days_until_review=report.days_until_review(today),
                review_status=report.review_status(today),
                helpful_share=shares[page.url].share if page.url in shares else None,
            )
        pages.append(entry)
    return pages


def _signoff_json(signoff):
    if signoff is None:
        return {"reviewer": None, "role": None, "signed_off": None}
    return {"reviewer": signoff.reviewer, "role": signoff.role, "signed_off": signoff.date.isoformat()}
