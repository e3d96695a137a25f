from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from articles.export.export import DEFAULT_PORT, NothingPublishedError, export_site


class Command(BaseCommand):
    # It copies the live release, already checked, not the content folder: a half-finished edit must not stop it.
    requires_system_checks = []
    help = (
        "Copy the published site into DIR/public as plain files, with DIR/nginx.conf and DIR/public/_headers, "
        "to serve from nginx, object storage or a CDN."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="where to write the site (created if missing)")
        parser.add_argument(
            "--port", type=int, default=DEFAULT_PORT, help=f"the port nginx.conf listens on (default {DEFAULT_PORT})"
        )
        parser.add_argument(
            "--app",
            metavar="URL",
            help="the application (gunicorn) that takes the feedback form's posts, e.g. http://127.0.0.1:8000; "
            "without it, /feedback/ says this copy collects no feedback",
        )
        parser.add_argument("--admin", action="store_true", help="also send the staff admin (/admin/) to --app")

    def handle(self, directory, port, app, admin, **options):
        if admin and not app:
            raise CommandError("--admin needs --app: the address of the application that serves the admin.")
        try:
            release, files = export_site(directory, port, app, admin)
        except (NothingPublishedError, ImproperlyConfigured, ValueError) as error:
            raise CommandError(error) from error
        self.stdout.write(self.style.SUCCESS(f"Exported release {release} ({files} files) to {directory}/public."))
        where = Path(directory).resolve()
        self.stdout.write(f"Serve it with: nginx -p {where} -c {where}/nginx.conf -g 'daemon off;'")
