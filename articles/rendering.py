"""The one Markdown pipeline: Markdown -> checked element tree -> HTML -> nh3.

Every page body goes through `render()`. Two layers keep script out:

1. While Markdown builds its element tree, `_CheckTree` compares every tag,
   attribute and link with the allowlist below and reports what breaks it, so
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
from urllib.parse import unquote

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify
from markdown.postprocessors import RawHtmlPostprocessor
from markdown.treeprocessors import Treeprocessor

from .frontmatter import SLUG_RE, has_invisible_characters
from .images import image_size
from .problems import Problem

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
        "a": {"href", "title", "rel"},
        "img": {"src", "alt", "title", "width", "height"},
        "span": {"aria-hidden"},
    }
)
ALLOWED_CLASSES = {
    "a": {"section-link"},
    "span": {"visually-hidden"},
    "div": {"callout", "callout--urgent", "callout--info", "section-heading"},
    "p": {"callout__title", "callout__emergency"},
    "th": {"align-left", "align-center", "align-right"},
    "td": {"align-left", "align-center", "align-right"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto", "tel"}
CALLOUT_TYPES = {"urgent", "info"}
# Ids the page layout uses; a heading must not take one of them.
RESERVED_IDS = {"main-content", "guide-contents", "page-sources", "share-this-page", "share-url"}
EXTERNAL_REL = "noopener noreferrer"
DEFAULT_EMERGENCY_ADVICE = "Call your local emergency number now."

_ENTITY_RE = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z][a-zA-Z0-9]*);")
_SCHEME_RE = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_ALIGN_RE = re.compile(r"^text-align:\s*(left|center|right);?$")


@dataclass(frozen=True)
class Heading:
    level: int
    id: str
    text: str


@dataclass(frozen=True)
class Link:
    """A link inside the site, kept so that the content report can check it resolves."""

    href: str
    page: str | None  # content file stem ("benefits"), None for this page
    fragment: str
    line: int | None


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


def render(body, path, first_line=1, page_url=_relative_page_url, stem="page", emergency_advice=None):
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
    call, which each clinic sets for its own country in site.yaml.
    """
    state = _State(body, path, first_line, page_url)
    state.emergency_advice = emergency_advice or DEFAULT_EMERGENCY_ADVICE
    state.handout_prefix = f"{stem}-"
    md = _markdown()
    md.reset()
    md.guide_state = state
    raw = md.convert(body)
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
    """One Markdown instance per thread, reset between pages: building one costs more than a page."""
    if not hasattr(_local, "markdown"):
        _local.markdown = markdown.Markdown(
            extensions=["tables", "sane_lists", "attr_list", "admonition", "toc", _GuideExtension()],
            extension_configs={"toc": {"slugify": slugify, "marker": ""}},
            output_format="html",
        )
    return _local.markdown


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
    if tag == "img" and name == "src" and (_scheme(value) or value.startswith("//")):
        return None
    return value


class _State:
    """What one render collects: problems, headings, links; and how to find a line."""

    def __init__(self, body, path, first_line, page_url):
        self.body, self.path, self.first_line, self.page_url = body, path, first_line, page_url
        self.problems, self.headings, self.links, self.images = [], [], [], []
        self.handout_prefix = ""
        self.handout_raw = ""
        self.raw_html_lines = set()

    def line_of(self, needle):
        """The file line where `needle` first appears in the body, if it does."""
        index = self.body.find(needle) if needle else -1
        if index < 0:
            return None
        return self.first_line + self.body.count("\n", 0, index)

    def report(self, message, hint, needle=None, field="body"):
        self.problems.append(Problem(self.path, message, hint, self.line_of(needle), field))


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
    @property
    def state(self):
        return self.md.guide_state

    def run(self, root):
        for element in list(root.iter()):
            if element is root:
                continue
            self.convert_callout(element)
            self.convert_table_alignment(element)
            self.check_element(element)
            if element.tag in {"a", "img"}:
                self.check_title(element)
            if element.tag == "a" and element.get("href") is not None:
                self.check_link(element)
            elif element.tag == "img":
                self.check_image(element)
            elif element.tag in {"h2", "h3", "h4"}:
                self.record_heading(element)

    # Markdown features turned into this site's markup before checking.

    def convert_callout(self, element):
        classes = element.get("class", "").split()
        if element.tag == "div" and "admonition" in classes:
            kind = next((name for name in classes if name != "admonition"), "")
            if kind not in CALLOUT_TYPES:
                self.state.report(
                    f"unknown callout type '{kind}'",
                    f"use one of: {', '.join(f'!!! {name}' for name in sorted(CALLOUT_TYPES))}",
                    f"!!! {kind}",
                )
            element.set("class", f"callout callout--{kind}")
            element.set("data-checked", "")
            if kind == "urgent":
                advice = element.makeelement("p", {"class": "callout__emergency"})
                strong = advice.makeelement("strong", {})
                strong.text = self.state.emergency_advice
                advice.append(strong)
                element.append(advice)
        elif element.tag == "p" and classes == ["admonition-title"]:
            element.set("class", "callout__title")
            element.set("data-checked", "")

    def convert_table_alignment(self, element):
        if element.tag in {"th", "td"} and (match := _ALIGN_RE.match(element.get("style", ""))):
            del element.attrib["style"]
            element.set("class", f"align-{match[1]}")
            element.set("data-checked", "")

    # Checks.

    def check_element(self, element):
        tag = element.tag
        if tag == "h1":
            self.state.report(
                "uses a top-level heading (# ...)",
                "the page title is the only top-level heading; start sections with ##",
                "# " + "".join(element.itertext()),
            )
        elif tag in {"h5", "h6"}:
            self.state.report(f"uses a heading level too deep (<{tag}>)", "use ##, ### or ####")
        elif tag not in ALLOWED_TAGS:
            self.state.report(f"uses <{tag}>, which is not allowed", "use headings, lists, links, emphasis and tables")
        if "data-checked" in element.attrib:
            del element.attrib["data-checked"]
            return
        if tag not in ALLOWED_TAGS:
            return
        allowed = EDITOR_ATTRIBUTES.get(tag, set())
        for name in element.attrib:
            if name not in allowed:
                self.state.report(
                    f"sets the attribute '{name}' on <{tag}>, which is not allowed",
                    "remove the {...} after it",
                    f"{name}=",
                )
        if tag in {"h2", "h3", "h4"}:
            section_id = element.get("id", "")
            if not SLUG_RE.fullmatch(section_id):
                self.state.report(
                    f"the section id '{section_id}' is not a simple address",
                    "use lowercase words joined by hyphens, e.g. ## Heading {#heading}",
                    section_id,
                )
            elif section_id in RESERVED_IDS:
                self.state.report(
                    f"the section id '{section_id}' is used by the page layout",
                    "give the heading an id of its own, e.g. ## Heading {#other-name}",
                    section_id,
                )

    def check_title(self, element):
        """A title with quotes or brackets is someone trying to break out of the attribute."""
        title = element.get("title")
        if title and any(char in title for char in '<>"`'):
            self.state.report(
                f"a link or image title contains quotes or angle brackets ({title[:40]!r})",
                "write the title in plain words",
                title[:20],
            )

    def check_link(self, element):
        href = element.get("href")
        if has_invisible_characters(href):
            self.state.report(
                f"a link address contains invisible or control characters ({href!r})",
                "retype the address by hand",
                href,
            )
            return
        scheme = _scheme(href)
        if scheme in {"http", "https"}:
            element.set("rel", EXTERNAL_REL)
        elif scheme:
            if scheme not in ALLOWED_URL_SCHEMES:
                self.state.report(
                    f"links to a '{scheme}:' address, which is not allowed",
                    "link to a web page (https://...) or to another page of the guide (benefits.md)",
                    href,
                )
        elif href.startswith("//"):
            self.state.report("a link address starts with '//'", "write the full address with https://", href)
        else:
            self.record_internal_link(element, href)

    def record_internal_link(self, element, href):
        target, _, fragment = href.partition("#")
        stem = None
        if target.endswith(".md") and "/" not in target:
            stem = target[: -len(".md")]
            if not SLUG_RE.fullmatch(stem):
                self.state.report(
                    f"links to '{target}', which cannot be a page of the guide",
                    "page files are named in lowercase words joined by hyphens, e.g. benefits.md",
                    href,
                )
                return
            # The address differs between page and handout: _PageAndHandout sets it.
            element.set("data-page", stem)
            element.set("data-fragment", fragment)
        elif not target and fragment:
            element.set("data-fragment", fragment)
        elif target:
            stem = target  # a site path such as /botox-jaw-pain/benefits/, checked by the report
        self.state.links.append(Link(href, stem, fragment, self.state.line_of(href)))

    def check_image(self, element):
        src = element.get("src", "")
        if _scheme(src) or src.startswith("//") or has_invisible_characters(src):
            self.state.report(
                f"shows an image from another site ({src!r})",
                "images must be files of this site; other sites could track patients",
                src,
            )
        else:
            self.state.images.append((src, self.state.line_of(src)))
        if not element.get("alt", "").strip():
            self.state.report(
                f"the image {src!r} has no description",
                "say what it shows: ![what the picture shows](file.png)",
                src,
            )

    def record_heading(self, heading):
        text = "".join(heading.itertext()).strip()
        self.state.headings.append(Heading(int(heading.tag[1]), heading.get("id", ""), text))


class _PageAndHandout(Treeprocessor):
    """Finish the checked tree twice: a copy for the handout, then the page itself."""

    @property
    def state(self):
        return self.md.guide_state

    def run(self, root):
        handout = copy.deepcopy(root)
        self.finish(handout, for_handout=True)
        self.state.handout_raw = self.serialize(handout)
        self.finish(root, for_handout=False)

    def finish(self, root, for_handout):
        parents = {child: parent for parent in root.iter() for child in parent}
        prefix = self.state.handout_prefix
        for element in list(root.iter()):
            if element.tag == "a" and "data-fragment" in element.attrib:
                stem, fragment = element.attrib.pop("data-page", None), element.attrib.pop("data-fragment")
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
        link = heading.makeelement("a", {"class": "section-link", "href": f"#{section_id}"})
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


def _scheme(url):
    """The URL scheme a browser would see, after undoing the usual disguises."""
    cleaned = html.unescape(unquote(url)).strip()
    cleaned = "".join(char for char in cleaned if char.isprintable() and not char.isspace())
    match = _SCHEME_RE.match(cleaned)
    return match[1].lower() if match else ""
