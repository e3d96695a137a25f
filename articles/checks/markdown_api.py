"""Every part of python-markdown that this site relies on beyond its documented API, in one place.

The pipeline (articles/render/pipeline.py) slots its own processors between python-markdown's,
replaces its raw-HTML postprocessor, serialises the tree itself, and the markup checks
(articles/checks/markup.py) undo its placeholders for escaped characters. An upgrade that
changes any of these would break the site quietly, so `internals_changed()` says what no longer
holds, and tests/checks/test_markdown_api.py fails naming it. Here in checks/ because the
markup checks, the earliest stage, need it too. The extensions' classes come from here as well
(documented ones), so that python-markdown has one door into the code.
"""

import markdown
from markdown.extensions import Extension
from markdown.extensions.admonition import AdmonitionExtension
from markdown.extensions.attr_list import AttrListExtension
from markdown.extensions.sane_lists import SaneListExtension
from markdown.extensions.tables import TableExtension
from markdown.extensions.toc import TocExtension, slugify
from markdown.postprocessors import RawHtmlPostprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE, ETX, STX

__all__ = [
    "AMP_SUBSTITUTE",
    "ETX",
    "STX",
    "AdmonitionExtension",
    "AttrListExtension",
    "Extension",
    "RawHtmlPostprocessor",
    "SaneListExtension",
    "TableExtension",
    "TocExtension",
    "Treeprocessor",
    "internals_changed",
    "slugify",
]

# The priorities the pipeline's own processors are placed between (pipeline._GuideExtension).
TREEPROCESSORS = {"inline": 20, "attr_list": 8, "toc": 5, "unescape": 0}
POSTPROCESSORS = {"raw_html": 30}


def internals_changed():
    """What python-markdown no longer does as this site expects: [] when all holds."""
    md = markdown.Markdown(
        extensions=[TableExtension(), SaneListExtension(), AttrListExtension(), AdmonitionExtension(), TocExtension()]
    )
    changed = []
    for registry, expected, kind in (
        (md.treeprocessors, TREEPROCESSORS, "treeprocessor"),
        (md.postprocessors, POSTPROCESSORS, "postprocessor"),
    ):
        found = {item.name: item.priority for item in registry._priority}
        for name, priority in expected.items():
            if found.get(name) != priority:
                changed.append(f"{kind} {name!r} has priority {found.get(name)} (expected {priority})")
    if not callable(getattr(RawHtmlPostprocessor, "stash_to_string", None)):
        changed.append("RawHtmlPostprocessor.stash_to_string is gone (raw HTML would pass unreported)")
    if not (callable(getattr(md, "serializer", None)) and md.doc_tag == "div"):
        changed.append("Markdown.serializer / doc_tag changed (the page and handout split relies on them)")
    if (STX, ETX, AMP_SUBSTITUTE) != ("\x02", "\x03", "\x02amp\x03"):
        changed.append("the placeholders for escaped characters changed (links would be checked wrongly)")
    escaped = markdown.markdown(r"[a](x\_y)")
    if 'href="x_y"' not in escaped:
        changed.append(f"an escaped character in a link is no longer unescaped ({escaped!r})")
    return changed
