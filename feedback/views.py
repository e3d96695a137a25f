"""The feedback form's target: check, clean, count, store; then a 303 to the thank-you page.

Every refusal is a 4xx page from the release, in the site's style. Nothing here
sets a cookie, and nothing about the sender is stored (feedback/ratelimit.py).
"""

import functools
from pathlib import Path
from urllib.parse import quote, urlsplit

import django.contrib.admin
from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.cache import add_never_cache_headers
from django.views.decorators.csrf import csrf_exempt

from articles.serve.whitenoise_api import WhiteNoise, serve_file
from feedback import answers, ratelimit
from feedback.models import COMMENT_MAX_CHARS, Feedback
from feedback.text import clean

HELPFUL = {"yes": True, "no": False, "": None}
THANKS = "/feedback/thanks"
FORM_TYPE = "application/x-www-form-urlencoded"


def _page(body, status):
    response = HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
    add_never_cache_headers(response)  # an answer to one visitor, never kept by a cache
    return response


def refuse(status, allow="POST"):
    """The release's page for a refusal; a 405 names the methods the address takes (`allow`)."""
    response = _page(answers.current().refusal(status), status)
    if status == 405:
        response["Allow"] = allow
    return response


def server_error(request):
    """The site's 500 page (handler500), as the live release has it: made at publishing, it names the
    release's static files, which this process may not be able to name now. Plain words before a release."""
    return _page(answers.current().server_error(), 500)


def site_origin():
    parts = urlsplit(settings.SITE_URL)
    return f"{parts.scheme}://{parts.netloc}"


def cross_site(request):
    """Whether a browser says the form was sent from another site.

    The pages are static and carry no CSRF token, so the browser's own word is used:
    Sec-Fetch-Site (every current browser, over HTTPS), else Origin. The site's
    Referrer-Policy: no-referrer makes browsers send `Origin: null` for its own
    forms, so null counts only beside Sec-Fetch-Site. A client that sends neither
    is not a browser, and could forge either.
    """
    fetch_site = request.headers.get("Sec-Fetch-Site")
    origin = request.headers.get("Origin")
    if fetch_site is not None and fetch_site != "same-origin":
        return True
    if origin == "null":
        return fetch_site is None
    return origin is not None and origin != site_origin()


# The view is exempt from Django's CSRF check on purpose: the form is part of a
# published static page, so it cannot carry a per-visitor token (that would need a
# cookie). cross_site() does the same job from the browser's Origin and Sec-Fetch-Site.
@csrf_exempt
def receive(request):
    if request.method != "POST":
        return refuse(405)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return refuse(400)
    if length > settings.FEEDBACK_MAX_BODY_BYTES:
        return refuse(413)
    if cross_site(request):
        return refuse(403)
    if request.content_type != FORM_TYPE:
        return refuse(400)
    try:
        form = request.POST
    except (BadRequest, SuspiciousOperation, UnicodeError, LookupError):  # too many fields, a charset it cannot read
        return refuse(400)
    page = clean(form.get("page", ""))
    helpful = form.get("helpful", "")
    comment = clean(form.get("comment", ""))
    if (
        form.get("website")  # the honeypot: people never see it, some robots fill it in
        or helpful not in HELPFUL
        or len(comment) > COMMENT_MAX_CHARS
        or (HELPFUL[helpful] is None and not comment)
        or answers.current().thank_you(page) is None
    ):
        return refuse(400)
    if not ratelimit.allow(request):
        return refuse(429)
    Feedback.objects.create(page=page, helpful=HELPFUL[helpful], comment=comment)
    return HttpResponseRedirect(THANKS + quote(page), status=303)


# Exempt from the CSRF check, as it changes nothing: a POST gets its 405, not Django's unstyled 403.
@csrf_exempt
def thanks(request, page):
    if request.method not in {"GET", "HEAD"}:
        return refuse(405, allow="GET, HEAD")
    body = answers.current().thank_you("/" + page)
    if body is None:
        return not_found(request)
    return _page(body, 200)


@csrf_exempt  # a POST to an address that is not there gets the 404, not Django's unstyled CSRF 403
def not_found(request, path=""):
    return _page(answers.current().not_found(), 404)


def page_not_found(request, exception=None):
    """handler404: an address the application's views do not know (a staff page, an admin file), with
    the release's 404 page. Django's own would render templates/404.html, whose {% static %} cannot
    name the files outside a release: a 500 (a fresh helper's review of serving)."""
    return not_found(request)


@functools.cache
def _admin_files():
    """The staff admin's styles, scripts and icons, from Django itself (not part of a release).

    Found on the first request for one, not on import: every command that imports the
    addresses (publish, check) would otherwise look at each of these files first (0.09 s).
    """
    files = WhiteNoise(None, max_age=3600)
    files.add_files(Path(django.contrib.admin.__file__).parent / "static" / "admin", prefix="static/admin/")
    return files


@csrf_exempt  # as thanks: a POST gets its 405
def admin_static(request, path):
    if request.method not in {"GET", "HEAD"}:
        return refuse(405, allow="GET, HEAD")
    static_file = _admin_files().files.get(request.path_info)
    if static_file is None:
        return not_found(request)  # the site's 404 page, in the preview (DEBUG) too
    return serve_file(static_file, request)
