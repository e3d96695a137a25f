"""The production nginx site (deploy/nginx-site.conf.template): nginx serves the release, gunicorn the rest.

The headers, media types and compressed kinds are the export's own
(articles/export/nginx.py), taken from the Django settings and the current
release, so the production nginx, the export and gunicorn send the same headers.
"""

import ipaddress
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.template import Context, Engine

from articles.export import nginx
from articles.publish.releases import CURRENT, releases_dir

TEMPLATE = Path(__file__).resolve().parents[2] / "deploy" / "nginx-site.conf.template"


class NothingPublishedError(Exception):
    pass


# The site answers every request that reaches the machine: IPv4 and IPv6, by name or by address (a
# balancer's probe of /healthz). nginx -t refuses a second default server: Debian's own site must go.
DEFAULT_LISTEN = ("80 default_server", "[::]:80 default_server")


def nginx_site(upstream="127.0.0.1:8000", listen=DEFAULT_LISTEN, server_name="_", releases=None, proxies=()):
    """The text of the nginx site in front of gunicorn at `upstream`, serving `releases`/current/public,
    listening on each of `listen` (nginx's listen values), behind the balancers at `proxies` (addresses
    or networks) if any: they end TLS, and their X-Forwarded-Proto and X-Forwarded-For are believed."""
    for address in proxies:
        try:
            ipaddress.ip_network(address, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"--proxy should be an address or a network, like 10.0.0.5 or 10.0.0.0/24 (got {address!r})"
            ) from None
    releases = Path(releases or releases_dir()).resolve()
    public = releases / CURRENT / "public"
    if not public.is_dir():
        raise NothingPublishedError(f"Nothing is published in {releases}: run `manage.py publish` first.")
    types, text_types = nginx.media_types(public)
    indent = " " * 4
    context = {
        "upstream": upstream,
        "listen": [listen] if isinstance(listen, str) else list(listen),
        "server_name": server_name,
        "proxies": list(proxies),
        "releases": str(releases),
        "types": types,
        "charset_types": " ".join(t for t in text_types if t != "text/html") or "text/plain",
        "brotli": nginx.BROTLI_MODULE.exists(),
        # The export's header lines sit one level deeper; here every location is at the same depth.
        "headers": {kind: nginx.header_lines(kind, indent * 2) for kind in ("page", "static", "qr")},
        "immutable": nginx.IMMUTABLE,
        "compressed": "|".join(sorted(nginx.compressed_suffixes(public))),
    }
    engine = Engine(autoescape=False)
    return engine.from_string(TEMPLATE.read_text()).render(Context(context, autoescape=False))
