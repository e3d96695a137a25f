"""Clinical sign-off: who reviewed which exact text of a page, and what the page may therefore say.

`manage.py signoff` appends one entry per page to the guide's `reviews.yaml`:

    signoffs:
      - page: benefits
        reviewer: Dr Ann Example
        role: Consultant in oral medicine
        registration: GDC 123456        # optional
        date: 2026-11-30
        text: sha256:9f2c...            # the page file and its evidence log, as signed

The last entry for a page is the one that counts. A page's label is worked out
from it and from the page's text as it is now (`Review`), never typed by hand.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from articles.content import frontmatter as fm
from articles.content.files import read_bounded
from articles.content.problems import ContentError, Problem

EVIDENCE_SUFFIX = ".evidence.yaml"
# "sha256:": the page file and its evidence log (sign-offs made before 2 December 2026, still honoured for
# what they covered); "page-sha256:": those and what else the page shows (fingerprint's `shown`).
HASH_RE = re.compile(r"(?:page-)?sha256:[0-9a-f]{64}")
SHOWN_PREFIX = "page-"
PAGES_SHOWN_SINCE = datetime.date(2026, 12, 2)  # the day sign-offs began to cover what a page shows
# A review is due again at most this many months after a sign-off.
REVIEW_MONTHS = 12

REVIEWED = "reviewed"
CHANGED = "changed"
UNREVIEWED = "unreviewed"

HEADER = """\
# Clinical sign-offs for this guide, added by `make signoff` (manage.py signoff).
# Each entry ties a reviewer to exactly what one page shows (its .md file, its evidence
# log, its pictures and the clinic's emergency advice in its urgent boxes).
# The last entry for a page counts. Commit this file with the pages;
# do not edit entries by hand (except to delete one for a page the guide no longer has):
# a changed page needs a new sign-off, not a new date.
signoffs:
"""


def _hash(name, entry, path):
    if isinstance(entry.value, str) and HASH_RE.fullmatch(entry.value):
        return entry.value, []
    return None, [
        Problem(
            path,
            f"'{name}' is not a text fingerprint (got {fm.describe(entry.value)})",
            "do not edit sign-offs by hand: delete this entry and sign the page off again with make signoff",
            entry.line,
            name,
        )
    ]


SIGNOFF_FIELDS = {
    "page": fm.Field(fm.text, True, "benefits"),
    "reviewer": fm.Field(fm.text, True, "Dr Ann Example"),
    "role": fm.Field(fm.text, True, "Consultant in oral medicine"),
    "registration": fm.Field(fm.text, False, "GDC 123456"),
    "date": fm.Field(fm.date, True, "2026-11-30"),
    "text": fm.Field(_hash, True, "sha256:..."),
}


@dataclass(frozen=True)
class SignOff:
    page: str  # the page's file name without .md ("index" for the first page)
    reviewer: str
    role: str
    date: datetime.date
    text: str  # the fingerprint of the text that was signed
    registration: str = ""

    @property
    def due(self):
        return add_months(self.date, REVIEW_MONTHS)


def add_months(day, months):
    """The same day `months` later (the 28th for a 29 February with no match)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, last)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def evidence_path(page_path):
    page_path = Path(page_path)
    return page_path.with_name(page_path.stem + EVIDENCE_SUFFIX)


def fingerprint(page_text, evidence_text=None, shown=None):
    """The fingerprint a sign-off is bound to: the page file as written (front matter and body), then its
    evidence log, then, given `shown` (texts naming its pictures' bytes and the clinic's emergency advice
    in its urgent boxes), what else the page shows, so that a reviewer's label stays true of all of it.

    Line endings are made the same first, so that a Windows editor saving the same words changes nothing.
    """
    digest = hashlib.sha256()
    for part in (page_text, evidence_text):
        digest.update(b"\0" if part is None else b"\1" + part.replace("\r\n", "\n").encode())
    for part in shown or ():
        digest.update(b"\2" + part.encode())
    return ("" if shown is None else SHOWN_PREFIX) + "sha256:" + digest.hexdigest()


def load_reviews(path, site=None):
    """{page name: its latest SignOff} from a guide's reviews.yaml, or ContentError saying what is wrong.

    Called like a page loader (render/library.load_files), in a child process with a time limit.
    """
    path = Path(path)
    text = read_bounded(path)
    if not any(line.strip() and not line.lstrip().startswith("#") for line in text.splitlines()):
        return {}
    entries = fm.read_mapping(text, path, what="the file")
    values, problems = fm.validate(entries, {"signoffs": fm.Field(_signoffs, True, "(a list)")}, path)
    if problems:
        raise ContentError(problems)
    return {signoff.page: signoff for signoff in values["signoffs"]}


def _signoffs(name, entry, path):
    hint = "sign pages off with make signoff, which writes this file; do not edit it by hand"
    if entry.value is None:
        return (), []
    if not isinstance(entry.node, yaml.SequenceNode):
        return None, [Problem(path, f"'{name}' should be a list of sign-offs", hint, entry.line, name)]
    found, problems = [], []
    for item, node in zip(entry.value, entry.node.value, strict=True):
        line = entry.line_of(node)
        if not isinstance(item, dict) or not all(isinstance(key, str) for key in item):
            problems.append(Problem(path, "a sign-off is not a group of fields", hint, line, name))
            continue
        fields = {
            key.value: fm.Entry(item[key.value], entry.line_of(key), value, entry.first_line)
            for key, value in node.value
        }
        values, found_problems = fm.validate(fields, SIGNOFF_FIELDS, path)
        for problem in found_problems:
            if problem.line is None:  # a missing field: say which sign-off lacks it
                problem = Problem(problem.path, problem.message, problem.hint, line, problem.field)
            problems.append(problem)
        if not found_problems:
            found.append(SignOff(**values))
    return (tuple(found), []) if not problems else (None, problems)


@dataclass(frozen=True)
class Review:
    """What a page may say about its clinical review, given its latest sign-off and its text now."""

    state: str  # REVIEWED, CHANGED or UNREVIEWED
    signoff: SignOff | None = None
    updated: datetime.date | None = None  # CHANGED: when the changed text was first published
    next_review_due: datetime.date | None = None  # REVIEWED: a year after sign-off, or the editor's earlier date

    @property
    def reviewed(self):
        return self.state == REVIEWED

    @property
    def changed(self):
        return self.state == CHANGED


def review_of(text, signoff, first_published=None, editor_due=None, today=None, shown=None):
    """The Review of a page whose text has fingerprint `text` (and whose text with what it shows has `shown`:
    a sign-off made since 2 December 2026 is bound to that; an older one to the text, as it was).

    `first_published` is when this exact text was first published (None before it
    ever was: then it is `today`, the day it would be). `editor_due` is the page's own
    `next_review_due`: it can bring the review forward, never put it off.
    """
    if signoff is None:
        return Review(UNREVIEWED)
    # An old fingerprint is honoured only for a sign-off made before the new one existed: one dated since
    # ("sha256:" written by hand or by old code) is not bound to what the page shows, and counts as changed.
    new_form = signoff.text.startswith(SHOWN_PREFIX)
    bound = shown if new_form or (shown and signoff.date >= PAGES_SHOWN_SINCE) else text
    if signoff.text != bound:
        updated = first_published or today or datetime.date.today()
        # Words published before the review, and a picture or the clinic's advice changed since: no day
        # of change is known, and "Updated on" a day before the review would not be true.
        return Review(CHANGED, signoff, updated=updated if updated >= signoff.date else None)
    due = signoff.due
    if editor_due and signoff.date < editor_due < due:
        due = editor_due
    return Review(REVIEWED, signoff, next_review_due=due)


def signoff_entry(page, reviewer, role, registration, date, text):
    """The lines that `make signoff` appends to reviews.yaml for one page."""
    fields = {"page": page, "reviewer": reviewer, "role": role}
    if registration:
        fields["registration"] = registration
    fields.update(date=date, text=text)
    dumped = yaml.safe_dump([fields], sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000)
    return "".join("  " + line for line in dumped.splitlines(keepends=True))
