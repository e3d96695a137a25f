"""Where releases live, and which one is current: shared by publishing, serving and the export.

Kept apart from publishing so that a serving worker imports none of the
Markdown, YAML, QR and picture libraries that only publishing needs.
"""

import os
from pathlib import Path

from django.conf import settings

CURRENT = "current"
MANIFEST = "manifest.json"
NOT_FOUND = "404.html"
# The feedback form's answers (thank-you and refusal pages), beside public/: no visitor reaches them as files.
FEEDBACK = "feedback"
# In that folder too: the page any error of the application shows (500), with the release's styles.
SERVER_ERROR = "server-error.html"


def releases_dir():
    return Path(settings.RELEASES_DIR)


def current_release():
    """The id of the release being served, or None before the first publish."""
    try:
        return os.readlink(releases_dir() / CURRENT)
    except OSError:
        return None
