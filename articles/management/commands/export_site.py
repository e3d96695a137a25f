from django.core.management.base import BaseCommand, CommandError

from articles.export import export_site


class Command(BaseCommand):
    help = "Write the whole public site into DIR as plain files, to serve from nginx, object storage or a CDN."

    def add_arguments(self, parser):
        parser.add_argument("directory", help="where to write the site (created if missing)")

    def handle(self, directory, **options):
        try:
            pages, static = export_site(directory)
        except (ValueError, RuntimeError) as error:
            raise CommandError(error) from error
        self.stdout.write(self.style.SUCCESS(f"Exported {pages} pages and {static} static files to {directory}."))
