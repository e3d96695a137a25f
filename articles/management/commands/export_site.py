from django.core.management.base import BaseCommand, CommandError

from articles.export import NothingPublishedError, export_site


class Command(BaseCommand):
    help = "Copy the published site into DIR/public as plain files, to serve from nginx, object storage or a CDN."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="where to write the site (created if missing)")

    def handle(self, directory, **options):
        try:
            release, files = export_site(directory)
        except NothingPublishedError as error:
            raise CommandError(error) from error
        self.stdout.write(self.style.SUCCESS(f"Exported release {release} ({files} files) to {directory}/public."))
