import time

from django.core.management.base import BaseCommand

from articles.content.problems import ContentError
from articles.publish.publishing import (
    PublishError,
    StillRolledBackError,
    current_release,
    publish,
    rollback,
    still_serving,
)


class Command(BaseCommand):
    help = "Check and render all content into a new release and switch the site to it (or --rollback)."
    # Publishing makes the content checks itself and prints them in the editors' words.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--rollback", action="store_true", help="switch back to the release before the current one")
        parser.add_argument(
            "--unless-rolled-back",
            action="store_true",
            help="publish nothing while the site serves a rolled-back release (make serve: a restart keeps it)",
        )

    def handle(self, *args, rollback=False, unless_rolled_back=False, **options):
        # The editors' words only: no "CommandError:" in front, still exit status 1.
        try:
            self.roll_back() if rollback else self.publish(unless_rolled_back)
        except PublishError as error:
            self.stderr.write(str(error))
            raise SystemExit(1) from error

    def waiting(self, seconds):
        self.stdout.write(f"Another publish or rollback is running: waiting for it to finish (at most {seconds} s)...")
        self.stdout.flush()

    def progress(self, done, total):
        """On a terminal, one line that counts the files made (scripts and logs get none of it)."""
        now = time.monotonic()
        if done < total and now - getattr(self, "shown", 0) < 0.2:
            return
        self.shown = now
        self.stdout.write(f"\rMaking the pages: {done} of {total} files", ending="\n" if done == total else "")
        self.stdout.flush()

    def publish(self, unless_rolled_back=False):
        progress = self.progress if self.stdout.isatty() else None
        try:
            outcome = publish(on_wait=self.waiting, progress=progress, unless_rolled_back=unless_rolled_back)
        except StillRolledBackError as rolled_back:
            self.stdout.write(
                f"The site was rolled back to release {rolled_back.release}, so it serves that release as it is. "
                "Run `make publish` to publish the content again."
            )
            return
        except ContentError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            count = len(error.problems)
            self.stderr.write(
                f"Not published: {count} problem{'s' if count != 1 else ''} to fix first. {still_serving()}"
            )
            raise SystemExit(1) from error
        if not outcome.changed:
            self.stdout.write(f"Nothing changed: release {outcome.release} is already being served.")
            return
        self.stdout.write(self.style.SUCCESS(f"Published release {outcome.release} ({outcome.files} files)."))

    def roll_back(self):
        switched = rollback(on_wait=self.waiting)
        if switched is None:
            self.stderr.write(f"There is no release before {current_release()} to go back to.")
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(f"Rolled back from {switched.before} to {switched.release}."))
