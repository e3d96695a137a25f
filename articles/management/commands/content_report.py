import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.checks.readability import GRADE_LIMIT, SMOG_LIMIT
from articles.content.problems import ERROR, display_path
from articles.report import as_json, build_report, counts, helpful_shares, plural, summary

COLUMNS = (
    "Guide",
    "Page",
    "Words",
    "Read",
    "Grade",
    "SMOG",
    "Long",
    "Clinical review",
    "Signed off by",
    "Next review",
)
RIGHT_ALIGNED = {2, 4, 5, 6}


class Command(BaseCommand):
    help = (
        "Report each content page's guide, readability, clinical review and problems, pages changed since "
        "their sign-off first (exit 1 only with --strict)."
    )
    # The report makes the content checks itself, in the editors' words.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["table", "json"], default="table")
        parser.add_argument(
            "--strict",
            action="store_true",
            help="exit 1 on any problem, warnings included (overdue review, hard reading)",
        )

    def handle(self, *args, format, strict, **options):
        today = timezone.localdate()
        reports = build_report(today)
        problems = [problem for report in reports for problem in report.problems]
        errors, warnings = counts(problems)
        if format == "json":
            summary_fields = {
                "errors": errors,
                "warnings": warnings,
                "grade_limit": GRADE_LIMIT,
                "smog_limit": SMOG_LIMIT,
            }
            pages = as_json(reports, today, helpful_shares())
            self.stdout.write(json.dumps({"pages": pages, **summary_fields}, indent=2))
        else:
            self.write_table(reports, today)
            self.write_feedback(reports, helpful_shares())
            self.write_problems(problems)
            self.stdout.write(f"\n{plural(len(reports), 'file')}, {summary(errors, warnings)}.")
        if strict and problems:
            raise SystemExit(1)

    def write_table(self, reports, today):
        rows = [COLUMNS]
        for report in reports:
            if report.page is None:
                rows.append(
                    (
                        report.guide,
                        display_path(report.path),
                        "-",
                        "-",
                        "-",
                        "-",
                        "-",
                        "-",
                        "-",
                        "not loaded: see problems",
                    )
                )
                continue
            page, measured = report.page, report.readability
            rows.append(
                (
                    report.guide,
                    page.title + (" (draft)" if page.draft else ""),
                    str(measured.words),
                    f"{measured.reading_minutes} min",
                    f"{measured.grade:.1f}",
                    f"{measured.smog:.1f}",
                    str(measured.long_sentences),
                    report.review_state,
                    report.reviewer,
                    _next_review(report, today),
                )
            )
        widths = [max(len(row[column]) for row in rows) for column in range(len(COLUMNS))]
        for number, row in enumerate(rows):
            cells = [
                cell.rjust(width) if column in RIGHT_ALIGNED else cell.ljust(width)
                for column, (cell, width) in enumerate(zip(row, widths, strict=True))
            ]
            line = "  ".join(cells).rstrip()
            self.stdout.write(self.style.MIGRATE_HEADING(line) if number == 0 else line)

    def write_feedback(self, reports, shares):
        """Each page's share of "helpful" among patients' Yes/No answers (`make feedback` has the counts)."""
        pages = [report.page for report in reports if report.page and report.page.url in shares]
        if not pages:
            return
        self.stdout.write('\n"Was this page helpful?" (make feedback for the counts, the admin for the comments):')
        width = max(len(page.title) for page in pages)
        for page in pages:
            counted = shares[page.url]
            self.stdout.write(f"  {page.title.ljust(width)}  {counted.share_text} helpful, of {counted.answered}")

    def write_problems(self, problems):
        if not problems:
            self.stdout.write(self.style.SUCCESS("\nNo problems found."))
            return
        self.stdout.write("\nProblems:")
        for problem in problems:
            style = self.style.ERROR if problem.level == ERROR else self.style.WARNING
            self.stdout.write(style(f"  {problem.level.upper()}: {problem}"))


def _next_review(report, today):
    review = report.page.review
    if review.reviewed:
        return f"{review.next_review_due.isoformat()} ({report.review_status(today)})"
    return report.review_status(today)
