from django.core.management.base import BaseCommand

from feedback.summary import page_counts


def plural(number, word):
    return f"{number} {word}{'' if number == 1 else 's'}"


COLUMNS = ("Page", "Helpful", "Not helpful", "Share helpful", "Comments")


class Command(BaseCommand):
    # It reads the answers, not the content: a half-finished edit must not stop it.
    requires_system_checks = []
    help = "Print each page's feedback: how many found it helpful or not, the share of Yes, and the comments."

    def handle(self, *args, **options):
        counts = page_counts()
        if not counts:
            self.stdout.write("No feedback yet.")
            return
        rows = [COLUMNS] + [
            (row.page, str(row.helpful), str(row.not_helpful), row.share_text, str(row.comments)) for row in counts
        ]
        widths = [max(len(row[column]) for row in rows) for column in range(len(COLUMNS))]
        for number, row in enumerate(rows):
            numbers = [cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True)]
            line = "  ".join([row[0].ljust(widths[0]), *numbers])
            self.stdout.write(self.style.MIGRATE_HEADING(line) if number == 0 else line)
        total = sum(row.answered for row in counts)
        helpful = sum(row.helpful for row in counts)
        share = f"{helpful / total:.0%} helpful" if total else "no Yes/No answers"
        answers, pages = plural(total, "Yes/No answer"), plural(len(counts), "page")
        self.stdout.write(f"\n{answers} on {pages}: {share}.")
        self.stdout.write("Read the comments in the admin: /admin/feedback/feedback/")
