"""The static export: the current release, copied as it is, for nginx, object storage or a CDN.

    DIR/public/       every file of the release, byte for byte, plus 404.html,
                      _redirects (renamed pages) and _headers (the headers of each
                      file), for Netlify/Cloudflare Pages style hosts
    DIR/nginx.conf    a whole nginx serving DIR/public with the same headers as
                      Django (articles/nginx.py); DIR/empty is its redirects' body;
                      with `app`, /feedback/ (and /admin/ with `admin`) go to the
                      application; without, DIR/no-feedback.html says this copy
                      collects no feedback

Publishing made the files; exporting only copies them, so what a static host
serves is exactly what gunicorn serves.
"""

import json
import shutil
from pathlib import Path

from articles.export import nginx
from articles.publish.releases import FEEDBACK, MANIFEST, NOT_FOUND, current_release, releases_dir

DEFAULT_PORT = 8080


class NothingPublishedError(Exception):
    pass


def export_site(target, port=DEFAULT_PORT, app=None, admin=False):
    """Copy the current release into `target`/public and write the hosts' configuration; return (release id, files).

    `app` (e.g. http://127.0.0.1:8000) is the application that takes the feedback form's
    posts, and with `admin` the staff admin too; without it nginx answers /feedback/ with
    the release's page saying this copy collects no feedback.
    """
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
    shutil.copy2(release / FEEDBACK / "not-collected.html", target / "no-feedback.html")
    (target / "nginx.conf").write_text(nginx.nginx_conf(target, release_id, redirects, port, app, admin))
    return release_id, files
