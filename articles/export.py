"""The static export: the current release, copied as it is, for nginx, object storage or a CDN.

    DIR/public/       every file of the release, byte for byte, plus 404.html and
                      _redirects (renamed pages, for Netlify/Cloudflare Pages style hosts)

Publishing made the files; exporting only copies them, so what a static host
serves is exactly what gunicorn serves.
"""

import json
import shutil
from pathlib import Path

from .publishing import MANIFEST, NOT_FOUND, current_release, releases_dir


class NothingPublishedError(Exception):
    pass


def export_site(target):
    """Copy the current release into `target`/public; return (release id, files copied)."""
    release_id = current_release()
    if release_id is None:
        raise NothingPublishedError("Nothing has been published yet: run `manage.py publish` first.")
    release = releases_dir() / release_id
    public = Path(target) / "public"
    if public.exists():
        shutil.rmtree(public)
    shutil.copytree(release / "public", public, copy_function=shutil.copy2)
    shutil.copy2(release / NOT_FOUND, public / NOT_FOUND)
    manifest = json.loads((release / MANIFEST).read_text())
    rules = "".join(f"{old} {new} 301\n" for old, new in sorted(manifest["redirects"].items()))
    (public / "_redirects").write_text(rules)
    return release_id, sum(1 for path in public.rglob("*") if path.is_file())
