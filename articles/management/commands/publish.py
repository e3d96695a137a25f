from django.core.management.base import BaseCommand

from articles.content.problems import ContentError
from articles.publish.publishing import current_release, publish, rollback


class Command(BaseCommand):
    help = "Check and render all content into a new release and switch the site to it (or --rollback)."
    # Publishing makes the content checks itself and prints them in the editors' words.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--rollback", action="store_true", help="switch back to the release before the current one")
        parser.add_argument(
            "--no-reload",
            action="store_true",
            help="do not restart a running gunicorn's workers (they switch to the new release on their next request)",
        )

    def handle(self, *args, rollback=False, no_reload=False, **options):
        if rollback:
            return self.roll_back()
        try:
            outcome = publish(reload_server=not no_reload)
        except ContentError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            count = len(error.problems)
            kept = current_release()
            still = f"The site still serves release {kept}." if kept else "Nothing has been published yet."
            # The editors' words only: no "CommandError:" in front, still exit status 1.
            self.stderr.write(f"Not published: {count} problem{'s' if count != 1 else ''} to fix first. {still}")
            raise SystemExit(1) from error
        if not outcome.changed:
            self.stdout.write(f"Nothing changed: release {outcome.release} is already being served.")
            return
        reloaded = " The running server was told to reload." if outcome.reloaded else ""
        self.stdout.write(self.style.SUCCESS(f"Published release {outcome.release} ({outcome.files} files).{reloaded}"))

    def roll_back(self):
        before = current_release()
        release = rollback()
        if release is None:
            self.stderr.write(f"There is no release before {before} to go back to.")
            raise SystemExit(1)
        self.stdout.write(self.style.SUCCESS(f"Rolled back from {before} to {release}."))
