"""Evidence logs: every sentence a patient reads has a record saying where it comes from.

Beside each page `benefits.md` lies `benefits.evidence.yaml`, a list of records:

    - sentence: "Botox starts to work after a few days"
      source: https://www.northerncarealliance.nhs.uk/...   # one of the page's sources
      passage: "Botox will begin to work after a few days ..."  # the source's words, copied
      read_at: https://...   # optional: where the passage was read, if not at the source itself
      checked: 2026-11-30
    - sentence: "What to tell the practitioner"
      no_claim: heading      # or step, question, navigation, note: it states no fact

How a sentence is matched: the page is taken as a patient reads it (the
rendered page, markup removed, whitespace folded), split into sentences on
`.`, `?` and `!` and at every block (paragraph, list item, heading, callout
line), the same split as the reading grade (`readability.sentences`). The
summary is split the same way. A record matches a sentence when the two are
equal after folding whitespace and dropping a final `.` or `:`. The clinic's
own emergency advice and its "Call" button, which end every urgent box, are the
site's text, not the page's, and need no record. A sentence may have several records (one per
source).
"""

import bisect
import collections
import datetime
import itertools
import re

import yaml

from articles.checks.sentences import sentences
from articles.content.files import read_bounded
from articles.content.frontmatter import split_front_matter, unclosed_quote
from articles.content.problems import ContentError, Problem

# libyaml's parser when PyYAML was built with it (it is, from the lock's wheels): ten times faster
# on a library's thousands of logs, with the same nodes, marks and errors.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

EVIDENCE_SUFFIX = ".evidence.yaml"
NO_CLAIM_KINDS = ("heading", "step", "question", "navigation", "note")
CLAIM_KEYS = ("source", "passage", "checked")
KNOWN_KEYS = {"sentence", "no_claim", "read_at", *CLAIM_KEYS}
_SITE_EMERGENCY = re.compile(r'<p class="callout__(?:emergency|call)">.*?</p>', re.S)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def evidence_path(page):
    return page.path.with_name(page.path.stem + EVIDENCE_SUFFIX)


def fold(text):
    """A sentence as records and pages are compared: whitespace folded, no final '.' or ':'."""
    return " ".join(str(text).split()).rstrip(".:").strip()


def page_sentences(page):
    """[(sentence, where)] of the page's summary and body, in reading order; where is 'summary' or 'body'."""
    summary = [(sentence, "summary") for sentence in sentences(f"<p>{page.summary}</p>")]
    body = [(sentence, "body") for sentence in sentences(_SITE_EMERGENCY.sub("", page.html))]
    return [(fold(sentence), where) for sentence, where in summary + body if fold(sentence)]


def cited_sources(page, html):
    """The addresses of the sources the page's evidence log gives for the sentences of `html`, in order.

    The handouts use it to list the sources their sentences rest on. They read the log as the
    page was loaded with it (`page.evidence_sources`), never the file again: what the evidence
    check passed, what a sign-off covers and what the render cache keys on are that one reading.
    """
    by_sentence = dict(page.evidence_sources)
    found = [source for sentence in sentences(html) for source in by_sentence.get(fold(sentence), ())]
    return list(dict.fromkeys(found))


def check_evidence(page, text):
    """(problems, cited) for the page and the `text` of its evidence log (None where there is none).

    `cited` is ((sentence, (source address, ...)), ...): what the handouts list for each sentence.
    The loader (render/pages.py) reads the log once, with the page, and passes that reading here;
    the verdict is kept as `page.evidence_problems`.
    """
    path = evidence_path(page)
    name = path.name
    if text is None:
        return [
            Problem(
                page.path,
                "has no evidence log",
                f"create {name} beside it, with a record for each sentence (see docs/editing.md)",
                None,
                "evidence",
            )
        ], ()
    records, problems = _read_records(path, text)
    cited = {}
    for _, record in records:
        if record.get("source"):
            cited.setdefault(fold(record.get("sentence", "")), []).append(record["source"])
    cited = tuple((sentence, tuple(sources)) for sentence, sources in cited.items())
    if problems:
        return problems, cited
    sources = {source.url for source in page.sources}
    on_page = page_sentences(page)
    present = {sentence for sentence, _ in on_page}
    recorded = set()
    for line, record in records:
        problems.extend(_record_problems(path, line, record, sources))
        sentence = fold(record.get("sentence", ""))
        recorded.add(sentence)
        if sentence and sentence not in present:
            problems.append(
                Problem(
                    path,
                    f"has a record for the sentence '{_short(sentence)}', which is no longer on {page.path.name}",
                    "change the record to the page's new wording, or delete it",
                    line,
                    "sentence",
                )
            )
    lines = None  # the page file read again only to say where an unrecorded sentence is
    for sentence, where in on_page:
        if sentence not in recorded:
            lines = _text_lines(page.path) if lines is None else lines
            problems.append(
                Problem(
                    page.path,
                    f"the sentence '{_short(sentence)}' has no evidence record",
                    f"add a record to {name} with its source and passage, or 'no_claim' if it states no fact",
                    _line_of(sentence, where, lines),
                    where,
                )
            )
    return problems, cited


def _read_records(path, text):
    """([(line, record)], problems) from the text of an evidence log."""
    try:
        # An anchor needs a '&' and an alias a '*': without either, the token scan finds none,
        # and runs only on a log YAML cannot read, to name the scanner's error as before (it
        # comes first: an unclosed quote, not what the parser made of it).
        scanned = "&" in text or "*" in text
        for token in yaml.scan(text, Loader=YAML_LOADER) if scanned else ():
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                return [], [
                    Problem(
                        path,
                        "uses a YAML anchor or alias (& or *)",
                        "write each record out in full",
                        token.start_mark.line + 1,
                    )
                ]
        try:
            node = yaml.compose(text, Loader=YAML_LOADER)
        except yaml.YAMLError:
            if not scanned:
                collections.deque(yaml.scan(text, Loader=YAML_LOADER), maxlen=0)
            raise
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark else None
        unclosed = unclosed_quote(text, 1, line or len(text.splitlines()))
        if unclosed is not None:  # YAML read on past the line's end, and stumbled later
            return [], [
                Problem(
                    path,
                    "has a quote that is not closed on its line",
                    "end the text with the same quote mark it starts with, on the same line",
                    unclosed,
                )
            ]
        return [], [
            Problem(
                path,
                f"is not valid YAML ({getattr(error, 'problem', None) or 'cannot be read'})",
                "each record starts with '- sentence:' and its fields are indented by two spaces",
                line,
            )
        ]
    if node is None:
        return [], []
    if not isinstance(node, yaml.SequenceNode):
        return [], [
            Problem(path, "is not a list of records", "start each record with '- sentence:'", node.start_mark.line + 1)
        ]
    records, problems = [], []
    for item in node.value:
        line = item.start_mark.line + 1
        if not isinstance(item, yaml.MappingNode):
            problems.append(Problem(path, "has a record that is not a set of fields", "write '- sentence: ...'", line))
            continue
        record = {}
        for key, value in item.value:
            if not isinstance(value, yaml.ScalarNode):
                problems.append(
                    Problem(path, f"'{key.value}' must be one value", "write it on one line", line, key.value)
                )
                continue
            record[key.value] = value.value
        records.append((line, record))
    return records, problems


def _record_problems(path, line, record, sources):
    unknown = sorted(set(record) - KNOWN_KEYS)
    for key in unknown:
        yield Problem(path, f"has an unknown field '{key}'", f"use only {', '.join(sorted(KNOWN_KEYS))}", line, key)
    if not fold(record.get("sentence", "")):
        yield Problem(path, "has a record without a 'sentence'", "copy the sentence from the page", line, "sentence")
        return
    if "no_claim" in record:
        if record["no_claim"] not in NO_CLAIM_KINDS:
            yield Problem(
                path,
                f"'no_claim' is '{record['no_claim']}'",
                f"use one of {', '.join(NO_CLAIM_KINDS)}, or give a source and passage instead",
                line,
                "no_claim",
            )
        return
    sentence = _short(fold(record["sentence"]))
    for key in CLAIM_KEYS:
        if not str(record.get(key, "")).strip():
            yield Problem(
                path,
                f"the claim '{sentence}' has no '{key}'",
                _HINTS[key],
                line,
                key,
            )
    source = record.get("source")
    if source and source not in sources:
        yield Problem(
            path,
            f"cites {source}, which is not one of the page's sources",
            "add it to the page's 'sources' with a true title, or cite a source the page lists",
            line,
            "source",
        )
    checked = str(record.get("checked", ""))
    if checked and not _is_date(checked):
        yield Problem(path, f"'checked' is not a date (got '{checked}')", "use YYYY-MM-DD", line, "checked")


_HINTS = {
    "source": "add 'source:' with the address of the page it comes from",
    "passage": "add 'passage:' with the source's own words, copied from the page you read",
    "checked": "add 'checked:' with the date you read the source, as YYYY-MM-DD",
}


def _is_date(text):
    if not _DATE.fullmatch(text):
        return False
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _short(sentence, limit=80):
    return sentence if len(sentence) <= limit else sentence[: limit - 3] + "..."


_MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|\[([^\]]*)\]\([^)]*\)|\{#[^}]*\}|[*_`]|^\s*(?:#+|[-*]|\d+\.|!!!\s*\w+)\s*")


class _PageText:
    """The page file's lines with Markdown markup removed, to find where a sentence is. The body's lines
    are also joined into one text, searched with str.find: a page of 3,000 sentences without records,
    searched line by line in Python, took 3 s (and was stopped at the time limit as if it were hostile)."""

    def __init__(self, lines, body):
        self.lines, self.body = lines, body  # body: the index of the body's first line
        self.text = "\n".join(lines[body:])
        self.starts = list(itertools.accumulate((len(line) + 1 for line in lines[body:-1]), initial=0))

    def line(self, offset):
        """The line number (from 1, in the file) of the character at `offset` of the body's text."""
        return self.body + bisect.bisect_right(self.starts, offset)


def _text_lines(path):
    """The page file's text as _line_of searches it: a body sentence is not looked for in the front matter."""
    try:
        text = read_bounded(path)
        _, _, _, body_line = split_front_matter(text, path)
    except (ContentError, FileNotFoundError):
        return _PageText([], 0)
    lines = [" ".join(_MARKUP.sub(lambda m: m.group(1) or "", line).split()) for line in text.splitlines()]
    return _PageText(lines, body_line - 1)


def _line_of(sentence, where, page):
    """The line of the page file where the sentence starts (the summary's own line for the summary)."""
    if where == "summary":
        return next((number for number, line in enumerate(page.lines, 1) if line.startswith("summary:")), None)
    # The first line where the whole sentence starts, read on with the two lines after it (a
    # sentence may run over lines): not merely its first 40 characters, which a sentence above
    # may share ("The page ... lists them" above "The page ... lists the risks"). Else the first
    # line with those 40 characters, else with its first four words. None of them holds a line's end.
    start = sentence[:40].rstrip()
    first = None
    found = page.text.find(start) if start else -1
    while found != -1:
        number = page.line(found)
        first = first or number
        if sentence in " ".join(page.lines[number - 1 : number + 2]):
            return number
        following = number - page.body  # the index in `starts` of the next line
        if following >= len(page.starts):
            break
        found = page.text.find(start, page.starts[following])
    if first is not None:
        return first
    words = " ".join(sentence.split()[:4])
    found = page.text.find(words) if words else -1
    return page.line(found) if found != -1 else None
