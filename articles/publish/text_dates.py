"""When each page's exact text was first published: the date a page "updated after its last clinical
review" says it was updated.

Each release's manifest records, for every page, the fingerprint of its text and the day a release
first carried that text. The next publish carries the day over while the text stays the same, and
records the day of that publish when it changed. So the date is when patients could first read the
changed words, never a date someone typed.
"""

import dataclasses
import datetime
import json

from articles.publish.releases import CURRENT, MANIFEST, releases_dir

KEY = "texts"


def recorded():
    """{page key: {"text": fingerprint, "first_published": "YYYY-MM-DD"}} from the current release, or {}."""
    try:
        manifest = json.loads((releases_dir() / CURRENT / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}
    texts = manifest.get(KEY) if isinstance(manifest, dict) else None
    return texts if isinstance(texts, dict) else {}


def page_key(page):
    return f"{page.guide_slug}/{page.file_stem}"


def dated(library, today, before=None):
    """(the library with each page's first_published set, the records for the new manifest).

    `before` is what the current release recorded; a text it does not hold is new `today`.
    """
    before = recorded() if before is None else before
    records, guides = {}, {}
    for slug, guide in library.guides.items():
        pages = []
        for page in guide.pages:
            known = before.get(page_key(page)) or {}
            day = today
            if known.get("text") == page.text_hash:
                try:
                    day = datetime.date.fromisoformat(known.get("first_published", ""))
                except (TypeError, ValueError):
                    day = today
            records[page_key(page)] = {"text": page.text_hash, "first_published": day.isoformat()}
            pages.append(dataclasses.replace(page, first_published=day))
        by_slug = {page.slug: page for page in pages}
        redirects = {former: by_slug[page.slug] for former, page in guide.redirects.items()}
        guides[slug] = dataclasses.replace(guide, pages=tuple(pages), redirects=redirects)
    return dataclasses.replace(library, guides=guides), records
