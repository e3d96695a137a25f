"""Thin views: find the content (or 404), prepare the context, render."""

from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from . import metadata
from .content import get_library
from .qr import KINDS, qr_code
from .sitemaps import SITEMAPS


def _preview_problems():
    """In the editors' preview, every content problem is shown on the page itself."""
    return get_library().problems if settings.SHOW_DRAFTS else ()


def _guide_or_404(slug):
    guide = get_library().guide(slug)
    if guide is None:
        raise Http404("No such guide")
    return guide


@require_safe
def home(request):
    context = {
        "guides": list(get_library().guides.values()),
        "content_problems": _preview_problems(),
        "preview": metadata.link_preview(
            settings.SITE_NAME, "Plain-language guides for patients.", metadata.absolute(reverse("articles:home"))
        ),
    }
    return render(request, "articles/home.html", context)


@require_safe
def guide_page(request, guide_slug, page_slug=""):
    guide = _guide_or_404(guide_slug)
    page = guide.page(page_slug)
    if page is None:
        if moved_to := guide.redirects.get(page_slug):
            return redirect(moved_to.url, permanent=True)
        raise Http404("No such page")
    previous, following = guide.neighbours(page)
    context = {
        "guide": guide,
        "page": page,
        "previous": previous,
        "next": following,
        "is_last": following is None,
        "content_problems": _preview_problems(),
        "preview": metadata.link_preview(f"{page.title}: {guide.title}", page.summary, page.canonical_url),
        "json_ld": metadata.medical_web_page(guide, page),
        "share": metadata.share_links(f"{guide.title}: {page.title}", page.summary, page.canonical_url),
        "qr": {kind: qr_url(page, kind) for kind in KINDS},
    }
    return render(request, "articles/page.html", context)


@require_safe
def handout(request, guide_slug):
    guide = _guide_or_404(guide_slug)
    address = metadata.absolute(reverse("articles:handout", args=[guide.slug]))
    context = {
        "guide": guide,
        "last_reviewed": min(page.last_reviewed for page in guide.pages),
        "next_review_due": min(page.next_review_due for page in guide.pages),
        "preview": metadata.link_preview(f"{guide.title} (printable)", guide.summary, address),
        "qr_svg": reverse("articles:guide_qr", args=[guide.slug, "svg"]),
    }
    return render(request, "articles/handout.html", context)


def qr_url(page, kind):
    if page.slug:
        return reverse("articles:page_qr", args=[page.guide_slug, page.slug, kind])
    return reverse("articles:guide_qr", args=[page.guide_slug, kind])


@require_safe
def qr(request, guide_slug, kind, page_slug=""):
    """The QR code that opens a page (or, without a page, the guide)."""
    guide = _guide_or_404(guide_slug)
    page = guide.page(page_slug)
    if page is None:
        raise Http404("No such page")
    response = HttpResponse(qr_code(page.canonical_url, kind), content_type=KINDS[kind])
    name = f"qr-{guide.slug}{'-' + page.slug if page.slug else ''}.{kind}"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", "Allow: /", f"Sitemap: {metadata.absolute(reverse('sitemap'))}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_safe
def sitemap_xml(request):
    return sitemap(request, sitemaps=SITEMAPS)
