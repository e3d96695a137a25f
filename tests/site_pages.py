"""The real site's addresses, shared by the tests that visit every page.

Made from the same list that publishing uses (articles.addresses.public_paths),
so a new page or handout is visited by every site-wide test without editing this.
"""

import functools
from pathlib import Path

from django.conf import settings

from articles.content.addresses import public_paths
from articles.render.library import load_library

CONTENT = Path(settings.BASE_DIR) / "content"


@functools.cache
def real_library(*, drafts):
    """The real content, loaded once a test process: only for tests that read it and change nothing."""
    if not drafts:
        preview = real_library(drafts=True)
        if not any(page.draft for guide in preview.guides.values() for page in guide.pages):
            return preview  # with no draft, leaving drafts out changes nothing: one load, not two
    return load_library(CONTENT, drafts=drafts)


_LIBRARY = real_library(drafts=False)

# Guide page -> its title, in the guide's order.
GUIDE_PAGES = {page.url: page.title for guide in _LIBRARY.guides.values() for page in guide.pages}

# Every address a visitor can reach now.
PUBLIC_PATHS = public_paths(_LIBRARY)

# Every address ever published (content/published-urls.txt): each must keep working.
PUBLISHED = [
    line.strip()
    for line in (CONTENT / "published-urls.txt").read_text().splitlines()
    if line.strip() and not line.startswith("#")
]

# Every HTML page, the 404 page included.
HTML_PAGES = [path for path in PUBLIC_PATHS if path.endswith("/")] + ["/no-such-page/"]
