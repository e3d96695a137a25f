"""Editors' and developers' preview (`make dev`): DEBUG on, every page rendered live, drafts shown."""

from .base import *  # noqa: F403
from .base import MIDDLEWARE

DEBUG = True
# Live pages instead of the release: static files from static/, then the preview views.
MIDDLEWARE = [
    *(name for name in MIDDLEWARE if name != "articles.serve.serving.ReleaseMiddleware"),
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.common.CommonMiddleware",
]
SECRET_KEY = "dev-only-not-secret"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# The preview must show edits at once: never let a browser keep a page.
PAGE_CACHE_SECONDS = 0
# No collectstatic in the preview: serve files straight from static/.
STORAGES = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
