"""The whole public site as plain files, for any static host or CDN (`manage.py export_site`).

Every file is made by asking the site itself, through the same middleware and
views as a visitor, so an exported page is byte for byte what gunicorn serves.
"""

import gzip
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import brotli
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.http.request import validate_host
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from .content import get_library
from .qr import KINDS

COMPRESS_SUFFIXES = (".html", ".xml", ".txt", ".svg")


def public_paths(library):
    """Every address a visitor can reach, drafts excluded."""
    paths = ["/", reverse("articles:privacy"), reverse("robots"), reverse("sitemap")]
    for guide in library.guides.values():
        paths.append(reverse("articles:handout", args=[guide.slug]))
        for page in guide.pages:
            if page.draft:
                continue
            paths.append(page.url)
            for kind in KINDS:
                if page.slug:
                    paths.append(reverse("articles:page_qr", args=[guide.slug, page.slug, kind]))
                else:
                    paths.append(reverse("articles:guide_qr", args=[guide.slug, kind]))
    return paths


def file_for(target, path):
    return target / (path.lstrip("/") + "index.html" if path.endswith("/") else path.lstrip("/"))


def export_site(target):
    """Write the site into `target`; return (pages written, static files copied)."""
    target = Path(target)
    site = urlsplit(settings.SITE_URL)
    if not validate_host(site.hostname or "", settings.ALLOWED_HOSTS):
        raise ValueError(f"SITE_URL's host '{site.hostname}' is not in ALLOWED_HOSTS; add it to DJANGO_ALLOWED_HOSTS")
    client = Client(HTTP_HOST=site.netloc, raise_request_exception=True)
    secure = site.scheme == "https"
    library = get_library()
    written = 0
    for path in public_paths(library):
        response = client.get(path, secure=secure)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
        write(file_for(target, path), response.content)
        written += 1
    missing = client.get("/404/", secure=secure)  # no such page, or the 404 preview in DEBUG
    write(target / "404.html", missing.content)
    written += 1 + write_redirects(target, library)
    return written, copy_static(target / settings.STATIC_URL.strip("/"))


def write(path, body):
    """A file, with gzip and brotli copies beside it for servers that send them as they are."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(body)
    if path.suffix in COMPRESS_SUFFIXES:
        Path(f"{path}.gz").write_bytes(gzip.compress(body, compresslevel=9, mtime=0))
        Path(f"{path}.br").write_bytes(brotli.compress(body, quality=11))


def write_redirects(target, library):
    """Renamed pages: a `_redirects` file (Netlify, Cloudflare Pages) and a forwarding page at each old address."""
    rules = []
    for guide in library.guides.values():
        for former, page in guide.redirects.items():
            old = reverse("articles:page", args=[guide.slug, former])
            rules.append(f"{old} {page.url} 301")
            write(file_for(target, old), _forwarding_page(page).encode())
    (target / "_redirects").write_text("".join(f"{rule}\n" for rule in rules))
    return len(rules)


def _forwarding_page(page):
    new, canonical = escape(page.url), escape(page.canonical_url)
    return (
        '<!doctype html><html lang="en-GB"><head><meta charset="utf-8"><title>This page has moved</title>'
        f'<meta http-equiv="refresh" content="0; url={new}"><link rel="canonical" href="{canonical}">'
        f'</head><body><p>This page has moved to <a href="{new}">{canonical}</a>.</p></body></html>\n'
    )


def copy_static(destination):
    """Collect the static files (hashed names and compressed variants) and copy them out."""
    call_command("collectstatic", interactive=False, verbosity=0)
    shutil.copytree(staticfiles_storage.location, destination, dirs_exist_ok=True)
    return sum(1 for item in destination.rglob("*") if item.is_file())
