"""Editors' and developers' preview (`make dev`): DEBUG on, drafts shown."""

from .base import *  # noqa: F403

DEBUG = True
SHOW_DRAFTS = True
SECRET_KEY = "dev-only-not-secret"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
# The preview must show edits at once: never let a browser keep a page.
PAGE_CACHE_SECONDS = 0
# Template and stylesheet edits must show too, not only content edits.
CACHE_PAGES = False
# No collectstatic in the preview: serve files straight from static/.
STORAGES = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
