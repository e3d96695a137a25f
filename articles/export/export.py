"""The static export: the current release, copied as it is, for nginx, object storage or a CDN.

    DIR/public/       every file of the release, byte for byte, plus 404.html,
                      _redirects (renamed pages) and _headers (the headers of each
                      file), for Netlify/Cloudflare Pages style hosts
    DIR/nginx.conf    a whole nginx serving DIR/public with the same headers as
                      Django (articles/nginx.py); DIR/empty is its redirects' body

Publishing made the files; exporting only copies them, so what a static host
serves is exactly what gunicorn serves.
"""

import json
import shutil
from pathlib import Path

from articles.export import nginx
from articles.publish.releases import MANIFEST, NOT_FOUND, current_release, releases_dir

DEFAULT_PORT = 8080


class NothingPublishedError(Exception):
    pass


def export_site(target, port=DEFAULT_PORT):
    """Copy the current release into `target`/public and write the hosts' configuration; return (release id, files)."""
    release_id = current_release()
    if release_id is None:
        raise NothingPublishedError("Nothing has been published yet: run `manage.py publish` first.")
    release = releases_dir() / release_id
    target = Path(target)
    public = target / "public"
    if public.exists():
        shutil.rmtree(public)
    shutil.copytree(release / "public", public, copy_function=shutil.copy2)
    shutil.copy2(release / NOT_FOUND, public / NOT_FOUND)
    redirects = json.loads((release / MANIFEST).read_text())["redirects"]
    files = sum(1 for path in public.rglob("*") if path.is_file())
    rules = "".join(f"{old} {new} 301\n" for old, new in sorted(redirects.items()))
    (public / "_redirects").write_text(rules)
    (public / "_headers").write_text(nginx.headers_file(public))
    for folder in ("logs", "temp"):
        (target / folder).mkdir(exist_ok=True)
    (target / "empty").write_bytes(b"")
    (target / "nginx.conf").write_text(nginx.nginx_conf(target, release_id, redirects, port))
    return release_id, files
