"""Settings shared by every environment.

Safe by default: DEBUG is off and there is no secret key here. The modules
beside this one (dev, production, test) add what each environment needs.
"""

import os
from pathlib import Path

import dj_database_url

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
# Content lives in files (see CONTENT_DIR). The database holds only patients' feedback
# and the staff accounts that read it (the admin, under /admin/).

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "articles",
    "feedback",
]

# PostgreSQL (or any database) when DATABASE_URL is set; else SQLite in var/, outside the
# releases, in write-ahead-log mode so that readers never wait for the one writer.
SQLITE_PATH = Path(os.environ.get("SQLITE_PATH", BASE_DIR / "var" / "db.sqlite3"))
DATABASES = {
    "default": dj_database_url.config(default=f"sqlite:///{SQLITE_PATH}", conn_max_age=60, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        # Take the write lock at the start of a transaction: concurrent writers queue, never fail.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Header middleware sits before WhiteNoise so static files get the headers too.
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "botox_info.middleware.CrossOriginResourcePolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Answers every request from the published release: files, redirects, 404.
    # Only APPLICATION_PATHS go on below it (the preview swaps it out).
    "articles.serve.serving.ReleaseMiddleware",
    # The staff admin's: sessions, CSRF and login only ever run under /admin/ (and the
    # feedback view, which uses none of them), so a patient never gets a cookie.
    "feedback.middleware.StaffPagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
]
# The addresses that ReleaseMiddleware hands to Django's views: the feedback form's
# target and the staff admin (with its own styles and scripts, not part of a release).
APPLICATION_PATHS = ("/feedback/", "/admin/", "/static/admin/")

ROOT_URLCONF = "botox_info.urls"
WSGI_APPLICATION = "botox_info.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # For the staff admin only: published pages are rendered without a request.
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
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
# Each file is read in a child process, stopped after CONTENT_RENDER_SECONDS (render/library.py). Only
# the quick test run (settings/test.py) turns this off.
CONTENT_READ_IN_CHILDREN = True
# When true, publishing refuses any page whose current text a clinician has not signed off
# (`make signoff`). Off by default: unsigned pages are published, labelled "Not yet reviewed by a clinician".
REQUIRE_CLINICAL_REVIEW = env_bool("REQUIRE_CLINICAL_REVIEW", False)
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
# Only the site's own files go into a release: the admin's (django/contrib/admin/static)
# are served by the application under /static/admin/ (feedback.views.admin_static).
STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
STORAGES = {
    "staticfiles": {
        # Hashed names, gzip and brotli variants, served with far-future caching.
        "BACKEND": "botox_info.storage.ReleaseStaticFilesStorage",
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
    # The feedback form posts to this site, and nowhere else.
    "form-action": [CSP.SELF],
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

# --- Feedback and the staff admin -------------------------------------------

# How long feedback is kept: `manage.py purge_feedback` deletes older rows (the privacy page says so).
FEEDBACK_RETENTION_DAYS = int(os.environ.get("FEEDBACK_RETENTION_DAYS", "365"))
# Posts a minute from one client, counted across every worker (feedback/ratelimit.py).
FEEDBACK_RATE_LIMIT = int(os.environ.get("FEEDBACK_RATE_LIMIT", "10"))
# The largest feedback request accepted: the form's fields with a 1,000-character comment fit easily.
FEEDBACK_MAX_BODY_BYTES = 16 * 1024
# Proxies whose X-Forwarded-For names the client (the same variable gunicorn reads).
FEEDBACK_TRUSTED_PROXIES = env_list("FORWARDED_ALLOW_IPS")

# Staff cookies exist only under /admin/, never on a patient's page.
SESSION_COOKIE_PATH = "/admin/"
CSRF_COOKIE_PATH = "/admin/"
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_AGE = 60 * 60 * 8  # a working day
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Staff logins: five wrong passwords lock that account, and the address they came from,
# out for an hour (django-axes). Only staff logins are recorded; patients never reach /admin/.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_CLIENT_IP_CALLABLE = "feedback.ratelimit.visitor_address"  # X-Forwarded-For only from a trusted proxy
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # no record of successful logins beyond Django's own last_login

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
        # Not its start-up banner in every command's output; its lockouts are warnings.
        "axes": {"handlers": ["stdout"], "level": "WARNING", "propagate": False},
    },
}
