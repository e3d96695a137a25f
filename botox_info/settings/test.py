"""Settings for the test suite: production-like (DEBUG off, manifest storage off)."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost", "guide.example.org"]
SITE_URL = "https://guide.example.org"
# Tests run without collectstatic, so use plain storage and find files in static/.
STORAGES = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
