"""Checks that need the whole site: links between pages, section anchors, images and evidence logs.

A single file can be right on its own and still link to a page that does not
exist. Publishing refuses such a site; the report, `make check` and the
preview show why, each problem with the closest real target to use instead.
"""

import difflib
import html
import re
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation

from articles.content import addresses
from articles.content.addresses import INDEX_STEM
from articles.content.files import read_bounded
from articles.content.frontmatter import split_front_matter
from articles.content.problems import ContentError, Problem

STATIC_PREFIX = "/static/"


def content_problems(library, require_review=None):
    """Every problem publishing would refuse: each file's own, then the site's, then (when the
    clinic requires it, settings.REQUIRE_CLINICAL_REVIEW) each page without a valid sign-off."""
    require_review = settings.REQUIRE_CLINICAL_REVIEW if require_review is None else require_review
    return [
        *library.problems,
        *site_problems(library),
        *published_address_problems(library),
        *(review_problems(library) if require_review else ()),
    ]


PUBLISHED_LIST = "published-urls.txt"
PUBLISHED_LIST_BYTES = 16 * 1024 * 1024  # three lines a page: room for a library of hundreds of thousands


def _published_answers(library):
    """Every address the library would answer once published: drafts left out, as publishing leaves them."""
    answered = set()
    for address in addresses.public_addresses(library):
        if address.page is not None:
            if not address.page.draft:
                answered.add(address.path)
        elif address.guide is None or any(not page.draft for page in address.guide.pages):
            answered.add(address.path)
    return answered | set(addresses.redirects(library, drafts=False))


def published_address_problems(library):
    """Each address the site has published (content/published-urls.txt, one a line: handouts, QR codes and
    messages to patients carry them) that this content would no longer answer, itself or by a redirect.
    Drafts do not answer: the check says what the publish would."""
    if library.root is None or library.problems:  # a file that did not load first: its pages would all be "gone"
        return []
    listed = library.root / PUBLISHED_LIST
    try:
        text = read_bounded(listed, limit=PUBLISHED_LIST_BYTES, too_large="keep one address a line, and nothing else")
    except FileNotFoundError:
        return []
    except ContentError as error:
        return error.problems
    answered = _published_answers(library)
    problems, missing = [], set()
    for number, line in enumerate(text.splitlines(), start=1):
        path = line.strip().partition("#")[0]  # a section's address is its page's
        if not line.strip() or line.lstrip().startswith("#") or path in answered or f"{path}/" in answered:
            continue  # (/x without its slash is redirected to /x/)
        missing.add(path)
        page_of_code = re.sub(r"qr\.(svg|png)$", "", path)
        if page_of_code != path and page_of_code in missing:
            continue  # a page's QR codes go with it: its own line says all
        problems.append(
            Problem(
                listed,
                f"lists {path}, which this content no longer publishes (a patient may have it on a handout, "
                "in a QR code or in a message)",
                "restore the page; or, if another page replaces it, add its old name to that page's 'former_slugs' "
                "so that the old address leads there",
                number,
            )
        )
    return problems


def review_problems(library):
    """A page whose current text no clinician has signed off, with the command that signs it."""
    for guide in library.guides.values():
        for page in guide.pages:
            review = page.review
            if page.draft or review.reviewed:
                continue
            if review.changed:
                signoff = review.signoff
                said = f"has changed since {signoff.reviewer} signed it off on {signoff.date.isoformat()}"
            else:
                said = "has not been signed off by a clinician"
            yield Problem(
                page.path,
                f"{said}, and this site publishes only signed-off pages (REQUIRE_CLINICAL_REVIEW is on)",
                "once a clinician has reviewed the page as it is now, sign it off: "
                f'make signoff PAGE={guide.slug}/{page.file_stem} BY="Their name" ROLE="Their role"',
            )


def site_problems(library):
    """Every broken link, anchor or image on every page of the library."""
    public = set(addresses.public_paths(library))
    return [
        problem
        for guide in library.guides.values()
        for titles in [page_titles(guide)]
        for page in guide.pages
        for problem in page_problems(library, guide, page, public, titles)
    ]


def page_problems(library, guide, page, public=None, titles=None):
    public = set(addresses.public_paths(library)) if public is None else public
    # A file that did not load has its own problems: a link to it is not one more.
    not_loaded = {problem.path for problem in library.problems}
    for link in page.body.links:
        message, hint = _link_problem(library, guide, page, link, public, not_loaded)
        if message:
            yield Problem(page.path, message, hint, link.line, "body")
    for src, line in page.body.images:
        if not _static_file_exists(src):
            close = _closest(src, _static_files())
            hint = f"did you mean '{close}'?" if close else "put it in static/img/ and write /static/img/..."
            yield Problem(page.path, f"shows the image '{src}', which does not exist", hint, line, "body")
    yield from _unlinked_page_names(page, page_titles(guide) if titles is None else titles)
    yield from page.evidence_problems  # found as the page loaded (render/pages.py)


# 'the page "Benefits"', in the words as shown, in text outside links and code: a title written as
# the link ('the page "[Benefits](benefits.md)"', or the whole phrase as a link) does not match, nor
# does another site's page ('the NHS page "..."': only "the" may come before "page"), nor a picture's
# description. In double or single quotes, straight or curly; the title in any case.
_NAMED_PAGE = re.compile(
    r"""page\s+(?:"([^"<>\n]+)"|\u201c([^\u201d<>\n]+)\u201d|\u2018([^\u2019<>\n]+)\u2019|'([^'<>\n]+)')""",
    re.IGNORECASE,
)
# Whether a page may name one at all, in lower case: 5 us on a page of 5 KB, where IGNORECASE took 60.
_QUOTE_AFTER_PAGE = re.compile("page\\s+[\"'\u201c\u2018]")
_THE_BEFORE = re.compile(r"(?:^|\W)the\s+$", re.IGNORECASE)
_LINKS_AND_CODE = re.compile(r"<(a|code|pre)\b[^>]*>.*?</\1>", re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
# The same, in a line of the page's Markdown: its links, pictures and code spans taken out first.
_MARKDOWN_LINKS_AND_CODE = re.compile(r"!?\[[^\]]*\]\([^)]*\)|`[^`]*`|\*\*|__|[*_]")
_FENCE = re.compile(r"^\s*(```|~~~)")


def page_titles(guide):
    """{title in lower case: (title, file name, draft)} of the guide's pages: made once a guide."""
    return {page.title.casefold(): (page.title, f"{page.file_stem}.md", page.draft) for page in guide.pages}


def _unlinked_page_names(page, titles):
    """A page of the guide named in quotes in the text, not linked: a reader told where to read more
    should be able to go there with one tap on the screen; on paper the link becomes where to find
    it (publish/site.py paper_css). A draft is named only from a draft: publishing leaves drafts out."""
    if not _QUOTE_AFTER_PAGE.search(page.html.lower()):  # most pages
        return
    shown = html.unescape(_TAG.sub("", _LINKS_AND_CODE.sub(" ", page.html)))
    named = [
        titles[name]
        for name in (found.casefold() for found in _names(shown))
        if name in titles and titles[name][0] != page.title and (page.draft or not titles[name][2])
    ]
    if not named:
        return
    where = _named_lines(page.path)  # the file read again only to say where each name is
    for title, file, _ in named:
        entry = next((entry for entry in where if entry[1].casefold() == title.casefold()), None)
        if entry is not None:
            where.remove(entry)  # the next mention of the same title is further on
        line = entry[0] if entry else None
        yield Problem(
            page.path,
            f'names the page "{title}" without a link to it',
            f'write it as a link: "[{title}]({file})"',
            line,
            "body",
        )


def _named_lines(path):
    """[(line number, title named)] in the body of the page file, in order, outside code blocks."""
    try:
        _, _, body, first = split_front_matter(read_bounded(path), path)  # the summary is not the body
    except (ContentError, FileNotFoundError):
        return []
    found, in_code = [], False
    for number, line in enumerate(body.splitlines(), first):
        if _FENCE.match(line):
            in_code = not in_code
        elif not in_code:
            found += [(number, name) for name in _names(_MARKDOWN_LINKS_AND_CODE.sub("", line))]
    return found


def _names(text):
    """The titles `text` names as 'the page "..."', in order."""
    return [
        next(group for group in match.groups() if group is not None)
        for match in _NAMED_PAGE.finditer(text)
        if _THE_BEFORE.search(text, max(0, match.start() - 12), match.start())
    ]


def _link_problem(library, guide, page, link, public, not_loaded):
    """(message, hint) for a link that leads nowhere, else (None, None)."""
    files = [f"{other.file_stem}.md" for other in guide.pages]
    if link.kind == "section":
        target = page
    elif link.kind == "page":
        target = guide.page("" if link.target == INDEX_STEM else link.target)
        if target is None:
            if guide.path / f"{link.target}.md" in not_loaded:
                return None, None
            if (guide.path / f"{link.target}.md").is_file():  # loaded, and left out of a published guide
                return _DRAFT_LINK[0].format(href=link.href), _DRAFT_LINK[1]
            return f"links to '{link.href}', but there is no page {link.target}.md", _suggest(
                f"{link.target}.md", files, "the guide's pages are"
            )
    elif link.kind == "site":
        pages_by_url = {other.url: other for each in library.guides.values() for other in each.pages}
        target = pages_by_url.get(link.target)
        if target is None:
            if link.target in public:
                return None, None
            if _a_draft_at(library, link.target, not_loaded):
                return _DRAFT_LINK[0].format(href=link.href), _DRAFT_LINK[1]
            close = _closest(link.target, public)
            return (
                f"links to '{link.href}', which is not a page of this site",
                f"did you mean '{close}'?" if close else "check the address",
            )
    else:
        return _relative_link_problem(guide, page, link, files)
    if target.draft and not page.draft:  # the check and the preview show drafts; the live site does not
        return _DRAFT_LINK[0].format(href=link.href), _DRAFT_LINK[1]
    return _section_problem(page, target, link)


_DRAFT_LINK = (
    "links to '{href}', which is a draft: it is not published, so on the live site the link would lead nowhere",
    "publish that page (remove 'draft: true' from it), or take the link out until you do",
)


def _a_draft_at(library, address, not_loaded):
    """Whether `address` (/guide/ or /guide/page/) is a page file that loaded but is not published."""
    parts = address.strip("/").split("/")
    other = library.guide(parts[0]) if address.endswith("/") and 1 <= len(parts) <= 2 else None
    if other is None:
        return False
    path = other.path / f"{parts[1] if len(parts) == 2 else INDEX_STEM}.md"
    return path.is_file() and path not in not_loaded and all(page.path != path for page in other.pages)


def _relative_link_problem(guide, page, link, files):
    """A relative address such as `side-effects` leads from the page's own address, to nothing."""
    message = f"links to '{link.href}', which is not a page: a link to another page names its file"
    resolved = urljoin(page.url, link.target)
    same = next((f"{other.file_stem}.md" for other in guide.pages if other.url == resolved), None)
    name = link.target.rstrip("/").rpartition("/")[2].removesuffix(".html").removesuffix(".md")
    suggestion = same or _closest(f"{name}.md", files)
    if suggestion and link.fragment:
        suggestion += f"#{link.fragment}"
    return message, f"did you mean '{suggestion}'?" if suggestion else f"the guide's pages are: {', '.join(files)}"


def _section_problem(page, target, link):
    ids = [heading.id for heading in target.body.headings]
    if not link.fragment or link.fragment in ids:
        return None, None
    where = "this page" if target is page else f"{target.file_stem}.md"
    message = f"links to the section '#{link.fragment}', which is not on {where}"
    if not ids:
        return message, f"{where} has no sections: link to the page itself, without '#...'"
    listed = ", ".join(f"#{section}" for section in ids)
    close = _closest(link.fragment, ids)
    return message, (f"did you mean '#{close}'? Its sections are: " if close else "its sections are: ") + listed


def _suggest(wrong, options, listing):
    close = _closest(wrong, options)
    return f"did you mean '{close}'?" if close else f"{listing}: {', '.join(options)}"


def _closest(wrong, options):
    close = difflib.get_close_matches(wrong, sorted(options), n=1, cutoff=0.6)
    return close[0] if close else None


def _static_file_exists(src):
    if not src.startswith(STATIC_PREFIX):
        return False
    try:
        return bool(finders.find(src.removeprefix(STATIC_PREFIX)))
    except SuspiciousFileOperation:  # /static/../settings.py
        return False


def _static_files():
    """Every static file's address, for suggestions."""
    found = set()
    for finder in finders.get_finders():
        for path, _storage in finder.list(["CACHE", "*.map"]):
            found.add(STATIC_PREFIX + path.replace("\\", "/"))
    return found
