"""Every address of the site, worked out in one place.

A page's address (and its QR code's, and the handout's) is made here and
nowhere else; `public_paths()` is the one list of what a visitor can reach,
used by publishing, the sitemap and the site-wide tests.
"""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse

QR_KINDS = {"svg": "image/svg+xml", "png": "image/png"}
INDEX_STEM = "index"
# Addresses the site itself uses: never a guide folder, a page or a former page name.
RESERVED_SLUGS = frozenset(
    {"print", "qr", "static", "privacy", "about", "accessibility", "404", "500", "robots", "sitemap"}
)
# A guide's folder is at the top of the site, beside the application's own addresses (settings.APPLICATION_PATHS,
# /healthz): a guide named admin was the staff login. A page (/guide/feedback/) collides with none of them.
RESERVED_GUIDE_SLUGS = RESERVED_SLUGS | {"admin", "feedback", "healthz"}


def reverse(name, args=()):
    """Django's reverse(), remembered: publishing a large library asks for each address several times."""
    return _reversed(name, tuple(args), get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.lru_cache(maxsize=100_000)
def _reversed(name, args, prefix, urlconf):  # the prefix and URLconf are part of the answer
    return django_reverse(name, args=args, urlconf=urlconf)


def home():
    return reverse("articles:home")


def privacy():
    return reverse("articles:privacy")


def about():
    """ "About this information": who publishes the guides and how they are made."""
    return reverse("articles:about")


def accessibility():
    return reverse("articles:accessibility")


def guide(guide_slug):
    return reverse("articles:guide", args=[guide_slug])


def page(guide_slug, page_slug, fragment=""):
    """A page's address; `page_slug` "" (or "index") is the guide's first page."""
    first = page_slug in {"", INDEX_STEM}
    url = guide(guide_slug) if first else reverse("articles:page", args=[guide_slug, page_slug])
    return f"{url}#{fragment}" if fragment else url


def qr(guide_slug, page_slug, kind):
    # Beside its page (urls.py: guide_qr, page_qr), so made from the page's address: a large
    # library has two codes a page, and working each out from the URLconf took most of the time.
    url = reverse("articles:page", args=[guide_slug, page_slug]) if page_slug else guide(guide_slug)
    return f"{url}qr.{kind}"


def handout(guide_slug):
    return reverse("articles:handout", args=[guide_slug])


def summary_handout(guide_slug):
    return reverse("articles:summary_handout", args=[guide_slug])


def paper_css(guide_slug):
    """The guide's stylesheet for paper: each sheet's footer, and where an on-paper reference leads."""
    return reverse("articles:paper_css", args=[guide_slug])


def card(guide_slug=None):
    """The link-preview picture of a guide, or of the home page."""
    if guide_slug:
        return reverse("articles:guide_card", args=[guide_slug])
    return reverse("articles:home_card")


def robots():
    return reverse("robots")


def sitemap():
    return reverse("sitemap")


@dataclass(frozen=True)
class Address:
    """One address a visitor can reach, with what it shows."""

    path: str
    # "home", "card", "privacy", "about", "accessibility", "robots", "sitemap", "handout", "summary", "paper_css",
    # "page", "qr"
    kind: str
    guide: object = None
    page: object = None
    qr_kind: str = ""


def public_addresses(library):
    """Every address a visitor can reach, in a stable order. A published library has no drafts."""
    found = [
        Address(home(), "home"),
        Address(card(), "card"),
        Address(privacy(), "privacy"),
        Address(about(), "about"),
        Address(accessibility(), "accessibility"),
        Address(robots(), "robots"),
    ]
    found.append(Address(sitemap(), "sitemap"))
    for each in library.guides.values():
        if not each.pages:
            continue
        found.append(Address(card(each.slug), "card", each))
        found.append(Address(handout(each.slug), "handout", each))
        found.append(Address(summary_handout(each.slug), "summary", each))
        found.append(Address(paper_css(each.slug), "paper_css", each))
        for item in each.pages:
            found.append(Address(item.url, "page", each, item))
            found += [Address(qr(each.slug, item.slug, kind), "qr", each, item, kind) for kind in QR_KINDS]
    return found


def public_paths(library):
    return [address.path for address in public_addresses(library)]


def redirects(library, drafts=True):
    """{former address: current address} for every renamed page, and for its QR codes (each in the list
    of published addresses, and perhaps in a clinic's letter); without `drafts`, none leading to a draft."""
    found = {}
    for each in library.guides.values():
        for former, item in each.redirects.items():
            if item.draft and not drafts:
                continue
            found[page(each.slug, former)] = item.url
            found[page(each.slug, former).rstrip("/")] = item.url  # as a file's /x is sent to /x/
            found.update({qr(each.slug, former, kind): qr(each.slug, item.slug, kind) for kind in QR_KINDS})
    return found
