"""Whole responses kept in memory for each version of the content.

A page is rendered and compressed once, the first time it is asked for after
the content changes; every later request is a dictionary look-up. The pages
hold no secrets and nothing from the request, so compressing them is safe
(BREACH-style attacks need a secret reflected beside attacker input) and one
copy serves every visitor.
"""

import functools
import gzip
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import brotli
from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from .content import get_library

COMPRESSIBLE = ("text/", "image/svg+xml", "application/xml", "application/json")
CONDITIONAL_HEADERS = {"HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_MATCH", "HTTP_IF_UNMODIFIED_SINCE"}


@dataclass
class CachedBody:
    body: bytes
    content_type: str
    headers: dict = field(default_factory=dict)
    digest: str = ""
    variants: dict = field(default_factory=dict)

    def __post_init__(self):
        if isinstance(self.body, str):
            self.body = self.body.encode()
        self.digest = hashlib.sha256(self.body).hexdigest()[:24]

    def encoded(self, encoding):
        """The body in `encoding` ("br", "gzip" or ""), compressed the first time it is asked for."""
        if not encoding:
            return self.body
        if encoding not in self.variants:
            if encoding == "br":
                self.variants[encoding] = brotli.compress(self.body, quality=11)
            else:
                self.variants[encoding] = gzip.compress(self.body, compresslevel=9, mtime=0)
        return self.variants[encoding]

    @property
    def compressible(self):
        return self.content_type.startswith(COMPRESSIBLE)

    def respond(self, request, library):
        """The response for `request`: compressed if it may be, 304 if the client has it, no body for HEAD."""
        encoding = choose_encoding(request.headers.get("Accept-Encoding", "")) if self.compressible else ""
        body = self.encoded(encoding)
        # A strong ETag names exact bytes, so each encoding has its own.
        etag = f'"{self.digest}{"-" + encoding if encoding else ""}"'
        last_modified = int(max(library.last_modified, code_last_modified())) or None
        response = HttpResponse(b"" if request.method == "HEAD" else body, content_type=self.content_type)
        response["Content-Length"] = str(len(body))
        response["ETag"] = etag
        if last_modified:
            response["Last-Modified"] = http_date(last_modified)
        response["Cache-Control"] = f"public, max-age={settings.PAGE_CACHE_SECONDS}"
        if self.compressible:
            response["Vary"] = "Accept-Encoding"
        if encoding:
            response["Content-Encoding"] = encoding
        for name, value in self.headers.items():
            response[name] = value
        if CONDITIONAL_HEADERS.intersection(request.META):
            return get_conditional_response(request, etag=etag, last_modified=last_modified, response=response)
        return response


@functools.cache
def code_last_modified():
    """When the templates, styles or code that shape a page last changed (read once per process).

    A page changes when its content or these do; Last-Modified must cover both,
    or a client asking only If-Modified-Since would keep a page from before a deploy.
    """
    project = Path(__file__).resolve().parent.parent
    roots = [project / "templates", project / "static", project / "articles"]
    return max((path.stat().st_mtime for root in roots for path in root.rglob("*") if path.is_file()), default=0)


@functools.lru_cache(maxsize=128)  # browsers send a handful of distinct values
def choose_encoding(accept_encoding):
    """brotli where the client takes it, else gzip, else none (q=0 means no)."""
    offered = {}
    for item in accept_encoding.lower().split(","):
        name, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        offered[name.strip()] = quality
    for encoding in ("br", "gzip"):
        if offered.get(encoding, offered.get("*", 0)) > 0:
            return encoding
    return ""


def cached_response(request, make_body, content_type="text/html; charset=utf-8", headers=None):
    """Answer `request` from the body cached for its path, making it with `make_body()` the first time.

    Later requests for the same path are answered by CachedResponseMiddleware
    before URL routing, as cheaply as WhiteNoise serves a static file.
    """
    library = get_library()
    entry = library.responses.get(request.path) if settings.CACHE_PAGES else None
    if entry is None:
        entry = CachedBody(make_body(), content_type, headers or {})
        if settings.CACHE_PAGES:
            library.responses[request.path] = entry
    return entry.respond(request, library)


class CachedResponseMiddleware:
    """Serve a path already in the response cache without routing it again."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in {"GET", "HEAD"}:
            library = get_library()
            entry = library.responses.get(request.path)
            if entry is not None:
                request.get_host()  # the same Host check (400) that CommonMiddleware makes
                return entry.respond(request, library)
        return self.get_response(request)
