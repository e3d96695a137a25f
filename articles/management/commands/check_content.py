"""`make check`: every content problem, one line each in the editors' words, then how many."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.content.problems import WARNING
from articles.report import build_report, counts, summary


class Command(BaseCommand):
    help = "Check the content as publishing would; exit 1 on any error (and on warnings with --strict)."
    # No Django system checks first: they would wrap each problem in their own words.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--strict", action="store_true", help="also fail on warnings (overdue review, hard reading)"
        )

    def handle(self, *args, strict, **options):
        problems = [problem for report in build_report(timezone.localdate()) for problem in report.problems]
        for problem in problems:
            self.stdout.write(f"Warning: {problem}" if problem.level == WARNING else str(problem))
        errors, warnings = counts(problems)
        if not problems:
            self.stdout.write("No problems found: the content is ready to publish.")
            return
        self.stdout.write(f"{summary(errors, warnings)}.")
        if errors or strict:
            # A plain exit: CommandError would add "CommandError:" in front of the editors' lines.
            raise SystemExit(1)
