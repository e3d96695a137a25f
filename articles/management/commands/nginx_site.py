from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from articles.export.deploy import DEFAULT_LISTEN, NothingPublishedError, nginx_site


class Command(BaseCommand):
    # It reads the live release, already checked, not the content folder: a half-finished edit must not stop it.
    requires_system_checks = []
    help = (
        "Print the nginx site for production (deploy/nginx-site.conf.template): nginx serves the release's "
        "files with the same headers as gunicorn and passes only the application's addresses to gunicorn."
    )

    def add_arguments(self, parser):
        parser.add_argument("--upstream", default="127.0.0.1:8000", help="where gunicorn listens (default %(default)s)")
        parser.add_argument(
            "--listen",
            action="append",
            help="nginx's listen value, once for each (default: 80 and [::]:80, each as the default server)",
        )
        parser.add_argument("--server-name", default="_", help="the site's host names (default: any)")
        parser.add_argument(
            "--proxy",
            action="append",
            default=[],
            help="a balancer in front that ends TLS (its address or network; once for each): its "
            "X-Forwarded-Proto and X-Forwarded-For are believed",
        )
        parser.add_argument("--releases", help="the releases folder (default: RELEASES_DIR)")

    def handle(self, upstream, listen, server_name, releases, proxy, **options):
        try:
            site = nginx_site(upstream, listen or DEFAULT_LISTEN, server_name, releases, proxy)
            self.stdout.write(site, ending="")
        except (NothingPublishedError, ImproperlyConfigured) as error:
            raise CommandError(error) from error
