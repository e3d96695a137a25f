"""What each address of the site holds, made from a loaded library.

Publishing calls `build(library)` once for the whole site; the editors'
preview calls the same functions for one address at a time. Nothing here
reads a request: every address and link comes from `addresses` and SITE_URL.
"""

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string

from articles.content import addresses
from articles.publish import metadata
from articles.publish.cards import share_card
from articles.publish.qr import qr_code
from articles.render.fragments import lead_section, urgent_callout

HTML = "text/html; charset=utf-8"


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
        content_problems=problems,
        preview=metadata.link_preview(library.site, None, None, url),
    )
    return render_to_string("articles/home.html", context)


def privacy(library):
    url = addresses.privacy()
    retention = retention_text(settings.FEEDBACK_RETENTION_DAYS)
    return render_to_string("privacy.html", _context(library, url, feedback_retention=retention))


def retention_text(days):
    """365 -> "12 months", 90 -> "3 months", 10 -> "10 days": how the privacy page says it."""
    months = days // 365 * 12 if days % 365 == 0 else days // 30 if days % 30 == 0 else 0
    if months:
        return f"{months} month{'s' if months != 1 else ''}"
    return f"{days} day{'s' if days != 1 else ''}"


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
    return render_to_string("404.html", _context(library, None, reason=reason, guides=list(library.guides.values())))


# The feedback form's refusals (feedback/views.py): each a page in the site's style.
FEEDBACK_REFUSALS = (400, 403, 405, 413, 429)


def feedback_answers(library):
    """({file name: html} of the feedback form's answers, {page address: its thank-you file}).

    Rendered here, like every page, so that the feedback view only picks a finished
    file: a thank-you page for each guide page (it links back to the page), a page for
    each refusal, and the page a copy of the site that collects no feedback shows.
    """
    files, thanks = {}, {}
    for guide in library.guides.values():
        for page in guide.pages:
            name = f"thanks/{guide.slug}/{page.slug or addresses.INDEX_STEM}.html"
            files[name] = render_to_string("feedback/thanks.html", _context(library, None, guide=guide, page=page))
            thanks[page.url] = name
    for status in FEEDBACK_REFUSALS:
        files[f"refused-{status}.html"] = render_to_string(
            "feedback/refused.html", _context(library, None, status=status)
        )
    files["not-collected.html"] = render_to_string("feedback/not_collected.html", _context(library, None))
    return files, thanks


def robots():
    lines = ["User-agent: *", "Allow: /", f"Sitemap: {metadata.absolute(addresses.sitemap())}", ""]
    return "\n".join(lines)


def sitemap(library):
    """Every public page with the date it was last reviewed; absolute addresses from SITE_URL."""
    entries = [(metadata.absolute(addresses.home()), None), (metadata.absolute(addresses.privacy()), None)]
    for guide in library.guides.values():
        entries += [(page.canonical_url, page.last_reviewed) for page in guide.pages]
    return render_to_string("sitemap.xml", {"entries": entries})


def build(library):
    """(every file of the public site in address order, the 404 page's body)."""
    return [_file(library, address) for address in addresses.public_addresses(library)], not_found(library).encode()


def card(library, guide=None):
    """The link-preview picture: the guide's title and summary, or the home page's."""
    name = metadata.site_name(library.site)
    if guide is None:
        return share_card(name, metadata.HOME_DESCRIPTION, name)
    return share_card(guide.title, guide.summary, name)


def _file(library, address):
    kind, guide, page = address.kind, address.guide, address.page
    if kind == "card":
        return File(address.path, "image/png", card(library, guide))
    if kind == "qr":
        return File(address.path, addresses.QR_KINDS[address.qr_kind], qr_code(page.canonical_url, address.qr_kind))
    if kind == "robots":
        return File(address.path, "text/plain; charset=utf-8", robots().encode())
    if kind == "sitemap":
        return File(address.path, "application/xml; charset=utf-8", sitemap(library).encode())
    body = {
        "home": lambda: home(library),
        "privacy": lambda: privacy(library),
        "handout": lambda: handout(library, guide),
        "summary": lambda: summary_handout(library, guide),
        "page": lambda: guide_page(library, guide, page),
    }[kind]()
    return File(address.path, HTML, body.encode())
