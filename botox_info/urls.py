"""Addresses of the site. The public site is served from the release (articles.serving);
these routes give every address its name for reverse(), and serve the editors' preview."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views import defaults
from django.views.decorators.csrf import csrf_exempt

from articles import views as articles_views
from feedback import views as feedback_views

admin.site.site_header = admin.site.site_title = "Patient feedback"
# An error of the application (the feedback form, the admin), or an address it does not know: the
# release's own error pages.
handler500 = feedback_views.server_error
handler404 = feedback_views.page_not_found


@csrf_exempt  # a POST gets the 404 page, not Django's unstyled CSRF 403
def not_found(request):
    """An address no view takes: the preview's 404 page in `make dev` (DEBUG). Anywhere else only an
    address under APPLICATION_PATHS gets here (a line break in it, say; the release answers every
    other one), and it gets the release's 404 page, without reading content/ as the preview does."""
    if settings.DEBUG:
        return articles_views.not_found(request)
    return feedback_views.page_not_found(request)


urlpatterns = [
    # The only dynamic addresses of the public site (settings.APPLICATION_PATHS).
    path("feedback/", include("feedback.urls")),
    path("admin/", admin.site.urls),
    # Everything under it, "/static/admin/" and a line break included: none may reach the preview's views.
    re_path(r"^static/admin/(?P<path>[\s\S]*)$", feedback_views.admin_static),
    path("robots.txt", articles_views.robots_txt, name="robots"),
    path("sitemap.xml", articles_views.sitemap_xml, name="sitemap"),
]

if settings.DEBUG:
    # Preview the error page in `make dev` (the 404 page is any unknown address).
    urlpatterns += [path("500/", defaults.server_error)]

urlpatterns += [
    path("", include("articles.urls")),
    # Anything else: the site's own 404 page, never Django's debug page.
    re_path(r"^", not_found),
]
