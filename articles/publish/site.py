"""What each address of the site holds, made from a loaded library.

Publishing calls `build(library)` once for the whole site; the editors'
preview calls the same functions for one address at a time. Nothing here
reads a request: every address and link comes from `addresses` and SITE_URL.
"""

import html as html_text
import re
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape

from articles.checks.evidence import cited_sources
from articles.content import addresses
from articles.publish import metadata
from articles.publish.cards import share_card
from articles.publish.qr import qr_code
from articles.publish.releases import SERVER_ERROR
from articles.render.fragments import (
    lead_section,
    section_list,
    section_picture,
    urgent_callout,
    with_page_references,
)

HTML = "text/html; charset=utf-8"  # the preview serves its pages with these
CSS = "text/css; charset=utf-8"
# Up to this many guides, the home page lists each guide's pages and the 404 page lists the
# guides; beyond it, the home page lists the guides alone, grouped by first letter, so that
# no page's size grows with the pages of other guides.
FEW_GUIDES = 6


def _context(library, current_url, **extra):
    """What every template gets: the clinic's details and the address of the page itself."""
    return {"site": library.site, "current_url": current_url, **extra}


def _about_link():
    """The About page's address, printed in full on the handouts (paper has no links)."""
    return {"path": addresses.about(), "url": metadata.absolute(addresses.about())}


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
    retention = retention_text(settings.FEEDBACK_RETENTION_DAYS)
    return render_to_string("privacy.html", _context(library, url, feedback_retention=retention))


def retention_text(days):
    """365 -> "12 months", 90 -> "3 months", 10 -> "10 days": how the privacy page says it."""
    months = days // 365 * 12 if days % 365 == 0 else days // 30 if days % 30 == 0 else 0
    if months:
        return f"{months} month{'s' if months != 1 else ''}"
    return f"{days} day{'s' if days != 1 else ''}"


def about(library):
    """ "About this information": who publishes the guides, how they are made and checked, and who pays."""
    url = addresses.about()
    pages = [page for guide in library.guides.values() for page in guide.pages]
    reviewers = {}
    for page in pages:
        if page.review.reviewed:
            signoff = page.review.signoff
            reviewers.setdefault((signoff.reviewer, signoff.role), []).append(page)
    context = _context(
        library,
        url,
        guides=list(library.guides.values()),
        page_count=len(pages),
        evidence_count=sum(1 for page in pages if page.has_evidence_log),
        reviewers=[(name, role, len(reviewed)) for (name, role), reviewed in reviewers.items()],
        preview=metadata.link_preview(library.site, None, None, url, title="About this information"),
    )
    return render_to_string("about.html", context)


def accessibility(library):
    url = addresses.accessibility()
    return render_to_string("accessibility.html", _context(library, url))


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
        position=guide.pages.index(page) + 1,
        content_problems=problems,
        preview=metadata.link_preview(library.site, guide, page, page.url),
        json_ld=metadata.medical_web_page(library.site, guide, page),
        share=metadata.share_links(f"{guide.title}: {page.title}", page.summary, page.canonical_url),
        qr={kind: addresses.qr(guide.slug, page.slug, kind) for kind in addresses.QR_KINDS},
    )
    return render_to_string("articles/page.html", context)


def handout(library, guide):
    url = addresses.handout(guide.slug)
    sections, sources = _numbered_sources(guide.pages)
    context = _context(
        library,
        url,
        guide=guide,
        sections=sections,
        sources=sources,
        about=_about_link(),
        preview=metadata.link_preview(library.site, guide, None, url, title=f"{guide.title} (printable)"),
        qr_svg=addresses.qr(guide.slug, "", "svg"),
    )
    return render_to_string("articles/handout.html", context)


def _numbered_sources(pages):
    """([(page, its sources' numbers, smallest first)], [each source once]): on paper a source that several
    sections rest on is printed once, in a numbered list at the end, and each section gives its numbers."""
    numbers, listed, sections = {}, [], []
    for page in pages:
        for source in page.sources:
            if source.url not in numbers:
                listed.append(source)
                numbers[source.url] = len(listed)
        sections.append((page, sorted(numbers[source.url] for source in page.sources)))  # read as 1, 3, 7
    return sections, listed


def _css_string(text):
    """`text` as a CSS string: nothing in it can end the string or the rule."""
    escaped = "".join(char if char.isalnum() or char in " .,:;()&'/-" else f"\\{ord(char):x} " for char in text)
    return f'"{escaped}"'


def paper_css(library, guide):
    """The guide's stylesheet for paper (print media only, linked from its pages and handouts).

    Chromium prints CSS page-margin boxes but cannot take their words from the page, so the
    guide's title and date are written here: every sheet of the whole-guide handout carries
    them with "page x of y". And a link cannot be followed on paper, so each one to another
    page of the guide is followed by where to find it: "(section 3)" in the whole-guide
    handout, whose sections are numbered, and the page's short address elsewhere.
    """
    # The newest text on these sheets: the day the most recently changed page was first published.
    dated = max((page.first_published for page in guide.pages if page.first_published), default=timezone.localdate())
    footer = f"{guide.title}. Text of {dated.day} {dated:%B %Y}"
    lines = [
        "/* Made by publishing from the guide's content: see articles/publish/site.py, paper_css(). */",
        "@page guide-sheet {",
        f"  @bottom-left {{ content: {_css_string(footer)}; font: 9pt system-ui, sans-serif; }}",
        '  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 9pt system-ui, sans-serif; }',
        "}",
        ".handout--guide { page: guide-sheet; }",
    ]
    host = metadata.absolute("").split("://", 1)[-1]
    numbered = list(enumerate(guide.pages, start=1))
    # Longest first-parts last: where two rules match a link, the more precise one wins.
    for number, page in sorted(numbered, key=lambda item: len(item[1].file_stem)):
        anchor = f"#{page.file_stem}"
        lines.append(
            f'.handout--guide a[href="{anchor}"]::after, .handout--guide a[href^="{anchor}-"]::after '
            f'{{ content: " (section {number})"; }}'
        )
    for _, page in sorted(numbered, key=lambda item: len(item[1].url)):
        lines.append(
            # Not after a link that the text sends to the printed list of pages (fragments.with_page_references).
            f'.prose a[href^="{page.url}"]:not(.has-printed-reference)::after '
            f"{{ content: {_css_string(f' ({host}{page.url})')}; }}"
        )
    return "\n".join(lines) + "\n"


# What follows a page's name in the summary's text: its address is in the list at the foot of the sheet.
SEE_THE_LIST = 'see "In the guide" below'


def summary_handout(library, guide):
    """One sheet for the front desk: key messages, the urgent box, questions to ask, each page's address, the clinic."""
    url = addresses.summary_handout(guide.slug)
    first = guide.pages[0]
    key_messages = lead_section(first.html)
    with_urgent = ((page, found) for page in guide.pages if (found := urgent_callout(page.html)))
    urgent_page, urgent = next(with_urgent, (None, ""))
    # The questions to ask, as a checklist to tick: from the page whose section "#questions" lists them.
    questions = next((found for page in guide.pages if (found := section_list(page.html, "questions"))), None)
    # The "what to do" picture, from the page whose section "#steps" shows it.
    steps_page, steps = next(
        ((page, found) for page in guide.pages if (found := section_picture(page.html, "steps"))), (None, "")
    )
    printed = {page.url: _printed_address(page) for page in guide.pages}
    # A page named in the text is found, with its address, in the list "In the guide" (summary.html).
    listed = set(printed)
    parts = [(first, key_messages), (steps_page, steps), (urgent_page, urgent)]
    context = _context(
        library,
        url,
        guide=guide,
        key_messages=with_page_references(key_messages, listed, SEE_THE_LIST),
        steps=summary_picture(steps),
        urgent=with_page_references(urgent, listed, SEE_THE_LIST),
        questions=questions,
        pages=[(page, printed[page.url]) for page in guide.pages],
        sources=_sources_of(parts),
        review_groups=_review_groups(guide.pages),
        about=_about_link(),
        preview=metadata.link_preview(library.site, guide, None, url, title=f"{guide.title} (one-page summary)"),
        qr_svg=addresses.qr(guide.slug, "", "svg"),
    )
    return render_to_string("articles/summary.html", context)


def _review_groups(pages):
    """[(a review label, the titles of the pages it is true of)], in page order: one line per label
    keeps the summary on one sheet however long the reviewers' names and roles are."""
    groups = {}
    for page in pages:
        review, signoff = page.review, page.review.signoff
        said = (review.state, review.updated, *((signoff.reviewer, signoff.role, signoff.date) if signoff else ()))
        groups.setdefault(said, (review, []))[1].append(page.title)
    return list(groups.values())


def _printed_address(page):
    """A page's address as a reader types it from paper: no "https://", no final "/"."""
    return re.sub(r"^https?://", "", settings.SITE_URL + page.url).rstrip("/")


def _sources_of(parts):
    """[(short title, url)] of the sources that the sentences of each (page, html) rest on, in order of use."""
    found = {}
    for page, html in parts:
        if page is None:
            continue
        titles = {source.url: source.title for source in page.sources}
        for source_url in cited_sources(page, html):
            found.setdefault(source_url, _short_title(titles.get(source_url, source_url)))
    return [(title, source_url) for source_url, title in found.items()]


def _short_title(title):
    """A source's title without its explanations in brackets: "NHS: Botox injections"."""
    return re.sub(r"\s*\([^)]*\)", "", title).strip()


def not_found(library, reason=""):
    guides = list(library.guides.values()) if len(library.guides) <= FEW_GUIDES else []
    return render_to_string("404.html", _context(library, None, reason=reason, guides=guides))


# The feedback form's refusals (feedback/views.py): each a page in the site's style.
_PAGE_URL, _PAGE_TITLE = "/thanks-stand-in-url-7c1f/", "thanks-stand-in-title-7c1f"
FEEDBACK_REFUSALS = (400, 403, 405, 413, 429)


def feedback_answers(library):
    """({file name: html} of the application's answers, {page address: its thank-you file}).

    Rendered here, like every page, so that the feedback view only picks a finished
    file: a thank-you page for each guide page (it links back to the page), a page for
    each refusal, the page a copy of the site that collects no feedback shows, and the
    page any error of the application shows (500).
    """
    files, thanks = {}, {}
    # The thank-you pages differ only in the page they lead back to: rendered once, with
    # stand-ins filled in for each page (escaped as the template would), not once a page.
    stand_in = SimpleNamespace(url=_PAGE_URL, title=_PAGE_TITLE)
    thanks_page = render_to_string("feedback/thanks.html", _context(library, None, guide=True, page=stand_in))
    for guide in library.guides.values():
        for page in guide.pages:
            name = f"thanks/{guide.slug}/{page.slug or addresses.INDEX_STEM}.html"
            files[name] = thanks_page.replace(_PAGE_URL, escape(page.url)).replace(_PAGE_TITLE, escape(page.title))
            thanks[page.url] = name
    for status in FEEDBACK_REFUSALS:
        files[f"refused-{status}.html"] = render_to_string(
            "feedback/refused.html", _context(library, None, status=status)
        )
    files["not-collected.html"] = render_to_string("feedback/not_collected.html", _context(library, None))
    # Made here too: at the moment of an error, a serving process may not be able to name the static files
    # (their map of hashed names stays out of the release), and an error page that fails is a bare one.
    files[SERVER_ERROR] = render_to_string("500.html", _context(library, None))
    return files, thanks


def robots():
    lines = ["User-agent: *", "Allow: /", f"Sitemap: {metadata.absolute(addresses.sitemap())}", ""]
    return "\n".join(lines)


def sitemap(library):
    """Every public page with the date its text was first published; absolute addresses from SITE_URL."""
    plain = (addresses.home(), addresses.privacy(), addresses.about(), addresses.accessibility())
    entries = [(metadata.absolute(path), None) for path in plain]
    for guide in library.guides.values():
        entries += [(page.canonical_url, page.first_published) for page in guide.pages]
    return render_to_string("sitemap.xml", {"entries": entries})


def card(library, guide=None):
    """The link-preview picture: the guide's title and summary, or the home page's."""
    name = metadata.site_name(library.site)
    if guide is None:
        return share_card(name, metadata.HOME_DESCRIPTION, name)
    return share_card(guide.title, guide.summary, name)


def body(library, address):
    """The bytes of the file at `address` (one of addresses.public_addresses)."""
    kind, guide, page = address.kind, address.guide, address.page
    body = {
        "card": lambda: card(library, guide),
        "qr": lambda: qr_code(page.canonical_url, address.qr_kind),
        "robots": lambda: robots(),
        "sitemap": lambda: sitemap(library),
        "paper_css": lambda: paper_css(library, guide),
        "home": lambda: home(library),
        "privacy": lambda: privacy(library),
        "about": lambda: about(library),
        "accessibility": lambda: accessibility(library),
        "handout": lambda: handout(library, guide),
        "summary": lambda: summary_handout(library, guide),
        "page": lambda: guide_page(library, guide, page),
    }[kind]()
    return body if isinstance(body, bytes) else body.encode()


_SVG_PICTURE = re.compile(r'<img (?P<before>[^>]*)src="/static/(?P<name>img/[^"/]+)\.svg"(?P<after>[^>]*)>')
_SVG_TITLE = re.compile(r"<title[^>]*>(?P<title>[^<]+)</title>")
_ALT = re.compile(r'alt="[^"]*"')


def summary_picture(html):
    """`html` with each picture that has a simpler version for the one-page summary shown in that version.

    The simpler version sits beside the picture as `name-summary.svg`: fewer words in larger type, so
    that in the summary's narrow column its labels still print at about 9 pt. Its text alternative
    is its own title, which says what it shows (the page's describes the fuller picture).
    """

    def simpler(match):
        name = match["name"] + "-summary"
        found = finders.find(f"{name}.svg")
        if not found:
            return match[0]
        tag = f'<img {match["before"]}src="/static/{name}.svg"{match["after"]}>'
        title = _SVG_TITLE.search(Path(found).read_text())
        return _ALT.sub(f'alt="{escape(html_text.unescape(title["title"].strip()))}"', tag, count=1) if title else tag

    return _SVG_PICTURE.sub(simpler, html)
