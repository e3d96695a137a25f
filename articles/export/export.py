"""The static export: the current release, copied as it is, for nginx, object storage or a CDN.

    DIR/releases/<id>.<unique>/   one export: every file of the release, byte for byte,
                      plus 404.html, _redirects (renamed pages) and _headers (the
                      headers of each file), for Netlify/Cloudflare Pages style hosts
    DIR/public        a symlink to the export being served, switched in one rename
    DIR/nginx.conf    a whole nginx serving DIR/public with the same headers as
                      Django (articles/nginx.py); DIR/empty is its redirects' body

Publishing made the files; exporting only copies them, so what a static host
serves is exactly what gunicorn serves. A re-export into a folder nginx is
serving is written beside the old one and switched atomically, so nginx never
sees a missing file; the hashed static files of the other kept releases come
along, for pages cached before the switch.
"""

import json
import os
import re
import shutil
import time
import uuid
from pathlib import Path

from django.conf import settings

from articles.export import nginx
from articles.publish.releases import MANIFEST, NOT_FOUND, current_release, releases_dir
from articles.serve.serving import IMMUTABLE

DEFAULT_PORT = 8080
EXPORTS_KEPT = 3


class NothingPublishedError(Exception):
    pass


def export_site(target, port=DEFAULT_PORT):
    """Copy the current release into `target`/public and write the hosts' configuration; return (release id, files)."""
    release_id = current_release()
    if release_id is None:
        raise NothingPublishedError("Nothing has been published yet: run `manage.py publish` first.")
    release = releases_dir() / release_id
    target = Path(target)
    exports = target / "releases"
    exports.mkdir(parents=True, exist_ok=True)
    folder = exports / f"{release_id}.{uuid.uuid4().hex[:8]}"
    try:
        shutil.copytree(release / "public", folder, copy_function=shutil.copy2)
        _add_older_assets(folder, release_id)
        shutil.copy2(release / NOT_FOUND, folder / NOT_FOUND)
        redirects = json.loads((release / MANIFEST).read_text())["redirects"]
        files = sum(1 for path in folder.rglob("*") if path.is_file())
        rules = "".join(f"{old} {new} 301\n" for old, new in sorted(redirects.items()))
        (folder / "_redirects").write_text(rules)
        (folder / "_headers").write_text(nginx.headers_file(folder))
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    for name in ("logs", "temp"):
        (target / name).mkdir(exist_ok=True)
    (target / "empty").write_bytes(b"")
    _switch(target / "public", folder.relative_to(target))
    _replace(target / "nginx.conf", nginx.nginx_conf(target, release_id, redirects, port))
    _prune(exports, keep=folder.name)
    return release_id, files


def _add_older_assets(folder, release_id):
    """The hashed static files of the other kept releases (pages in caches still name them)."""
    static = settings.STATIC_URL.strip("/")
    for other in releases_dir().iterdir():
        if other.name in {release_id, "current"} or other.name.startswith(".") or not (other / MANIFEST).is_file():
            continue
        for path in (other / "public" / static).rglob("*"):
            address = "/" + path.relative_to(other / "public").as_posix()
            copy = folder / path.relative_to(other / "public")
            if (
                path.is_file()
                and not copy.exists()
                and re.match(IMMUTABLE, address.removesuffix(".gz").removesuffix(".br"))
            ):
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, copy)


def _switch(link, target):
    """Point `link` at `target` with one rename (an older export's real folder is moved aside first, once)."""
    if link.is_dir() and not link.is_symlink():
        link.rename(link.parent / "releases" / f"before-{time.strftime('%Y%m%dT%H%M%S')}")
    temporary = link.parent / f".public.{os.getpid()}"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(target)
    os.replace(temporary, link)


def _replace(path, text):
    temporary = path.parent / f".{path.name}.{os.getpid()}"
    temporary.write_text(text)
    os.replace(temporary, path)


def _prune(exports, keep):
    """The newest few exports stay (a request that began on one finishes on it)."""
    folders = sorted((entry for entry in exports.iterdir() if entry.is_dir()), key=lambda entry: entry.stat().st_ctime)
    for entry in folders[:-EXPORTS_KEPT]:
        if entry.name != keep:
            shutil.rmtree(entry, ignore_errors=True)
