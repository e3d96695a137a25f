"""The editors' preview (`make dev`): every page rendered live from content/ on each request.

The public site never reaches these views: in production ReleaseMiddleware
answers every request from the published release. The preview uses the same
bounded loader and the same checks as publishing, and shows every problem at
the top of the page, so an editor sees what `make publish` would refuse.
"""

from django.http import HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_safe

from articles.checks.site import content_problems
from articles.content import addresses
from articles.publish import site, text_dates
from articles.publish.qr import qr_code
from articles.render.library import load_library


def _load():
    library = load_library(drafts=True)
    problems = content_problems(library)
    # Labels as publishing would write them: a changed text is dated as the current release recorded it.
    library, _ = text_dates.dated(library, timezone.localdate())
    return library, problems


def _not_found(library, reason):
    return HttpResponseNotFound(site.not_found(library, reason))


def _problems_of(problems, guide_slug, stem):
    return [
        str(problem) for problem in problems if problem.path.parent.name == guide_slug and problem.path.stem == stem
    ]


@require_safe
def home(request):
    library, problems = _load()
    return HttpResponse(site.home(library, problems))


@require_safe
def privacy(request):
    library, _ = _load()
    return HttpResponse(site.privacy(library))


@require_safe
def about(request):
    library, _ = _load()
    return HttpResponse(site.about(library))


def accessibility(request):
    library, _ = _load()
    return HttpResponse(site.accessibility(library))


@require_safe
def guide_page(request, guide_slug, page_slug=""):
    library, problems = _load()
    guide = library.guide(guide_slug)
    if guide is None:
        return _not_found(library, f"There is no guide '{guide_slug}' in the content folder.")
    if page_slug in guide.redirects:
        return redirect(guide.redirects[page_slug].url, permanent=True)
    page = guide.page(page_slug)
    if page is None:
        stem = page_slug or addresses.INDEX_STEM
        reasons = _problems_of(problems, guide_slug, stem)
        return _not_found(library, " ".join(reasons) or f"There is no page {stem}.md in {guide_slug}/.")
    return HttpResponse(site.guide_page(library, guide, page, problems))


def _printable(make, content_type=site.HTML):
    """A view of one of a guide's printable versions, made by `make(library, guide)`."""

    @require_safe
    def view(request, guide_slug):
        library, _ = _load()
        guide = library.guide(guide_slug)
        if guide is None or not guide.pages:
            return _not_found(library, f"There is no guide '{guide_slug}' with pages in the content folder.")
        return HttpResponse(make(library, guide), content_type=content_type)

    return view


handout = _printable(site.handout)
summary_handout = _printable(site.summary_handout)
paper_css = _printable(lambda library, guide: site.paper_css(library, guide), site.CSS)


@require_safe
def qr(request, guide_slug, kind, page_slug=""):
    library, _ = _load()
    guide = library.guide(guide_slug)
    page = guide.page(page_slug) if guide else None
    if page is None:
        return _not_found(library, "There is no such page.")
    return HttpResponse(qr_code(page.canonical_url, kind), content_type=addresses.QR_KINDS[kind])


@require_safe
def card(request, guide_slug=None):
    library, _ = _load()
    guide = library.guide(guide_slug) if guide_slug else None
    if guide_slug and guide is None:
        return _not_found(library, f"There is no guide '{guide_slug}' in the content folder.")
    return HttpResponse(site.card(library, guide), content_type="image/png")


@require_safe
def robots_txt(request):
    return HttpResponse(site.robots(), content_type="text/plain; charset=utf-8")


@require_safe
def sitemap_xml(request):
    library, _ = _load()
    return HttpResponse(site.sitemap(library), content_type="application/xml; charset=utf-8")


def not_found(request):
    library, _ = _load()
    return _not_found(library, f"No page has the address {request.path}.")
