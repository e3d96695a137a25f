"""Settings for the test suite: production-like (DEBUG off, manifest storage off)."""

import os

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
# `make test-fast` (QUICK_TESTS=1) reads content files in the test's own process. A child for each
# load took 15 ms here where reading a test's small page takes 1 ms: 500 loads a run, 10 s of the two
# cores' time, most of it the kernel's (the 140 MB test process's page tables copied at each fork, then
# the pages either side writes). A file read here ends as in a child (render/library.py _read_here):
# the time limit, a result no pipe carries, a reader that exits. The tests of the children themselves
# ask for them (tests/content/test_loading.py), and `make test`, which CI runs, reads every file in a
# child as publishing does.
CONTENT_READ_IN_CHILDREN = os.environ.get("QUICK_TESTS") != "1"
