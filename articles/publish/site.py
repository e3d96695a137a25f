"""What each address of the site holds, made from a loaded library.

Publishing calls `build(library)` once for the whole site; the editors'
preview calls the same functions for one address at a time. Nothing here
reads a request: every address and link comes from `addresses` and SITE_URL.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string

from articles.content import addresses
from articles.publish import metadata
from articles.publish.cards import share_card
from articles.publish.qr import qr_code
from articles.render.fragments import lead_section, urgent_callout

HTML = "text/html; charset=utf-8"
# Up to this many guides, the home page lists each guide's pages and the 404 page lists the
# guides; beyond it, the home page lists the guides alone, grouped by first letter, so that
# no page's size grows with the pages of other guides.
FEW_GUIDES = 6


@dataclass(frozen=True)
class File:
    path: str  # the address, e.g. "/botox-jaw-pain/benefits/"
    content_type: str
    body: bytes


def _context(library, current_url, **extra):
    """What every template gets: the clinic's details and the address of the page itself."""
    return {"site": library.site, "current_url": current_url, **extra}


def home(library, problems=()):
    url = addresses.home()
    context = _context(
        library,
        url,
        guides=list(library.guides.values()),
        list_pages=len(library.guides) <= FEW_GUIDES,
        groups=_by_letter(library.guides.values()) if len(library.guides) > FEW_GUIDES else [],
        content_problems=problems,
        preview=metadata.link_preview(library.site, None, None, url),
    )
    return render_to_string("articles/home.html", context)


def _by_letter(guides):
    """[(letter, [guide, ...]), ...] by the first letter of each title (digits and signs under "#")."""
    groups = {}
    for guide in sorted(guides, key=lambda guide: guide.title.casefold()):
        first = guide.title[:1].upper()
        groups.setdefault(first if first.isalpha() else "#", []).append(guide)
    return list(groups.items())


def privacy(library):
    url = addresses.privacy()
    return render_to_string("privacy.html", _context(library, url))


def guide_page(library, guide, page, problems=()):
    previous, following = guide.neighbours(page)
    context = _context(
        library,
        page.url,
        guide=guide,
        page=page,
        previous=previous,
        next=following,
        is_last=following is None,
        content_problems=problems,
        preview=metadata.link_preview(library.site, guide, page, page.url),
        json_ld=metadata.medical_web_page(library.site, guide, page),
        share=metadata.share_links(f"{guide.title}: {page.title}", page.summary, page.canonical_url),
        qr={kind: addresses.qr(guide.slug, page.slug, kind) for kind in addresses.QR_KINDS},
    )
    return render_to_string("articles/page.html", context)


def handout(library, guide):
    url = addresses.handout(guide.slug)
    context = _context(
        library,
        url,
        guide=guide,
        last_reviewed=min(page.last_reviewed for page in guide.pages),
        next_review_due=min(page.next_review_due for page in guide.pages),
        preview=metadata.link_preview(library.site, guide, None, url, title=f"{guide.title} (printable)"),
        qr_svg=addresses.qr(guide.slug, "", "svg"),
    )
    return render_to_string("articles/handout.html", context)


def summary_handout(library, guide):
    """One sheet for the front desk: key messages, a line per page, the urgent-help box, the clinic."""
    url = addresses.summary_handout(guide.slug)
    first = guide.pages[0]
    context = _context(
        library,
        url,
        guide=guide,
        key_messages=lead_section(first.html),
        urgent=next((found for page in guide.pages if (found := urgent_callout(page.html))), ""),
        preview=metadata.link_preview(library.site, guide, None, url, title=f"{guide.title} (one-page summary)"),
        qr_svg=addresses.qr(guide.slug, "", "svg"),
    )
    return render_to_string("articles/summary.html", context)


def not_found(library, reason=""):
    guides = list(library.guides.values()) if len(library.guides) <= FEW_GUIDES else []
    return render_to_string("404.html", _context(library, None, reason=reason, guides=guides))


def robots():
    lines = ["User-agent: *", "Allow: /", f"Sitemap: {metadata.absolute(addresses.sitemap())}", ""]
    return "\n".join(lines)


def sitemap(library):
    """Every public page with the date it was last reviewed; absolute addresses from SITE_URL."""
    entries = [(metadata.absolute(addresses.home()), None), (metadata.absolute(addresses.privacy()), None)]
    for guide in library.guides.values():
        entries += [(page.canonical_url, page.last_reviewed) for page in guide.pages]
    return render_to_string("sitemap.xml", {"entries": entries})


def build(library, cache=None, progress=None):
    """(every file of the public site in address order, the 404 page's body).

    With a publish's `cache` (publish/cache.py), a file whose inputs did not change is
    taken from it rather than made again; `progress(done, total)` is told as files are made.
    """
    found = addresses.public_addresses(library)
    files = []
    for address in found:
        if cache is None:
            files.append(_file(library, address))
        else:
            files.append(
                File(
                    address.path,
                    _content_type(address),
                    cache.file(library, address, lambda a=address: _body(library, a)),
                )
            )
        if progress:
            progress(len(files), len(found))
    return files, not_found(library).encode()


def card(library, guide=None):
    """The link-preview picture: the guide's title and summary, or the home page's."""
    name = metadata.site_name(library.site)
    if guide is None:
        return share_card(name, metadata.HOME_DESCRIPTION, name)
    return share_card(guide.title, guide.summary, name)


CONTENT_TYPES = {
    "card": "image/png",
    "robots": "text/plain; charset=utf-8",
    "sitemap": "application/xml; charset=utf-8",
}


def _content_type(address):
    if address.kind == "qr":
        return addresses.QR_KINDS[address.qr_kind]
    return CONTENT_TYPES.get(address.kind, HTML)


def _file(library, address):
    return File(address.path, _content_type(address), _body(library, address))


def _body(library, address):
    kind, guide, page = address.kind, address.guide, address.page
    body = {
        "card": lambda: card(library, guide),
        "qr": lambda: qr_code(page.canonical_url, address.qr_kind),
        "robots": lambda: robots(),
        "sitemap": lambda: sitemap(library),
        "home": lambda: home(library),
        "privacy": lambda: privacy(library),
        "handout": lambda: handout(library, guide),
        "summary": lambda: summary_handout(library, guide),
        "page": lambda: guide_page(library, guide, page),
    }[kind]()
    return body if isinstance(body, bytes) else body.encode()
