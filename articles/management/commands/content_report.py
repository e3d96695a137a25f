import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles.problems import ERROR, WARNING, display_path
from articles.readability import GRADE_LIMIT
from articles.report import as_json, build_report

COLUMNS = ("Page", "Words", "Read", "Grade", "Long", "Last reviewed", "Next review")


class Command(BaseCommand):
    help = "Report each content page's readability, review dates and problems (exit 1 on errors)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["table", "json"], default="table")
        parser.add_argument(
            "--strict", action="store_true", help="also fail on warnings (overdue review, hard reading)"
        )

    def handle(self, *args, format, strict, **options):
        today = timezone.localdate()
        reports = build_report(today)
        problems = [problem for report in reports for problem in report.problems]
        errors = sum(1 for problem in problems if problem.level == ERROR)
        warnings = sum(1 for problem in problems if problem.level == WARNING)
        if format == "json":
            summary = {"errors": errors, "warnings": warnings, "grade_limit": GRADE_LIMIT}
            self.stdout.write(json.dumps({"pages": as_json(reports, today), **summary}, indent=2))
        else:
            self.write_table(reports, today)
            self.write_problems(problems)
            self.stdout.write(f"\n{len(reports)} files, {errors} errors, {warnings} warnings.")
        if errors or (strict and warnings):
            failed = f"{errors} errors" + (f" and {warnings} warnings (--strict)" if strict and warnings else "")
            raise CommandError(f"Content has {failed}.", returncode=1)

    def write_table(self, reports, today):
        rows = [COLUMNS]
        for report in reports:
            if report.page is None:
                rows.append((display_path(report.path), "-", "-", "-", "-", "-", "not loaded: see problems"))
                continue
            page, measured = report.page, report.readability
            rows.append(
                (
                    page.title + (" (draft)" if page.draft else ""),
                    str(measured.words),
                    f"{measured.reading_minutes} min",
                    f"{measured.grade:.1f}",
                    str(measured.long_sentences),
                    page.last_reviewed.isoformat(),
                    f"{page.next_review_due.isoformat()} ({report.review_status(today)})",
                )
            )
        widths = [max(len(row[column]) for row in rows) for column in range(len(COLUMNS))]
        for number, row in enumerate(rows):
            cells = [
                cell.rjust(width) if column in (1, 3, 4) else cell.ljust(width)
                for column, (cell, width) in enumerate(zip(row, widths, strict=True))
            ]
            line = "  ".join(cells).rstrip()
            self.stdout.write(self.style.MIGRATE_HEADING(line) if number == 0 else line)

    def write_problems(self, problems):
        if not problems:
            self.stdout.write(self.style.SUCCESS("\nNo problems found."))
            return
        self.stdout.write("\nProblems:")
        for problem in problems:
            style = self.style.ERROR if problem.level == ERROR else self.style.WARNING
            self.stdout.write(style(f"  {problem.level.upper()}: {problem}"))
