"""`/healthz`: which release is live, for a load balancer's probe.

200 with {"status": "ok", "release": "<id>"} while a release is served, 503
with {"status": "unpublished", "release": null} before the first publish (or
while `current` names a release that cannot be served), so
that a balancer sends no visitor to a server that has nothing to serve, and
a deploy can check that every server has switched to the new release.
Never cached, no cookie, not in the sitemap (it is no file of the release).

Answered before the Host check: a probe may name the server by its address,
and nothing in the answer depends on the request.
"""

import json

from django.http import HttpResponse, HttpResponseNotAllowed

PATH = "/healthz"


def health_response(request, release):
    """The answer to `/healthz`, or None for any other address."""
    if request.path_info != PATH:
        return None
    if request.method not in {"GET", "HEAD"}:
        return HttpResponseNotAllowed(["GET", "HEAD"])
    live = release.target is not None and not release.broken
    answer = {"status": "ok" if live else "unpublished", "release": release.target if live else None}
    body = json.dumps(answer).encode()
    response = HttpResponse(
        b"" if request.method == "HEAD" else body, content_type="application/json", status=200 if live else 503
    )
    response["Content-Length"] = str(len(body))
    response["Cache-Control"] = "no-store"
    return response
