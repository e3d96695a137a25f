"""Production: every secret and host comes from the environment, or start-up stops.

Required: DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS (comma-separated), SITE_URL.
DJANGO_HTTPS=false turns off the HTTPS-only settings, for `make serve` on a
laptop over plain HTTP; never set it on a public server.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list


def required(name, hint):
    value = os.environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(f"Set the {name} environment variable: {hint}")
    return value


SECRET_KEY = required("DJANGO_SECRET_KEY", "a long random string, kept secret.")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS") or required(
    "DJANGO_ALLOWED_HOSTS", "the host names the site answers to, e.g. guide.example.org."
)
SITE_URL = required("SITE_URL", "the site's public address, e.g. https://guide.example.org.").rstrip("/")
DEBUG = env_bool("DJANGO_DEBUG", False)

if env_bool("DJANGO_HTTPS", True):
    SECURE_SSL_REDIRECT = True
    # A load balancer probes its servers over plain HTTP: /healthz answers it there.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    # Behind a proxy that terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # The site sets no cookies at all; these only guard against a future mistake.
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
