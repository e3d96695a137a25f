"""Thin views: find the content (or 404), then answer from the response cache.

Each page is rendered once per content version (see responses.py); the
context is only built when the cache has no copy yet.
"""

from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_safe

from . import metadata
from .content import get_library
from .qr import KINDS, qr_code
from .responses import cached_response
from .sitemaps import SITEMAPS


def _preview_problems():
    """In the editors' preview, every content problem is shown on the page itself."""
    return get_library().problems if settings.SHOW_DRAFTS else ()


def _guide_or_404(slug):
    guide = get_library().guide(slug)
    if guide is None:
        raise Http404("No such guide")
    return guide


def _page_or_404(guide, slug):
    page = guide.page(slug)
    if page is None:
        # Shown only by DEBUG's 404 page: in the preview, say why a page is missing.
        stem = slug or "index"
        problems = [str(p) for p in get_library().problems if p.path.parent.name == guide.slug and p.path.stem == stem]
        raise Http404(" ".join(["No such page.", *problems]))
    return page


@require_safe
def home(request):
    def body():
        context = {
            "guides": list(get_library().guides.values()),
            "current_url": reverse("articles:home"),
            "content_problems": _preview_problems(),
            "preview": metadata.link_preview(
                settings.SITE_NAME, "Plain-language guides for patients.", metadata.absolute(reverse("articles:home"))
            ),
        }
        return render_to_string("articles/home.html", context)

    return cached_response(request, body)


@require_safe
def guide_page(request, guide_slug, page_slug=""):
    guide = _guide_or_404(guide_slug)
    if page_slug in guide.redirects:
        return redirect(guide.redirects[page_slug].url, permanent=True)
    page = _page_or_404(guide, page_slug)
    return cached_response(request, lambda: _render_page(guide, page))


def _render_page(guide, page):
    previous, following = guide.neighbours(page)
    context = {
        "guide": guide,
        "page": page,
        "previous": previous,
        "next": following,
        "is_last": following is None,
        "current_url": page.url,
        "content_problems": _preview_problems(),
        "preview": metadata.link_preview(f"{page.title}: {guide.title}", page.summary, page.canonical_url),
        "json_ld": metadata.medical_web_page(guide, page),
        "share": metadata.share_links(f"{guide.title}: {page.title}", page.summary, page.canonical_url),
        "qr": {kind: qr_url(page, kind) for kind in KINDS},
    }
    return render_to_string("articles/page.html", context)


@require_safe
def handout(request, guide_slug):
    guide = _guide_or_404(guide_slug)
    if not guide.pages:
        raise Http404("This guide has no pages yet")

    def body():
        address = metadata.absolute(reverse("articles:handout", args=[guide.slug]))
        context = {
            "guide": guide,
            "last_reviewed": min(page.last_reviewed for page in guide.pages),
            "next_review_due": min(page.next_review_due for page in guide.pages),
            "preview": metadata.link_preview(f"{guide.title} (printable)", guide.summary, address),
            "qr_svg": reverse("articles:guide_qr", args=[guide.slug, "svg"]),
        }
        return render_to_string("articles/handout.html", context)

    return cached_response(request, body)


def qr_url(page, kind):
    if page.slug:
        return reverse("articles:page_qr", args=[page.guide_slug, page.slug, kind])
    return reverse("articles:guide_qr", args=[page.guide_slug, kind])


@require_safe
def qr(request, guide_slug, kind, page_slug=""):
    """The QR code that opens a page (or, without a page, the guide)."""
    guide = _guide_or_404(guide_slug)
    page = _page_or_404(guide, page_slug)
    name = f"qr-{guide.slug}{'-' + page.slug if page.slug else ''}.{kind}"
    return cached_response(
        request,
        lambda: qr_code(page.canonical_url, kind),
        KINDS[kind],
        {"Content-Disposition": f'inline; filename="{name}"'},
    )


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", "Allow: /", f"Sitemap: {metadata.absolute(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def sitemap_xml(request):
    return sitemap(request, sitemaps=SITEMAPS)
