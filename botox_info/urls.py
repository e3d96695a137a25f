from django.conf import settings
from django.urls import include, path
from django.views import defaults

urlpatterns = []

if settings.DEBUG:
    # Preview the error pages in `make dev`.
    urlpatterns += [
        path("404/", defaults.page_not_found, {"exception": Exception("Preview")}),
        path("500/", defaults.server_error),
    ]

urlpatterns += [
    path("", include("articles.urls")),
]
