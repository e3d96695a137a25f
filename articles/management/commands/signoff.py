"""`make signoff`: a clinician's sign-off of the exact text of a page (or of every page of a guide).

Appends one entry per page to the guide's reviews.yaml (see articles/content/reviews.py), after
checking that each page loads with no problem: a sign-off is of text that can be published.
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.checks.site import content_problems
from articles.content import frontmatter as fm
from articles.content.addresses import INDEX_STEM
from articles.content.files import REVIEWS_FILE, read_bounded
from articles.content.problems import ContentError, display_path
from articles.content.reviews import HEADER, evidence_path, load_reviews, signoff_entry
from articles.render.library import load_library

USAGE = 'make signoff PAGE=botox-jaw-pain/benefits BY="Dr Ann Example" ROLE="Consultant in oral medicine"'


class RefusedError(Exception):
    """Nothing was signed off; the lines say why, in the editors' words."""

    def __init__(self, *lines):
        super().__init__(*lines)
        self.lines = lines


class Command(BaseCommand):
    help = (
        "Record a clinician's sign-off of a page's exact text (GUIDE/PAGE), or of every page of a guide "
        "(GUIDE/*); GUIDE/ is its front page."
    )
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "target",
            help="GUIDE/PAGE (e.g. botox-jaw-pain/benefits), GUIDE/ (its front page) or 'GUIDE/*' (every page)",
        )
        parser.add_argument("--by", required=True, help="the reviewer's name, e.g. 'Dr Ann Example'")
        parser.add_argument("--role", required=True, help="their role, e.g. 'Consultant in oral medicine'")
        parser.add_argument("--registration", default="", help="optional: a registration number, e.g. 'GDC 123456'")

    def handle(self, *args, target, by, role, registration, **options):
        try:
            signed = sign_off(target, by, role, registration, timezone.localdate())
        except RefusedError as refused:
            for line in refused.lines:
                self.stderr.write(line)
            # The editors' words only: no "CommandError:" in front, still exit status 1.
            raise SystemExit(1) from refused
        for page, signoff, _ in signed:
            self.stdout.write(
                f"Signed off {page}: it will say "
                f'"Reviewed by {signoff["reviewer"]} ({signoff["role"]}) on {signoff["date"]:%-d %B %Y}" '
                "while its text stays as it is now."
            )
        reviews = display_path(signed[0][2])
        self.stdout.write(self.style.SUCCESS(f"Recorded in {reviews}: commit it with the pages, then publish."))


def _person(option, value):
    """The reviewer's name, role or registration as one clean line, or RefusedError."""
    value = value.strip()
    if not value:
        raise RefusedError(f"Say the reviewer's {option}: {USAGE}")
    if "\n" in value or len(value) > fm.MAX_TEXT or fm.hidden_character(value):
        raise RefusedError(f"The reviewer's {option} should be one short line of plain text (got {value[:60]!r}).")
    return value


def sign_off(target, by, role, registration, today):
    """Append a sign-off for each page `target` names; [(page name, entry, reviews.yaml path)], or RefusedError."""
    target = target.strip()
    # A page's address ends in "/": "botox-jaw-pain/" is the guide's front page, never all of it, and
    # "botox-jaw-pain/benefits/" is that page.
    guide_slug, _, stem = target.strip("/").partition("/")
    if target.endswith("/") and not stem:
        stem = INDEX_STEM
    stem = stem.removesuffix(".md")
    if not guide_slug:
        raise RefusedError(f"Say which page to sign off (PAGE): {USAGE}")
    if not stem:
        raise RefusedError(
            f"Say which page of {guide_slug} to sign off: PAGE={guide_slug}/{INDEX_STEM} for its front page, "
            f"or PAGE='{guide_slug}/*' for every page of the guide (the reviewer must have read them all)."
        )
    by, role = _person("name (BY)", by), _person("role (ROLE)", role)
    registration = _person("registration", registration) if registration.strip() else ""
    library = load_library(drafts=True)
    folder = Path(settings.CONTENT_DIR) / guide_slug
    guide = library.guide(guide_slug)
    if guide is None:
        names = ", ".join(sorted(library.guides)) or "none"
        where = display_path(settings.CONTENT_DIR)
        raise RefusedError(f"There is no guide '{guide_slug}' in {where} (its guides: {names}).")
    files = sorted(folder.glob("*.md")) if stem == "*" else [folder / f"{stem}.md"]
    for path in files:
        if not path.is_file():
            names = ", ".join(page.file_stem for page in guide.pages)
            raise RefusedError(f"There is no page {display_path(path)} (the guide's pages: {names}).")
    reviews = folder / REVIEWS_FILE
    own = {reviews, *files, *(evidence_path(path) for path in files)}
    problems = [problem for problem in content_problems(library, require_review=False) if problem.path in own]
    if problems:
        count = len(problems)
        raise RefusedError(
            *(str(problem) for problem in problems),
            f"Not signed off: {count} problem{'s' if count != 1 else ''} to fix first. "
            f"Nothing was written to {display_path(reviews)}.",
        )
    pages = {page.path: page for page in guide.pages}
    entries = []
    for path in files:
        page = pages[path]  # loaded, since it has no problem
        fields = dict(page=page.file_stem, reviewer=by, role=role, registration=registration, date=today)
        entries.append((f"{guide_slug}/{page.file_stem}", fields, page.review_hash))
    _append(reviews, entries)
    return [(name, fields, reviews) for name, fields, _ in entries]


def _append(reviews, entries):
    """Add the entries to reviews.yaml in one atomic step, after reading the result back."""
    try:
        before = read_bounded(reviews)
    except FileNotFoundError:
        before = HEADER
    if before and not before.endswith("\n"):
        before += "\n"
    added = "".join(signoff_entry(**fields, text=text) for _, fields, text in entries)
    temporary = reviews.with_name(f".{REVIEWS_FILE}.{os.getpid()}")
    temporary.write_text(before + added, encoding="utf-8")
    try:
        latest = load_reviews(temporary)
        if any(getattr(latest.get(fields["page"]), "text", None) != text for _, fields, text in entries):
            raise ContentError([])
    except ContentError as error:
        temporary.unlink(missing_ok=True)
        raise RefusedError(
            *(str(problem).replace(temporary.name, REVIEWS_FILE) for problem in error.problems),
            f"Not signed off: {display_path(reviews)} does not end with its list of sign-offs ('signoffs:'), "
            "so nothing could be added to it safely; restore it from version control and sign off again.",
        ) from error
    os.replace(temporary, reviews)
