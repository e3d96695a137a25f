"""What an editor's Markdown may produce, and the checks that say what breaks it.

rendering.py builds the element tree; `check_tree()` then looks at every
element the author's Markdown made and reports each tag, attribute, link or
image that the allowlist would drop, so that nothing is removed silently.
The pipeline's own additions (callout classes, table alignment, `rel` on
external links) are recorded in `state.pipeline_attributes`, a dict keyed by
the element itself: no attribute an author could write ever marks an
element as checked.
"""

import html
import re
from dataclasses import dataclass
from urllib.parse import unquote

from articles.checks.markdown_api import AMP_SUBSTITUTE, ETX, STX
from articles.content.frontmatter import SLUG_RE, has_invisible_characters, hidden_character_problem

# --- The allowlist --------------------------------------------------------------

ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "h5", "ul", "ol", "li", "a", "strong", "em", "blockquote", "hr", "br",
    "table", "thead", "tbody", "tr", "th", "td", "code", "pre", "img", "div", "span",
}  # fmt: skip
# What Markdown written by an editor may produce, tag by tag.
EDITOR_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
    "ol": {"start"},
}
# The handout shows every page under its own <h2>, so its sections move one level down.
HANDOUT_ATTRIBUTES = {"h5": {"id"}}
# What survives sanitising: the editor's attributes plus those this pipeline adds.
ALLOWED_ATTRIBUTES = (
    EDITOR_ATTRIBUTES
    | HANDOUT_ATTRIBUTES
    | {
        "a": {"href", "title", "rel", "tabindex"},
        "img": {"src", "alt", "title", "width", "height"},
        "span": {"aria-hidden"},
    }
)
ALLOWED_CLASSES = {
    "a": {"section-link"},
    "span": {"visually-hidden"},
    "div": {"callout", "callout--urgent", "callout--warning", "callout--info", "section-heading"},
    "p": {"callout__title", "callout__emergency", "callout__call"},
    "th": {"align-left", "align-center", "align-right"},
    "td": {"align-left", "align-center", "align-right"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
# urgent: an emergency (the site's emergency advice ends it); warning: act soon, not an emergency.
CALLOUT_TYPES = {"urgent", "warning", "info"}
SECTION_TAGS = {"h2", "h3", "h4"}
# Every id the templates give an element (tests/test_content_checks.py greps them):
# a heading that took one would break the skip link, the sources or the share box.
RESERVED_IDS = {
    "main-content", "guide-contents", "page-sources", "page-text", "share-this-page", "share-url", "handout-notes",
    "handout-sources", "summary-key-messages", "summary-questions", "summary-pages", "privacy-who",
    "privacy-not-collected", "privacy-server-logs",
    "privacy-questions", "about-publisher", "about-how", "about-funding", "about-conflicts", "about-mistakes",
    "accessibility-standard", "accessibility-testing", "accessibility-known-issues",
    "accessibility-report",
    "privacy-feedback", "feedback", "feedback-heading", "feedback-comment",
    "feedback-comment-hint", "feedback-website",
}  # fmt: skip

_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_ESCAPED_RE = re.compile(f"{STX}([0-9]+){ETX}")  # python-markdown's placeholder for an escaped character


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


@dataclass(frozen=True)
class Link:
    """A link inside the site, kept so that site_checks can check that it resolves.

    kind: "page" (benefits.md#less-pain), "section" (#less-pain on this page),
    "site" (/botox-jaw-pain/) or "relative" (anything else, e.g. side-effects:
    a browser would look for it beside the page, where there is nothing).
    """

    href: str  # as the editor wrote it
    kind: str
    target: str  # the file stem, the site path or the relative address, as a browser reads it
    fragment: str
    line: int | None

    @property
    def page(self):
        """The file stem of the page linked to; None for any other kind of link."""
        return self.target if self.kind == "page" else None


# --- Addresses as a browser reads them -----------------------------------------


def unescaped(url):
    """The address as it will be written in the page: Markdown's escapes (\\) and entities undone.

    The checks run before python-markdown puts back backslash escapes and writes
    e-mail autolinks as entities; a browser sees the result of both.
    """
    url = _ESCAPED_RE.sub(lambda match: chr(int(match[1])), url.replace(AMP_SUBSTITUTE, "&"))
    return html.unescape(url)


def as_browser_reads(url):
    """What a browser follows: entities undone, tabs and newlines dropped, a backslash read as a slash."""
    url = re.sub(r"[\t\n\r]", "", unescaped(url)).strip("".join(map(chr, range(33))))
    return url.replace("\\", "/")


def scheme(url):
    """The URL scheme a browser would see, after undoing the usual disguises."""
    cleaned = unquote(as_browser_reads(url))
    cleaned = "".join(char for char in cleaned if char.isprintable() and not char.isspace())
    match = _SCHEME_RE.match(cleaned)
    return match[1].lower() if match else ""


def is_off_site(url):
    """Whether a browser would fetch the address from another site (https://..., //host, /\\host)."""
    return bool(scheme(url)) or as_browser_reads(url).startswith("//")


# --- Checking the tree ------------------------------------------------------------


def check_tree(root, state):
    """Check every element below `root`; problems, headings, links and images go to `state`."""
    section_ids = set()
    for element in root.iter():
        if element is root:
            continue
        if not check_tag(element, state):  # a refused tag's own attributes (a heading's id) say no more
            check_attributes(element, state)
        if element.tag in {"a", "img"}:
            check_title(element, state)
        if element.tag == "a" and element.get("href") is not None:
            check_link(element, state)
        elif element.tag == "img":
            check_image(element, state)
        elif element.tag in SECTION_TAGS:
            check_section_id(element, state, section_ids)


def heading_needle(heading, state):
    """What finds a heading's line: '##### Its text' as written, else its text alone."""
    text = "".join(heading.itertext()).strip()
    written = f"{'#' * int(heading.tag[1])} {text}"
    return written if written in state.body else text or None


def check_tag(element, state):
    """Report a tag that is not allowed; whether it was one."""
    tag = element.tag
    if tag == "h1":
        state.report(
            "uses a top-level heading (# ...)",
            "the page title is the only top-level heading; start sections with ##",
            heading_needle(element, state),
        )
    elif tag in {"h5", "h6"}:
        state.report(f"uses a heading level too deep (<{tag}>)", "use ##, ### or ####", heading_needle(element, state))
    elif tag not in ALLOWED_TAGS:
        state.report(f"uses <{tag}>, which is not allowed", "use headings, lists, links, emphasis and tables")
    else:
        return False
    return True


def check_attributes(element, state):
    """Every attribute the author set that sanitising would strip (the pipeline's own are known)."""
    allowed = EDITOR_ATTRIBUTES.get(element.tag, set()) | state.pipeline_attributes.get(element, set())
    for name in element.attrib:
        if name not in allowed:
            state.report(
                f"sets the attribute '{name}' on <{element.tag}>, which is not allowed",
                "remove it from the {...} after the text",
                _attribute_needle(name, state.body),
            )


_SHORTHAND = {"class": re.compile(r"\{:?\s*\.[\w-]"), "id": re.compile(r"\{:?\s*#[\w-]")}


def _attribute_needle(name, body):
    """Where the attribute is written: 'name=', or {: .big } for a class and {#x} for an id; never
    merely the first word that holds its name ("did" for id, "A class of its own" for class)."""
    if f"{name}=" in body:
        return f"{name}="
    found = _SHORTHAND[name].search(body) if name in _SHORTHAND else None
    return found[0] if found else None


def check_title(element, state):
    """A title with quotes or brackets is someone trying to break out of the attribute."""
    title = element.get("title")
    if title and any(char in title for char in '<>"`'):
        state.report(
            f"a link or image title contains quotes or angle brackets ({title[:40]!r})",
            "write the title in plain words",
            title[:20],
        )


def check_section_id(heading, state, seen):
    section_id = heading.get("id", "")
    # The id as written ({#...}), else the heading: one the table of contents made is not in the text.
    needle = f"#{section_id}" if section_id and f"#{section_id}" in state.body else heading_needle(heading, state)
    text = "".join(heading.itertext()).strip()
    repeated = re.fullmatch(r"(.+)_(\d+)", section_id)
    if repeated and repeated[1] in seen:  # the table of contents numbered a heading written twice
        state.report(
            f"two sections have the heading '{text}'",
            f"give the second an id of its own, e.g. ## {text} {{#{repeated[1]}-again}}",
            needle,
            occurrence=int(repeated[2]) + 1,
        )
    elif not SLUG_RE.fullmatch(section_id) and f"#{section_id}" not in state.body:  # made from the heading
        state.report(
            f"the heading '{text}' makes no simple address for its section (got '{section_id}')",
            f"give it one in lowercase words joined by hyphens, e.g. ## {text} {{#a-name}}",
            needle,
        )
    elif not SLUG_RE.fullmatch(section_id):
        state.report(
            f"the section id '{section_id}' is not a simple address",
            "use lowercase words joined by hyphens, e.g. ## Heading {#heading}",
            needle,
        )
    elif section_id in RESERVED_IDS:
        state.report(
            f"the section id '{section_id}' is used by the page layout",
            "give the heading an id of its own, e.g. ## Heading {#other-name}",
            needle,
        )
    elif section_id in seen:
        state.report(
            f"two sections have the id '{section_id}'",
            "give each heading an id of its own, e.g. ## Heading {#other-name}",
            "#" + section_id,
        )
    seen.add(section_id)
    state.headings.append(Heading(int(heading.tag[1]), section_id, text))


def check_link(element, state):
    href = element.get("href")
    written = unescaped(href)
    if hidden := hidden_character_problem(f"the link address {written!r}", written):
        state.report(*hidden, written)
        return
    found = scheme(href)
    if found and found not in ALLOWED_URL_SCHEMES:
        state.report(
            f"links to a '{found}:' address, which is not allowed",
            "link to a web page (https://...) or to another page of the guide (benefits.md)",
            written,
        )
    elif not found and as_browser_reads(href).startswith("//"):
        state.report("a link address starts with '//'", "write the full address with https://", written)
    elif not found:
        record_internal_link(element, written, state)


def record_internal_link(element, written, state):
    """Note where an internal link leads; site_checks checks it once every page is loaded."""
    target, _, fragment = as_browser_reads(written).partition("#")
    line = state.line_of(written)
    if not target:
        if fragment:
            state.internal_links[element] = (None, fragment)
            state.links.append(Link(written, "section", "", fragment, line))
        return
    if target.startswith("/"):
        state.links.append(Link(written, "site", target, fragment, line))
    elif target.endswith(".md") and "/" not in target:
        stem = target.removesuffix(".md")
        if not SLUG_RE.fullmatch(stem):
            state.report(
                f"links to '{target}', which cannot be a page of the guide",
                "page files are named in lowercase words joined by hyphens, e.g. benefits.md",
                written,
            )
            return
        # The address differs between the page and the handout: rendering sets it.
        state.internal_links[element] = (stem, fragment)
        state.links.append(Link(written, "page", stem, fragment, line))
    else:
        state.links.append(Link(written, "relative", target, fragment, line))


def check_image(element, state):
    src = element.get("src", "")
    written = unescaped(src)
    if is_off_site(src) or has_invisible_characters(written):
        state.report(
            f"shows an image from another site ({_quoted(written)})",
            "images must be files of this site; other sites could track patients",
            written,
        )
    else:
        state.images.append((as_browser_reads(src), state.line_of(written)))
    if not element.get("alt", "").strip():
        state.report(
            f"the image {_quoted(written)} has no description",
            "say what it shows: ![what the picture shows](file.png)",
            written,
        )


def _quoted(text):
    """The text in quotes, escaped only when it hides characters an editor could not see."""
    return repr(text) if has_invisible_characters(text) else f"'{text}'"
