"""Checks that need the whole site: links between pages, section anchors and images.

A single file can be right on its own and still link to a page that does not
exist. Publishing refuses such a site; the report and the preview show why.
"""

from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation

from . import addresses
from .addresses import INDEX_STEM
from .problems import Problem

STATIC_PREFIX = "/static/"


def site_problems(library):
    """Every broken link, anchor or image on every page of the library."""
    public = set(addresses.public_paths(library))
    return [
        problem
        for guide in library.guides.values()
        for page in guide.pages
        for problem in page_problems(library, guide, page, public)
    ]


def page_problems(library, guide, page, public=None):
    public = set(addresses.public_paths(library)) if public is None else public
    pages_by_url = {other.url: other for each in library.guides.values() for other in each.pages}
    for link in page.body.links:
        if link.page is None:
            target = page
        elif link.href.startswith("/"):
            target = pages_by_url.get(link.href.partition("#")[0])
            if target is None:
                if link.href.partition("#")[0] in public:
                    continue
                yield Problem(
                    page.path,
                    f"links to '{link.href}', which is not a page of this site",
                    "check the address",
                    link.line,
                    "body",
                )
                continue
        else:
            target = guide.page("" if link.page == INDEX_STEM else link.page)
            if target is None:
                yield Problem(
                    page.path,
                    f"links to '{link.href}', but there is no page {link.page}.md",
                    "link to one of the guide's files, e.g. benefits.md",
                    link.line,
                    "body",
                )
                continue
        if link.fragment and link.fragment not in {heading.id for heading in target.body.headings}:
            where = "this page" if target is page else f"{target.file_stem}.md"
            yield Problem(
                page.path,
                f"links to the section '#{link.fragment}', which is not on {where}",
                "use the id of one of its headings",
                link.line,
                "body",
            )
    for src, line in page.body.images:
        if not _static_file_exists(src):
            yield Problem(
                page.path,
                f"shows the image '{src}', which does not exist",
                "put it in static/ and write /static/...",
                line,
                "body",
            )


def _static_file_exists(src):
    if not src.startswith(STATIC_PREFIX):
        return False
    try:
        return bool(finders.find(src.removeprefix(STATIC_PREFIX)))
    except SuspiciousFileOperation:  # /static/../settings.py
        return False
