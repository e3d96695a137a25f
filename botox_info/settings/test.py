"""Settings for the test suite: production-like (DEBUG off, manifest storage off)."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost", "guide.example.org"]
SITE_URL = "https://guide.example.org"
# Tests run without collectstatic, so use plain storage and find files in static/.
STORAGES = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The default hasher is slow on purpose (a second a password here); no test checks hashing, so
# the staff users the tests create are hashed the quick way (Django's "Speeding up the tests").
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
