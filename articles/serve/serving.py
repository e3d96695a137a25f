"""Serving the current release: finished files, nothing made per request.

ReleaseMiddleware answers every request itself: a file of the release
(through WhiteNoise, with ETags, 304s and the .br/.gz copies), a redirect
from the release's map, or the release's 404 page. No request parses
Markdown, reads content/ or renders a template, so nothing a request carries
(Host, SCRIPT_NAME, X-Forwarded-*, query strings) can change what another
visitor gets.

Each request looks at where `current` points (one readlink); after a
publish, the next request in every worker serves the new release. A worker
keeps the release it found for the whole of a request, so no response mixes
two releases.

Pages may stay in caches for PAGE_CACHE_SECONDS after a publish or a
rollback, and they name hashed static files: the hashed files of every kept
release are served too (the current release's own files win).

`current` pointing at nothing, or at a folder that is gone, serves the
"not published" page with a 503, logged once per target.
"""

import copy
import json
import logging
import os
import re
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponsePermanentRedirect
from django.template.loader import render_to_string
from django.utils.http import parse_http_date_safe

from articles.publish.releases import CURRENT, MANIFEST, NOT_FOUND
from articles.serve.health import health_response
from articles.serve.whitenoise_api import Redirect, Response, WhiteNoise, serve_file

logger = logging.getLogger(__name__)
# Django's hashed static names (site.3f2a9c1b7e4d.css) never change content: cache them for good.
IMMUTABLE = r"^/static/.+\.[0-9a-f]{12}\.[A-Za-z0-9]+$"
QR_NAME = re.compile(r"^/(?P<guide>[a-z0-9-]+)/(?:(?P<page>[a-z0-9-]+)/)?qr\.(?P<kind>svg|png)$")


@dataclass(frozen=True)
class Release:
    root: object  # the releases folder
    target: str | None  # where `current` pointed when this was loaded; None before the first publish
    files: dict = field(default_factory=dict)  # address -> WhiteNoise StaticFile
    redirects: dict = field(default_factory=dict)
    not_found: bytes = b""
    broken: bool = False  # `current` names a folder that is missing or incomplete: 503, as before any publish


class ReleaseFiles(WhiteNoise):
    """WhiteNoise over one release, with Content-Type written as Django and nginx write it."""

    TEXT_TYPES = ("text/", "application/xml", "application/javascript", "application/json")

    def redirect(self, from_url, to_url):
        """`/benefits` and `/benefits/index.html` -> `/benefits/`: permanent, as the address is stable."""
        redirect = Redirect(to_url, headers={"Cache-Control": f"max-age={self.max_age}, public"})
        redirect.response = Response(HTTPStatus.MOVED_PERMANENTLY, redirect.response.headers, None)
        return redirect

    def add_mime_headers(self, headers, path, url):
        media_type = self.media_types.get_type(path)
        text = media_type.startswith(self.TEXT_TYPES)
        headers["Content-Type"] = f"{media_type}; charset=utf-8" if text else media_type


def add_headers(headers, path, url):
    """A QR code downloads under a name that says what it opens."""
    if match := QR_NAME.match(url):
        name = "-".join(part for part in ("qr", match["guide"], match["page"]) if part)
        headers["Content-Disposition"] = f'inline; filename="{name}.{match["kind"]}"'


def load_release(root, target):
    """Index the files of the release `target` in `root` (a missing one serves nothing, with a 503)."""
    if target is None:
        return Release(root, None)
    folder = Path(root) / target
    try:
        files = release_files(folder / "public")
        manifest = json.loads((folder / MANIFEST).read_text())
        release = Release(root, target, files, manifest["redirects"], (folder / NOT_FOUND).read_bytes())
    except (OSError, ValueError, KeyError) as error:
        logger.error("Serving the 'not published' page (503): %s/%s cannot be served: %s", root, target, error)
        return Release(root, target, broken=True)
    _add_older_assets(release.files, Path(root), target)
    return release


def release_files(folder, prefix=None):
    files = ReleaseFiles(
        None,
        max_age=settings.PAGE_CACHE_SECONDS,
        allow_all_origins=False,
        index_file=True,
        immutable_file_test=IMMUTABLE,
        add_headers_function=add_headers,
    )
    if not folder.is_dir():
        raise FileNotFoundError(f"no folder {folder}")
    files.add_files(folder, prefix)
    return files.files


def _add_older_assets(files, root, target):
    """The hashed static files of the other kept releases, for pages cached before a publish or rollback."""
    try:
        folders = sorted(root.iterdir(), reverse=True)
    except OSError:
        return
    for folder in folders:
        if folder.name in {target, CURRENT} or folder.name.startswith(".") or not (folder / MANIFEST).is_file():
            continue
        try:  # a release being pruned by a publish at this moment is skipped
            older = release_files(folder / "public" / settings.STATIC_URL.strip("/"), settings.STATIC_URL)
        except OSError:
            continue
        for address, static_file in older.items():
            if address not in files and re.match(IMMUTABLE, address):
                files[address] = static_file


# The release last loaded in this process. A release's index depends on its folder and on the
# other releases beside it (their hashed static files), and none of these change once written,
# so each handler of the process (a gunicorn worker has one; the tests make one a client) takes
# the index loaded for the same target and the same releases instead of reading them again. A
# broken release, or one whose folder has gone since, is read again: the new handler says so.
# One only: the index of 1,000 pages holds about 9 MB (10,000: about 90), and a worker needs one.
_last_loaded = (None, None)  # ((root, target, the releases beside it), its index)
_last_loaded_lock = threading.Lock()


def _loaded_once(root, target):
    global _last_loaded
    try:
        beside = tuple(sorted(os.listdir(root)))
    except OSError:
        beside = None
    key = (root, target, beside)
    with _last_loaded_lock:
        known, release = _last_loaded
        if known != key or release.broken or not _still_there(root, target):
            release = load_release(root, target)
            _last_loaded = (key, release)
        return release


def _still_there(root, target):
    return target is None or os.path.isfile(os.path.join(root, target, MANIFEST))


def _folder_identity(root, target):
    """What changes when a release's folder is deleted, restored, has a file put back or its permissions put
    right: the inode and times of the folder, its manifest, its 404 page and its public folder (None when
    there is no manifest)."""
    found = []
    for name in ("", MANIFEST, NOT_FOUND, "public"):
        try:
            status = os.stat(os.path.join(root, target, name))
        except OSError:
            if name in ("", MANIFEST):
                return None
            found.append(None)
            continue
        found.append((status.st_ino, status.st_mtime_ns, status.st_ctime_ns, status.st_mode))
    return tuple(found)


# How often a handler looks again at the release it serves when `current` still names it: a folder
# deleted under it (by hand, a restore, rsync --delete) is then a 503 for the health check and
# the balancer, not pages answering 404 under "ok"; a broken one put right is served again.
RECHECK_SECONDS = 1.0


class ReleaseMiddleware:
    """The whole public site, from the release that `current` points to."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.release = Release(None, None)
        self.lock = threading.Lock()
        self.checked = 0.0  # when the release was last looked at again (time.monotonic)
        self.identity = None  # its folder's identity then (_folder_identity)

    def current(self):
        root = settings.RELEASES_DIR
        try:
            target = os.readlink(os.path.join(root, CURRENT))
        except OSError:
            target = None
        now = time.monotonic()
        switched = (self.release.root, self.release.target) != (root, target)
        if not switched and target is not None and now >= self.checked + RECHECK_SECONDS:
            self.checked = now
            # Read again once its folder is not as it was: a whole release deleted, a broken one put right. A
            # broken one left as it is is not read (nor logged) again every second.
            switched = _folder_identity(root, target) != self.identity
        if switched:
            with self.lock:
                self.identity = _folder_identity(root, target) if target is not None else None
                self.release = _loaded_once(root, target)
                self.checked = now
        return self.release

    def __call__(self, request):
        release = self.current()
        if (health := health_response(request, release)) is not None:
            return health
        request.get_host()  # a Host not in ALLOWED_HOSTS gets a 400, as everywhere in Django
        if request.path_info.startswith(settings.APPLICATION_PATHS):
            return self.get_response(request)  # the feedback form's target and the staff admin: Django's views
        if request.method not in {"GET", "HEAD"}:
            return HttpResponseNotAllowed(["GET", "HEAD"])
        path = request.path_info
        static_file = release.files.get(path)
        if static_file is not None:
            try:
                return _serve(static_file, request)
            except FileNotFoundError:
                pass  # an older release's asset, pruned since this worker looked: a 404 below
        if path in release.redirects:
            response = HttpResponsePermanentRedirect(release.redirects[path])
            response["Cache-Control"] = f"max-age={settings.PAGE_CACHE_SECONDS}, public"
            return response
        if release.target is None or release.broken:
            response = HttpResponse(render_to_string("unpublished.html"), status=503)
            # Said once, when the release was found missing (above), not once per request.
            response._has_been_logged = True
            return response
        response = HttpResponse(b"" if request.method == "HEAD" else release.not_found, status=404)
        response["Content-Length"] = str(len(release.not_found))
        return response


def _serve(static_file, request):
    """The file, or a 304. By date, a 304 only for the very date the file has, as nginx's
    `if_modified_since exact`: WhiteNoise gives one for any later date, and a rollback puts back
    files older than the copy a visitor holds (a stale 304 after a rollback: helper-56).

    Always the whole file (a Range is not answered): WhiteNoise refused one-byte ranges (416 for
    bytes=0-0) and ignored If-Range, so a resumed download could join two releases' pages; the
    files are a few KB. nginx, in production, answers ranges itself. And only in an encoding the
    visitor accepts: WhiteNoise looked for "br" or "gzip" anywhere in Accept-Encoding, q=0 too.
    """
    request.META.pop("HTTP_RANGE", None)
    if "HTTP_ACCEPT_ENCODING" in request.META:
        request.META["HTTP_ACCEPT_ENCODING"] = _accepted_codings(request.META["HTTP_ACCEPT_ENCODING"])
    response = serve_file(static_file, request)
    if response.status_code != 304 or "HTTP_IF_NONE_MATCH" in request.META:
        return response
    since = request.META.pop("HTTP_IF_MODIFIED_SINCE")
    probe = copy.copy(request)  # its headers, as a HEAD without the date gets them: no file opened
    probe.method = "HEAD"
    if _same_moment(since, serve_file(static_file, probe).get("Last-Modified")):
        return response
    return serve_file(static_file, request)


def _same_moment(first, second):
    """Whether two HTTP dates (any of the three forms HTTP allows) name the same second."""
    first, second = parse_http_date_safe(first), parse_http_date_safe(second or "")
    return first is not None and first == second


def _accepted_codings(header):
    """Accept-Encoding as the codings it accepts, in lower case: none it gives q=0 (or a q not a number)."""
    accepted = []
    for item in header.split(","):
        coding, *parameters = (part.strip() for part in item.split(";"))
        weight = "1"
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                weight = value.strip()
        try:
            if coding and float(weight) > 0:
                accepted.append(coding.lower())
        except ValueError:
            continue
    return ", ".join(accepted)
