"""The export's host configuration: `nginx.conf` for nginx, `_headers` for a CDN.

Both are written from the Django settings and middleware at export time: the
security headers are the ones Django's own middleware adds to a response of
each kind, and the caching and media types come from the same settings and
WhiteNoise tables that gunicorn uses, so the hosts cannot drift apart.
tests/test_nginx_parity.py compares a real nginx with Django address by address.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse, HttpResponseNotFound, HttpResponsePermanentRedirect
from django.template import Context, Engine
from django.test import RequestFactory
from django.utils.module_loading import import_string

from articles.serve.serving import IMMUTABLE, QR_NAME, ReleaseFiles
from articles.serve.whitenoise_api import FOREVER

RELEASE_MIDDLEWARE = "articles.serve.serving.ReleaseMiddleware"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
TEMPLATE = Path(__file__).with_name("nginx.conf.template")

# One response of each kind, as the release's server makes it, for the middleware to add its headers to.
KINDS = {
    "page": lambda: HttpResponse(content_type="text/html; charset=utf-8"),
    "static": lambda: HttpResponse(content_type="text/css; charset=utf-8"),
    "qr": lambda: HttpResponse(content_type="image/svg+xml"),
    "redirect": lambda: HttpResponsePermanentRedirect("/"),
    "not_found": lambda: HttpResponseNotFound(),
}


def security_headers(kind):
    """{name: value} that the middleware above ReleaseMiddleware adds to a response of `kind` over HTTPS."""
    names = list(settings.MIDDLEWARE)
    if RELEASE_MIDDLEWARE not in names:
        raise ImproperlyConfigured(
            "The export copies the public site's headers: run it with the production settings "
            "(DJANGO_SETTINGS_MODULE=botox_info.settings.production, as `make export-site` does)."
        )
    plain = KINDS[kind]()

    def handler(request):
        return KINDS[kind]()

    for name in reversed(names[: names.index(RELEASE_MIDDLEWARE)]):
        handler = import_string(name)(handler)
    # HTTPS, as the public site is served: HSTS is included when the settings turn it on.
    response = handler(RequestFactory().get("/", secure=True))
    return {name: value for name, value in response.items() if name not in plain}


def caching(kind):
    """Cache-Control as ReleaseMiddleware and WhiteNoise send it; None where they send none."""
    if kind == "static":
        return f"max-age={FOREVER}, public, immutable"
    if kind == "not_found":
        return None
    return f"max-age={settings.PAGE_CACHE_SECONDS}, public"


def response_headers(kind):
    headers = security_headers(kind)
    if cache_control := caching(kind):
        headers["Cache-Control"] = cache_control
    return headers


def _quoted(value):
    if "$" in value:
        raise ValueError(f"nginx would read {value!r} as a variable")
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _add_header_lines(kind):
    return header_lines(kind, " " * (8 if kind == "page" else 12))


def header_lines(kind, indent):
    """nginx's add_header lines for a response of `kind`, each indented by `indent` (also the production site's)."""
    lines = [f"add_header {name} {_quoted(value)} always;" for name, value in response_headers(kind).items()]
    if kind in {"page", "static", "qr"}:
        lines.append("add_header Vary $vary always;  # empty (so not sent) unless the file has copies")
    if kind in {"redirect", "not_found"}:
        lines.append('add_header Last-Modified "" always;  # an empty value removes it: Django sends none')
    return "\n".join(indent + line for line in lines)


def media_types(public):
    """[(media type, extensions)] for the files in `public`, and the text types that get a charset."""
    files = ReleaseFiles(None)
    by_type = {}
    for path in public.rglob("*"):
        if path.is_file() and path.suffix and path.suffix not in {".gz", ".br"}:
            by_type.setdefault(files.media_types.get_type(path.name), set()).add(path.suffix[1:])
    text = sorted(media_type for media_type in by_type if media_type.startswith(ReleaseFiles.TEXT_TYPES))
    return sorted((media_type, " ".join(sorted(names))) for media_type, names in by_type.items()), text


def compressed_suffixes(public):
    """The suffixes of the files with .gz or .br copies, which WhiteNoise sends with Vary."""
    return {Path(path.stem).suffix[1:] for pattern in ("*.gz", "*.br") for path in public.rglob(pattern)}


def application_url(app):
    """`app` checked as the address nginx proxies to: http(s)://host[:port], nothing nginx would misread."""
    parts = urlsplit(app)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.path not in {"", "/"} or parts.query:
        raise ValueError(f"--app should be the application's address, like http://127.0.0.1:8000 (not {app!r})")
    _quoted(app)
    return f"{parts.scheme}://{parts.netloc}"


def nginx_conf(target, release_id, redirects, port, app=None, admin=False):
    """The text of DIR/nginx.conf: a whole nginx serving DIR/public on 127.0.0.1:`port`."""
    target = Path(target).resolve()
    types, text_types = media_types(target / "public")
    context = {
        "release": release_id,
        "dir": str(target),
        "port": port,
        "brotli_module": str(BROTLI_MODULE) if BROTLI_MODULE.exists() else "",
        "types": types,
        # nginx always counts text/html in, and warns when it is named.
        "charset_types": " ".join(t for t in text_types if t != "text/html") or "text/plain",
        "headers": {kind: _add_header_lines(kind) for kind in KINDS},
        "immutable": IMMUTABLE,
        "compressed": "|".join(sorted(compressed_suffixes(target / "public"))),
        "redirects": sorted(redirects.items()),
        "app": application_url(app) if app else "",
        "admin": admin,
        # With an application, its health check too: a balancer in front learns that it answers.
        "app_locations": _app_locations([path for path in settings.APPLICATION_PATHS if admin or path == "/feedback/"]),
        "feedback_max_bytes": settings.FEEDBACK_MAX_BODY_BYTES,
    }
    for old, new in redirects.items():
        _quoted(old), _quoted(new)  # addresses are slugs; refuse anything nginx would misread
    engine = Engine(autoescape=False)
    return engine.from_string(TEMPLATE.read_text()).render(Context(context, autoescape=False))


def headers_file(public):
    """The text of `_headers` (Netlify, Cloudflare Pages): the same headers for each file of `public`.

    Every matching rule applies, so a rule that changes a header of `/*`
    detaches it first (`! Name`, Cloudflare Pages syntax).
    """
    site_wide = response_headers("page")
    rules = [("/*", site_wide)]
    static = response_headers("static")
    qr = response_headers("qr")
    for path in sorted(public.rglob("*")):
        address = "/" + path.relative_to(public).as_posix()
        if path.suffix in {".gz", ".br"} or not path.is_file():
            continue
        if re.match(IMMUTABLE, address):
            rules.append((address, static))
        elif match := QR_NAME.match(address):
            name = "-".join(part for part in ("qr", match["guide"], match["page"]) if part)
            rules.append((address, {**qr, "Content-Disposition": f'inline; filename="{name}.{match["kind"]}"'}))
    lines = ["# Written by `manage.py export_site` from the Django settings: re-export rather than edit."]
    for address, headers in rules:
        lines.append(address)
        for name, value in headers.items():
            if address == "/*" or site_wide.get(name) != value:
                if address != "/*" and name in site_wide:
                    lines.append(f"  ! {name}")
                lines.append(f"  {name}: {value}")
    return "\n".join(lines) + "\n"


def _app_locations(paths):
    """nginx location specs for the application's `paths` and its health check. Each folder also without
    its slash, exactly: for that address a prefix location made nginx answer its own 301, without the
    site's headers, where the application answers its 404 (a fresh helper's review of serving)."""
    specs = []
    for path in paths:
        specs += [f"^~ {path}", f"= {path.rstrip('/')}"] if path.endswith("/") else [f"^~ {path}"]
    return [*specs, "= /healthz"]
