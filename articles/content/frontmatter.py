"""Front matter: the YAML block at the top of a content file, read strictly.

YAML is forgiving in ways that hurt editors: `no` becomes False, 2026-13-01
crashes the date parser, a repeated key silently wins, aliases can expand
without limit. This module reads the YAML itself, keeps the line of every
field, and turns each of those into a Problem an editor can act on.
"""

import datetime
import difflib
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import urlsplit

import yaml

from articles.content.problems import ContentError, Problem

# A title, a summary or a clinic's name is a line or a sentence, never a page.
MAX_TEXT = 300
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
BOOL_TAG = "tag:yaml.org,2002:bool"
INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cn", "Zl", "Zp"}


class _RefusedError(Exception):
    def __init__(self, message, hint, mark):
        super().__init__(message)
        self.message, self.hint, self.mark = message, hint, mark


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """YAML's safe loader (libyaml's, where installed) that leaves dates as text."""


# Dates stay text so that a bad one gets a message, not a crash deep in YAML.
_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class Entry:
    """One field as written: its value, its line in the file, and its YAML node."""

    value: object
    line: int
    node: yaml.Node
    first_line: int  # the file line where the YAML text starts

    def line_of(self, node):
        return node.start_mark.line + self.first_line


def has_invisible_characters(text):
    return hidden_character(text) is not None


# The ASCII characters of those categories (the control characters), for a quicker look at a
# line that is all ASCII: most lines of a large library are.
_ASCII_INVISIBLE = re.compile(
    "["
    + re.escape("".join(chr(code) for code in range(128) if unicodedata.category(chr(code)) in INVISIBLE_CATEGORIES))
    + "]"
)


def hidden_character(text):
    """The first invisible or direction-changing character (U+202E reverses the text after it), if any."""
    if text.isascii():
        found = _ASCII_INVISIBLE.search(text)
        return found[0] if found else None
    return next((char for char in text if unicodedata.category(char) in INVISIBLE_CATEGORIES), None)


def hidden_character_problem(what, text):
    """The one rule for every text an editor writes: (message, hint) about `what`, or None."""
    char = hidden_character(text)
    if char is None:
        return None
    return f"{what} contains an invisible or direction-changing character ({character_name(char)})", "retype it by hand"


def character_name(char):
    return f"U+{ord(char):04X} {unicodedata.name(char, 'without a name')}"


def hidden_characters_in_text(text, path, first_line):
    """The same rule for body text and headings: a Problem for each line with such a character.

    Tabs are fine in text; U+202E made "take 01 pills" display as "take 10 pills".
    """
    problems = []
    for number, line in enumerate(text.split("\n"), start=first_line):
        char = hidden_character(line.removesuffix("\r").replace("\t", " "))
        if char is not None:
            problems.append(
                Problem(
                    path,
                    f"the text contains an invisible or direction-changing character ({character_name(char)})",
                    "retype the line by hand",
                    number,
                )
            )
    return problems


def split_front_matter(text, path):
    """Split a file into (front matter, its first line, body, the body's first line)."""
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        raise_problem(
            path,
            1,
            "the file does not start with front matter",
            "make the first line '---', then the fields (title: ...), then another '---'",
        )
    for index, line in enumerate(lines[1:], start=1):
        if line.rstrip() in {"---", "..."}:
            return "".join(lines[1:index]), 2, "".join(lines[index + 1 :]), index + 2
    raise_problem(path, 1, "the front matter is never closed", "add a line '---' after the last field")


def read_mapping(text, path, first_line=1, what="the front matter"):
    """Parse YAML text that must be a mapping; return {key: Entry}.

    `what` names the text in messages: a page's front matter, or a whole YAML file.

    Raises ContentError with every problem found.
    """
    for number, line in enumerate(text.splitlines(), start=first_line):
        if "\t" in line:
            raise_problem(path, number, "contains a tab character", "indent with spaces, not tabs")
        if found := _TRAILING_NOTE.match(line):  # "title: Benefits #1" would be published as "Benefits"
            raise_problem(
                path,
                number,
                f"'{found[1]}' has ' #' in it, after which YAML drops the rest of the line as a note",
                f'put the whole value in quotes, e.g. {found[1]}: "{found[2].strip()}"',
                found[1],
            )
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        _refuse_aliases(node)
        if node is None:
            raise_problem(path, first_line, f"{what} is empty", "add the fields, one 'name: value' a line")
        if not isinstance(node, yaml.MappingNode):
            raise_problem(
                path,
                node.start_mark.line + first_line,
                f"{what} is not a list of fields",
                "write one 'name: value' a line, e.g. 'title: How Botox works'",
            )
        return _entries(loader, node, path, first_line)
    except _RefusedError as refused:
        raise_problem(path, refused.mark.line + first_line, refused.message, refused.hint)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + first_line) if mark else first_line
        unclosed = unclosed_quote(text, first_line, line)
        if unclosed is not None:  # YAML read on past the line's end, and stumbled later
            raise_problem(
                path,
                unclosed,
                f"{what} has a quote that is not closed on its line",
                "end the text with the same quote mark it starts with, on the same line",
            )
        raise_problem(
            path,
            line,
            f"{what} is not valid YAML ({error.problem or error.context})",
            "check this line: each field is 'name: value', and text containing ': ' or '#' goes in quotes",
        )
    except yaml.YAMLError as error:
        raise_problem(path, first_line, f"{what} is not valid YAML ({error})", "check its punctuation")
    finally:
        loader.dispose()


# A field whose unquoted value has " #" in it: YAML reads the rest as a comment.
_TRAILING_NOTE = re.compile(r"""^\s*(?:-\s+)?([\w-]+):\s+((?!["'#|>])[^#]*\s#.*)$""")
_QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)?(?:[\w-]+:\s+)?(["'])(.*)$""")


def unclosed_quote(text, first_line, before):
    """The first line, up to `before`, whose value opens a quote it does not close; else None."""
    for number, line in enumerate(text.splitlines(), start=first_line):
        if number > before:
            break
        if found := _QUOTED_VALUE.match(line):
            mark, rest = found[1], found[2]
            closes = re.search(r'(?<!\\)"', rest) if mark == '"' else re.search(r"'(?!')", rest.replace("''", ""))
            if closes is None:
                return number
    return None


def _refuse_aliases(node, seen=None):
    """An alias makes one node appear twice in the tree: refuse it before anything is built from it."""
    seen = set() if seen is None else seen
    children = []
    if isinstance(node, yaml.MappingNode):
        children = [child for pair in node.value for child in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = node.value
    for child in children:
        if id(child) in seen:
            raise _RefusedError(
                "uses a YAML anchor or alias (& or *)", "write each value out in full", child.start_mark
            )
        seen.add(id(child))
        _refuse_aliases(child, seen)


def _entries(loader, mapping, path, first_line):
    entries, problems = {}, []
    for key_node, value_node in mapping.value:
        line = key_node.start_mark.line + first_line
        if not isinstance(key_node, yaml.ScalarNode):
            problems.append(Problem(path, "a field name is not plain text", "write 'name: value'", line))
            continue
        key = key_node.value
        if key in entries:
            problems.append(
                Problem(
                    path,
                    f"'{key}' appears twice (also on line {entries[key].line})",
                    "keep only one of them",
                    line,
                    key,
                )
            )
            continue
        entries[key] = Entry(loader.construct_object(value_node, deep=True), line, value_node, first_line)
    if problems:
        raise ContentError(problems)
    return entries


def raise_problem(path, line, message, hint, field=None):
    raise ContentError([Problem(path, message, hint, line, field)])


# --- Field kinds --------------------------------------------------------------
# Each takes (name, entry, path) and returns (value, problems).


def _problem(path, entry, name, message, hint):
    return None, [Problem(path, message, hint, entry.line, name)]


PHONE_RE = re.compile(r"\+?[0-9 ()-]*[0-9][0-9 ()-]*")


def phone(name, entry, path):
    """A number that can be dialled as written: the tap-to-call link dials the digits shown (without a (0)
    after a + country code, identity.tel_link)."""
    hint = f"put words such as 'option 2' in '{name}_note', e.g. {name}: \"020 7946 0000\" and {name}_note: option 2"
    return _dialable(name, entry, path, hint)


def emergency_phone(name, entry, path):
    """The one number every urgent box's "Call" button dials ("999 or 112" would dial 999112)."""
    hint = f"write the one number to call, e.g. {name}: \"999\", and any words in 'emergency_advice'"
    value, problems = _dialable(name, entry, path, hint)
    groups = re.findall(r"\d+", value or "")
    if not problems and len(groups) > 1 and all(len(group) <= 3 for group in groups):
        # "999 112": two short numbers, dialled as one (999112). A number written in groups has a longer one.
        return _problem(path, entry, name, f"'{name}' looks like more than one number (got {value.strip()!r})", hint)
    return value, problems


def _dialable(name, entry, path, hint):
    value, problems = text(name, entry, path)
    if problems:
        return value, problems
    if not PHONE_RE.fullmatch(value.strip()):
        return _problem(
            path,
            entry,
            name,
            f"'{name}' should be a number to dial, with only digits, spaces, '+', '-' and brackets "
            f"(got {value.strip()!r})",
            hint,
        )
    return value, []


def text(name, entry, path):
    value = entry.value
    if entry.node.tag == BOOL_TAG:
        return _problem(
            path,
            entry,
            name,
            f"'{name}' should be text, but YAML reads '{entry.node.value}' as yes/no",
            f'put it in quotes: {name}: "{entry.node.value}"',
        )
    if not isinstance(value, str) or not value.strip():
        return _problem(
            path, entry, name, f"'{name}' should be text (got {describe(value)})", "write it after the colon"
        )
    if hidden := hidden_character_problem(f"'{name}'", value):
        return _problem(path, entry, name, *hidden)
    if len(value.strip()) > MAX_TEXT:
        return _problem(
            path,
            entry,
            name,
            f"'{name}' is {len(value.strip())} characters long",
            f"keep it under {MAX_TEXT}: one sentence",
        )
    return value.strip(), []


def integer(name, entry, path):
    if isinstance(entry.value, bool) or not isinstance(entry.value, int):
        return _problem(path, entry, name, f"'{name}' should be a whole number (got {describe(entry.value)})", "e.g. 3")
    return entry.value, []


def date(name, entry, path):
    value = entry.value
    if isinstance(value, str) and DATE_RE.fullmatch(value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip()), []
        except ValueError:
            pass
    return _problem(path, entry, name, f"'{name}' is not a date (got {describe(value)})", "use YYYY-MM-DD")


def boolean(name, entry, path):
    if not isinstance(entry.value, bool):
        return _problem(
            path, entry, name, f"'{name}' should be true or false (got {describe(entry.value)})", "write true or false"
        )
    return entry.value, []


def slugs(name, entry, path):
    value = entry.value
    if not isinstance(value, list) or not all(isinstance(item, str) and SLUG_RE.fullmatch(item) for item in value):
        return _problem(
            path,
            entry,
            name,
            f"'{name}' should be a list of page addresses (got {describe(value)})",
            "write lowercase words joined by hyphens, e.g. [old-page-name]",
        )
    return tuple(value), []


# The kinds of source a page may name, each with the heading its group has under "Sources":
# a list of more than 7 is hard to read, so a page's sources are grouped by kind.
SOURCE_KINDS = {
    "health-service": "Health services and government agencies",
    "research": "Research reviews",
    "register": "Professional registers",
    "other": "Other sources",
}


@dataclass(frozen=True)
class Source:
    """One of a page's sources: its title, its address, and its kind ("other" when the editor gave none)."""

    title: str
    url: str
    kind: str = "other"


def sources(name, entry, path):
    value = entry.value
    hint = "write a list of items, each with '- title: ...', '  url: https://...' and, if you like, '  kind: research'"
    if not isinstance(value, list):
        return _problem(path, entry, name, f"'{name}' should be a list (got {describe(value)})", hint)
    found, problems = [], []
    for item, node in zip(value, entry.node.value, strict=True):
        line = entry.line_of(node)
        if not isinstance(item, dict) or not {"title", "url"} <= set(item) <= {"title", "url", "kind"}:
            problems.append(
                Problem(path, f"each of '{name}' needs a title and a url, and may have a kind", hint, line, name)
            )
            continue
        title, url, kind = item["title"], item["url"], item.get("kind", "other")
        if not isinstance(kind, str) or kind not in SOURCE_KINDS:  # a list or mapping cannot be looked up
            close = difflib.get_close_matches(str(kind), SOURCE_KINDS, n=1)
            kinds = ", ".join(SOURCE_KINDS)
            problems.append(
                Problem(
                    path,
                    f"a source's kind should be one of {kinds} (got {describe(kind)})",
                    f"did you mean '{close[0]}'?" if close else "pick one, or leave the kind out",
                    line,
                    name,
                )
            )
            continue
        if not isinstance(title, str) or not title.strip():
            problems.append(Problem(path, f"a source's title should be text (got {describe(title)})", hint, line, name))
        elif hidden := hidden_character_problem(f"the source title {title.strip()[:40]!r}", title):
            problems.append(Problem(path, *hidden, line, name))
        elif not is_web_address(url):
            problems.append(
                Problem(
                    path, f"a source's url is not a web address (got {describe(url)})", "use https://...", line, name
                )
            )
        else:
            found.append(Source(title.strip(), url, kind))
    return (tuple(found), problems) if not problems else (None, problems)


def web_address(name, entry, path):
    if not is_web_address(entry.value):
        return _problem(
            path, entry, name, f"'{name}' is not a web address (got {describe(entry.value)})", "use https://..."
        )
    return entry.value, []


def texts(name, entry, path):
    """A list of short texts (one text alone is taken as a list of one)."""
    items = entry.value if isinstance(entry.value, list) else [entry.value]
    if not items or not all(isinstance(item, str) and item.strip() for item in items):
        message = f"'{name}' should be a list of texts (got {describe(entry.value)})"
        return _problem(path, entry, name, message, "e.g. [Bruxism]")
    for item in items:
        if hidden := hidden_character_problem(f"'{name}'", item):
            return _problem(path, entry, name, *hidden)
    return tuple(item.strip() for item in items), []


def choice(*options):
    def kind(name, entry, path):
        if entry.value not in options:
            return _problem(
                path,
                entry,
                name,
                f"'{name}' should be one of {', '.join(options)} (got {describe(entry.value)})",
                "pick one",
            )
        return entry.value, []

    return kind


def is_web_address(url):
    if not isinstance(url, str) or has_invisible_characters(url) or any(char.isspace() for char in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. a broken IPv6 address: https://[x]/
        return False
    return parts.scheme in {"http", "https"} and bool(parts.netloc)


def describe(value):
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a yes/no value"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    return f"'{value}'"


@dataclass(frozen=True)
class Field:
    kind: object
    required: bool = False
    example: str = ""


def validate(entries, schema, path):
    """Check entries against a schema; return (clean values by name, problems)."""
    values, problems = {}, []
    for name, entry in entries.items():
        if name not in schema:
            close = difflib.get_close_matches(name, schema, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known fields are: {', '.join(schema)}"
            problems.append(Problem(path, f"unknown field '{name}'", hint, entry.line, name))
            continue
        value, found = schema[name].kind(name, entry, path)
        problems.extend(found)
        if not found:
            values[name] = value
    for name, field in schema.items():
        if field.required and name not in entries:
            problems.append(
                Problem(path, f"'{name}' is missing", f"add a line like: {name}: {field.example}", None, name)
            )
    return values, problems
