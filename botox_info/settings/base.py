"""Settings shared by every environment.

Safe by default: DEBUG is off and there is no secret key here. The modules
beside this one (dev, production, test) add what each environment needs.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default):
    """Read a yes/no environment variable ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name):
    """Read a comma-separated environment variable into a list of stripped items."""
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DEBUG = False

# --- Applications -----------------------------------------------------------
# No database, no sessions, no auth: content lives in files (see CONTENT_DIR).

INSTALLED_APPS = [
    "django.contrib.staticfiles",
    "articles",
]

DATABASES = {}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Header middleware sits before WhiteNoise so static files get the headers too.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "botox_info.middleware.CrossOriginResourcePolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Answers every request from the published release: files, redirects, 404.
    # Nothing below it runs on the public site (the preview swaps it out).
    "articles.serve.serving.ReleaseMiddleware",
]

# CsrfViewMiddleware is left out on purpose: the public site has no forms and no
# cookies, and every request is answered from the release's files.
SILENCED_SYSTEM_CHECKS = ["security.W003"]

ROOT_URLCONF = "botox_info.urls"
WSGI_APPLICATION = "botox_info.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # No context processors: pages need nothing from the request.
            "context_processors": [],
        },
    },
]

# --- Content ----------------------------------------------------------------

# Overridable so that load tests can edit a copy.
CONTENT_DIR = Path(os.environ.get("CONTENT_DIR", BASE_DIR / "content"))
# Where `manage.py publish` writes releases; `current` points at the one served.
RELEASES_DIR = Path(os.environ.get("RELEASES_DIR", BASE_DIR / "releases"))
# Older releases kept for `publish --rollback`.
RELEASES_KEPT = 5
# How long a publish or rollback waits for another one to finish before giving up.
PUBLISH_WAIT_SECONDS = int(os.environ.get("PUBLISH_WAIT_SECONDS", "300"))
# Bounds on every content file, in publishing and the preview alike: a page is a few KB.
CONTENT_MAX_BYTES = int(os.environ.get("CONTENT_MAX_BYTES", 256 * 1024))
CONTENT_RENDER_SECONDS = float(os.environ.get("CONTENT_RENDER_SECONDS", "3"))
# The site's name where no clinic has set its own (content/site.yaml): it names nobody.
SITE_NAME = "Patient guides"
# Absolute address of the site, used for canonical links, QR codes and link previews.
# Never taken from the request's Host header.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# How long browsers and shared caches may keep a page, in seconds.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))

# --- Internationalisation ---------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

# --- Static files -----------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "staticfiles": {
        # Hashed names, gzip and brotli variants, served with far-future caching.
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

# --- Security and privacy headers -------------------------------------------

from django.utils.csp import CSP  # noqa: E402  (kept beside the settings it serves)

SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
# The page a patient was reading is nobody else's business.
SECURE_REFERRER_POLICY = "no-referrer"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CROSS_ORIGIN_RESOURCE_POLICY = "same-origin"
# Every powerful browser feature off: the site uses none of them.
PERMISSIONS_POLICY = {
    feature: []
    for feature in [
        "accelerometer",
        "ambient-light-sensor",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "web-share",
        "xr-spatial-tracking",
    ]
}

# --- Logging: everything to stdout, where gunicorn and the platform collect it ---

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "filters": {
        "one_line_warning": {"()": "botox_info.log_filters.OneLineWarning"},
    },
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "formatter": "plain"},
    },
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        "django": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        "django.security.DisallowedHost": {"filters": ["one_line_warning"]},
    },
}
