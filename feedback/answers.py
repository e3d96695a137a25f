"""The feedback form's answers, as the current release holds them (articles.publish.site.feedback_answers).

Which addresses are guide pages that take feedback is read once per release and
kept in memory; the finished thank-you, refusal and error pages are read from the release.
"""

import functools
import json

from articles.publish.releases import FEEDBACK, MANIFEST, NOT_FOUND, SERVER_ERROR, current_release, releases_dir

UNPUBLISHED = b"<!doctype html><title>Feedback</title><p>This site cannot take feedback until it is published again.\n"
# The error page before the first publish (or of a release made before releases kept one): the words of
# templates/500.html, without the styles, which only a release can name.
PLAIN_SERVER_ERROR = (
    b'<!doctype html><html lang="en"><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
    b"<title>Sorry, there is a problem with the site</title><main><h1>Sorry, there is a problem with the site</h1>"
    b"<p>Please try again in a few minutes.</p><p>If you need medical help now, contact your doctor or dentist, "
    b"or your local emergency number.</p></main>\n"
)


class Answers:
    def __init__(self, folder):
        self.folder = folder
        self.thanks = json.loads((folder / MANIFEST).read_text()).get(FEEDBACK, {}) if folder else {}

    def page(self, name, missing=UNPUBLISHED):
        try:
            return (self.folder / FEEDBACK / name).read_bytes()
        except (OSError, TypeError):  # nothing published yet, or a release made before the feedback form
            return missing

    def thank_you(self, address):
        """The thank-you page for a guide page, or None when `address` is not one of this release's pages."""
        name = self.thanks.get(address)
        return self.page(name) if name else None

    def refusal(self, status):
        return self.page(f"refused-{status}.html")

    def server_error(self):
        return self.page(SERVER_ERROR, PLAIN_SERVER_ERROR)

    def not_found(self):
        return (self.folder / NOT_FOUND).read_bytes() if self.folder else b""


@functools.lru_cache(maxsize=2)
def _answers(root, release):
    return Answers(root / release if release else None)


def current():
    try:
        return _answers(releases_dir(), current_release())
    except (OSError, ValueError):  # the live release's folder gone or broken: the plain answers, not kept,
        return Answers(None)  # so that the next request finds the release once it is back
