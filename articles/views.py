from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from .content import get_library


def _guide_or_404(slug):
    guide = get_library().guide(slug)
    if guide is None:
        raise Http404("No such guide")
    return guide


@require_safe
def home(request):
    return render(request, "articles/home.html", {"guides": list(get_library().guides.values())})


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
    }
    return render(request, "articles/page.html", context)
