"""The one Markdown pipeline: Markdown -> checked element tree -> HTML -> nh3.

Every page body goes through `render()`. Two layers keep script out:

1. Once Markdown has built its element tree, content_checks.py compares every
   tag, attribute and link with the allowlist and reports what breaks it, so
   an editor is told (with the line) instead of content being dropped silently.
   Raw HTML is reported too, and escaped so it shows as text.
2. The finished HTML is sanitised by nh3 with the same allowlist. This runs
   even when the checks pass: it is the guarantee, the checks are the manners.
"""

import copy
import html
import re
import threading
from dataclasses import dataclass

import markdown
import nh3

from articles.checks.markdown_api import (
    AdmonitionExtension,
    AttrListExtension,
    Extension,
    RawHtmlPostprocessor,
    SaneListExtension,
    TableExtension,
    TocExtension,
    Treeprocessor,
    slugify,
)
from articles.checks.markup import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_CLASSES,
    ALLOWED_TAGS,
    ALLOWED_URL_SCHEMES,
    CALLOUT_TYPES,
    check_tree,
    is_off_site,
    scheme,
)
from articles.content.frontmatter import has_invisible_characters
from articles.content.identity import DEFAULT_EMERGENCY_ADVICE, tel_link
from articles.content.problems import Problem
from articles.render.images import image_size

EXTERNAL_REL = "noopener noreferrer"

_ENTITY_RE = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")
_ALIGN_RE = re.compile(r"^text-align:\s*(left|center|right);?$")


@dataclass(frozen=True)
class Rendered:
    html: str
    handout_html: str  # the same body as a section of the printable handout
    headings: tuple
    links: tuple
    images: tuple
    problems: tuple


def _relative_page_url(stem, fragment):
    return f"../{stem}/" + (f"#{fragment}" if fragment else "")


def render(
    body, path, first_line=1, page_url=_relative_page_url, stem="page", emergency_advice=None, emergency_phone=""
):
    """Render a page body to safe HTML, reporting what an editor must fix.

    `page_url(stem, fragment)` turns a link to another content file
    (`benefits.md#less-pain`) into that page's address, so editors link by
    file name and renames stay safe.

    One Markdown run gives two versions: the page itself, with a "#" link
    beside each heading, and its section of the printable handout, where every
    page sits under its own <h2>: headings one level down, ids prefixed with the
    page's file stem so that pages do not clash, links to other pages pointing
    within the handout (`benefits.md#less-pain` -> `#benefits-less-pain`).

    Every "urgent" callout ends with `emergency_advice`: what to do and whom to
    call, which each clinic sets for its own country in site.yaml, and, where the clinic
    gives `emergency_phone`, a link that calls that number with one tap.
    """
    state = _State(body, path, first_line, page_url)
    state.emergency_advice = emergency_advice or DEFAULT_EMERGENCY_ADVICE
    state.emergency_phone = emergency_phone
    state.handout_prefix = f"{stem}-"
    md = _markdown()
    md.reset()
    md.guide_state = state
    try:
        raw = md.convert(body)
    except BaseException:
        # A conversion stopped half-way (RecursionError on deep nesting, a time limit) can leave the
        # instance's processors in a broken state, and a forked child inherits it: make a new one.
        del _local.markdown
        raise
    return Rendered(
        html=sanitise(raw),
        handout_html=sanitise(state.handout_raw),
        headings=tuple(state.headings),
        links=tuple(state.links),
        images=tuple(state.images),
        problems=tuple(state.problems),
    )


_local = threading.local()


def _markdown():
    """One Markdown instance per thread, reset between pages: building one costs more than a page.

    Extensions are given as objects: by name, python-markdown reads every installed package's
    entry points to find them (60 ms, in each process that loads content).
    """
    if not hasattr(_local, "markdown"):
        _local.markdown = markdown.Markdown(
            extensions=[
                TableExtension(),
                SaneListExtension(),
                AttrListExtension(),
                AdmonitionExtension(),
                TocExtension(slugify=slugify, marker=""),
                _GuideExtension(),
            ],
            output_format="html",
        )
    return _local.markdown


def prepare():
    """Build this thread's Markdown instance now, for the processes forked from it to inherit."""
    _markdown()


def sanitise(fragment):
    """nh3 with the allowlist: the last word on what reaches a browser."""
    return nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
        clean_content_tags={"script", "style"},
        attribute_filter=_keep_attribute,
    )


def _keep_attribute(tag, name, value):
    """No hidden characters in addresses; images only from this site (others could track readers)."""
    if name in {"href", "src"} and has_invisible_characters(value):
        return None
    if tag == "img" and name == "src" and is_off_site(value):
        return None
    return value


class _State:
    """What one render collects: problems, headings, links; and how to find a line."""

    def __init__(self, body, path, first_line, page_url):
        self.body, self.path, self.first_line, self.page_url = body, path, first_line, page_url
        self.problems, self.headings, self.links, self.images = [], [], [], []
        self.callouts = {}  # kind -> how many of that kind so far
        self.handout_prefix = ""
        self.handout_raw = ""
        self.raw_html_lines = set()
        # Keyed by the element itself, never by an attribute an author could write:
        self.pipeline_attributes = {}  # element -> names of the attributes this pipeline set
        self.internal_links = {}  # <a> -> (file stem or None for this page, fragment)

    def set_attribute(self, element, name, value):
        """Set an attribute of the pipeline's own, which the checks then know is not the author's."""
        element.set(name, value)
        self.pipeline_attributes.setdefault(element, set()).add(name)

    def line_of(self, needle, occurrence=1):
        """The file line where `needle` appears in the body for the `occurrence`th time, if it does."""
        index = -1
        for _ in range(occurrence if needle else 0):
            index = self.body.find(needle, index + 1)
            if index < 0:
                return None
        if index < 0:
            return None
        return self.first_line + self.body.count("\n", 0, index)

    def report(self, message, hint, needle=None, field="body", occurrence=1):
        self.problems.append(Problem(self.path, message, hint, self.line_of(needle, occurrence), field))


class _GuideExtension(Extension):
    """This site's checks and conversions; each render puts its _State on `md.guide_state`."""

    def extendMarkdown(self, md):  # noqa: N802 (python-markdown's name)
        # After toc (5) has set heading ids and inline (20) has made links.
        md.treeprocessors.register(_CheckTree(md), "guide_check", 4)
        # Last of all (after python-markdown's unescape, 0): split into page and handout.
        md.treeprocessors.register(_PageAndHandout(md), "guide_versions", -1)
        md.postprocessors.register(_EscapeRawHtml(md), "raw_html", 30)


class _EscapeRawHtml(RawHtmlPostprocessor):
    """Raw HTML is reported and shown as text, never passed through."""

    @property
    def state(self):
        return self.md.guide_state

    def stash_to_string(self, text):
        text = str(text)
        if _ENTITY_RE.fullmatch(text):
            return text
        first = text.strip().splitlines()[0] if text.strip() else ""
        line = self.state.line_of(first)
        if line not in self.state.raw_html_lines:  # one report per line, not one per tag
            self.state.raw_html_lines.add(line)
            self.state.report(
                f"contains raw HTML ({first[:60]!r})",
                "use Markdown instead: HTML is not allowed in content files",
                first,
            )
        return html.escape(text)


class _CheckTree(Treeprocessor):
    """Turn Markdown's own markup into this site's, then check the whole tree (content_checks)."""

    @property
    def state(self):
        return self.md.guide_state

    def run(self, root):
        for element in list(root.iter()):
            if element.tag == "div" and "admonition" in element.get("class", "").split():
                self.convert_callout(element)
            elif element.tag in {"th", "td"}:
                self.convert_table_alignment(element)
            elif element.tag == "a" and scheme(element.get("href") or "") in {"http", "https"}:
                self.state.set_attribute(element, "rel", EXTERNAL_REL)
        check_tree(root, self.state)

    def convert_callout(self, element):
        kind = next((name for name in element.get("class").split() if name != "admonition"), "")
        inner = [child for child in element.iter() if child is not element and child.tag == "div"]
        if any("admonition" in child.get("class", "").split() for child in inner):
            self.state.report(
                "has a callout inside another callout",
                "end the first callout (stop indenting) before starting the next",
                f"!!! {kind}",
            )
        if kind not in CALLOUT_TYPES:
            self.state.report(
                f"unknown callout type '{kind}'",
                f"use one of: {', '.join(f'!!! {name}' for name in sorted(CALLOUT_TYPES))}",
                f"!!! {kind}",
            )
        self.state.set_attribute(element, "class", f"callout callout--{kind}")
        # Only the callout's own title, never a paragraph an author gave the same class.
        title = element[0] if len(element) else None
        if title is not None and title.tag == "p" and title.get("class") == "admonition-title":
            self.state.set_attribute(title, "class", "callout__title")
        seen = self.state.callouts[kind] = self.state.callouts.get(kind, 0) + 1  # the how-manieth of its kind
        if len(element) <= (title is not None and title.get("class") == "callout__title"):
            # Its text was not indented (or by 2 spaces): it follows the box as an ordinary paragraph.
            # Its own line: the how-manieth "!!! kind" at a line's start, written in any case, spaced or not.
            starts = list(re.finditer(rf"(?im)^[ \t]*!!!\s*{re.escape(kind)}\b", self.state.body))
            at = starts[seen - 1].start() if len(starts) >= seen else None
            line = None if at is None else self.state.first_line + self.state.body.count("\n", 0, at)
            self.state.problems.append(
                Problem(
                    self.state.path,
                    "has a callout with no text in it",
                    f"indent each line of its text by 4 spaces under the '!!! {kind}' line",
                    line,
                    "body",
                )
            )
        if kind == "urgent":
            advice = element.makeelement("p", {"class": "callout__emergency"})
            self.state.pipeline_attributes[advice] = {"class"}
            strong = advice.makeelement("strong", {})
            strong.text = self.state.emergency_advice
            advice.append(strong)
            element.append(advice)
            if self.state.emergency_phone:
                call = element.makeelement("p", {"class": "callout__call"})
                self.state.pipeline_attributes[call] = {"class"}
                link = call.makeelement("a", {"href": tel_link(self.state.emergency_phone)})
                link.text = f"Call {self.state.emergency_phone}"
                call.append(link)
                element.append(call)

    def convert_table_alignment(self, element):
        if match := _ALIGN_RE.match(element.get("style", "")):
            del element.attrib["style"]
            self.state.set_attribute(element, "class", f"align-{match[1]}")


class _PageAndHandout(Treeprocessor):
    """Finish the checked tree twice: a copy for the handout, then the page itself."""

    @property
    def state(self):
        return self.md.guide_state

    def run(self, root):
        handout = copy.deepcopy(root)
        twins = dict(zip(root.iter(), handout.iter(), strict=True))  # each element and its copy
        links = {twins[element]: target for element, target in self.state.internal_links.items()}
        self.finish(handout, links, for_handout=True)
        self.state.handout_raw = self.serialize(handout)
        self.finish(root, self.state.internal_links, for_handout=False)

    def finish(self, root, links, for_handout):
        parents = {child: parent for parent in root.iter() for child in parent}
        prefix = self.state.handout_prefix
        for element in list(root.iter()):
            if element in links:
                stem, fragment = links[element]
                if stem is not None:
                    target = _handout_anchor(stem, fragment) if for_handout else self.state.page_url(stem, fragment)
                    element.set("href", target)
                elif for_handout:
                    element.set("href", f"#{prefix}{fragment}")
            elif element.tag == "img" and (size := image_size(element.get("src", ""))):
                # Width and height let the browser keep the picture's space: nothing shifts as it loads.
                element.set("width", str(size[0]))
                element.set("height", str(size[1]))
            elif element.tag in {"h2", "h3", "h4"}:
                if for_handout:
                    element.tag = f"h{int(element.tag[1]) + 1}"
                    element.set("id", prefix + element.get("id", ""))
                else:
                    self.add_section_link(element, parents[element])

    def serialize(self, root):
        """What Markdown.convert does with the final tree: serialise, unwrap, postprocess."""
        output = self.md.serializer(root).strip()
        opening, closing = f"<{self.md.doc_tag}>", f"</{self.md.doc_tag}>"
        wrapped = output.startswith(opening) and output.endswith(closing)
        output = output[len(opening) : -len(closing)] if wrapped else ""  # else empty: <div />
        for postprocessor in self.md.postprocessors:
            output = postprocessor.run(output)
        return output.strip()

    def add_section_link(self, heading, parent):
        """A visible '#' beside each heading: a stable link to the section.

        It sits beside the heading, not inside it, so that a screen reader's list of
        headings reads each heading once: <div><h2>...</h2><a>#</a></div>.
        """
        text = "".join(heading.itertext()).strip()
        section_id = heading.get("id", "")
        wrapper = heading.makeelement("div", {"class": "section-heading"})
        # Out of the Tab order: five extra stops a page would slow every keyboard user down.
        link = heading.makeelement("a", {"class": "section-link", "href": f"#{section_id}", "tabindex": "-1"})
        hidden = link.makeelement("span", {"class": "visually-hidden"})
        hidden.text = f"Link to the section: {text}"
        mark = link.makeelement("span", {"aria-hidden": "true"})
        mark.text = "#"
        link.extend([hidden, mark])
        position = list(parent).index(heading)
        wrapper.tail, heading.tail = heading.tail, None
        parent.remove(heading)
        wrapper.extend([heading, link])
        parent.insert(position, wrapper)


def _handout_anchor(stem, fragment):
    """In the handout every page is a section of one document: link within it."""
    return f"#{stem}-{fragment}" if fragment else f"#{stem}"
