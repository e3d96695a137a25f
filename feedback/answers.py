"""The feedback form's answers, as the current release holds them (articles.publish.site.feedback_answers).

Which addresses are guide pages that take feedback is read once per release and
kept in memory; the finished thank-you and refusal pages are read from the release.
"""

import functools
import json

from articles.publish.releases import FEEDBACK, MANIFEST, NOT_FOUND, current_release, releases_dir

UNPUBLISHED = b"<!doctype html><title>Feedback</title><p>This site cannot take feedback until it is published again.\n"


class Answers:
    def __init__(self, folder):
        self.folder = folder
        self.thanks = json.loads((folder / MANIFEST).read_text()).get(FEEDBACK, {}) if folder else {}

    def page(self, name):
        try:
            return (self.folder / FEEDBACK / name).read_bytes()
        except (OSError, TypeError):  # nothing published yet, or a release made before the feedback form
            return UNPUBLISHED

    def thank_you(self, address):
        """The thank-you page for a guide page, or None when `address` is not one of this release's pages."""
        name = self.thanks.get(address)
        return self.page(name) if name else None

    def refusal(self, status):
        return self.page(f"refused-{status}.html")

    def not_found(self):
        return (self.folder / NOT_FOUND).read_bytes() if self.folder else b""


@functools.lru_cache(maxsize=2)
def _answers(root, release):
    return Answers(root / release if release else None)


def current():
    return _answers(releases_dir(), current_release())
