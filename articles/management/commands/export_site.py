from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from articles.export.export import DEFAULT_PORT, NothingPublishedError, export_site


class Command(BaseCommand):
    help = (
        "Copy the published site into DIR/public as plain files, with DIR/nginx.conf and DIR/public/_headers, "
        "to serve from nginx, object storage or a CDN."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="where to write the site (created if missing)")
        parser.add_argument(
            "--port", type=int, default=DEFAULT_PORT, help=f"the port nginx.conf listens on (default {DEFAULT_PORT})"
        )

    def handle(self, directory, port, **options):
        try:
            release, files = export_site(directory, port)
        except (NothingPublishedError, ImproperlyConfigured) as error:
            raise CommandError(error) from error
        self.stdout.write(self.style.SUCCESS(f"Exported release {release} ({files} files) to {directory}/public."))
        where = Path(directory).resolve()
        self.stdout.write(f"Serve it with: nginx -p {where} -c {where}/nginx.conf -g 'daemon off;'")
