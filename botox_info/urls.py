from django.conf import settings
from django.urls import include, path
from django.views import defaults

from articles import views as articles_views

urlpatterns = [
    path("robots.txt", articles_views.robots_txt, name="robots"),
    path("sitemap.xml", articles_views.sitemap_xml, name="sitemap"),
]

if settings.DEBUG:
    # Preview the error pages in `make dev`.
    urlpatterns += [
        path("404/", defaults.page_not_found, {"exception": Exception("Preview")}),
        path("500/", defaults.server_error),
    ]

urlpatterns += [
    path("", include("articles.urls")),
]
