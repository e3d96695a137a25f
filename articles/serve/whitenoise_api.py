"""Every part of WhiteNoise that serving relies on beyond its documented API, in one place.

ReleaseFiles (serving.py) subclasses WhiteNoise's base class and overrides two of its hooks
(`redirect`, `add_mime_headers`), reads its index of files, builds its responders, and serves
a file through its Django middleware's static `serve`; the export copies its "forever" max-age.
None of this is WhiteNoise's public API, so an upgrade could change it quietly:
`internals_changed()` says what no longer holds, and tests/serve/test_whitenoise_api.py fails
naming it.
"""

import inspect

from whitenoise.base import WhiteNoise
from whitenoise.middleware import WhiteNoiseMiddleware
from whitenoise.responders import Redirect, Response

__all__ = ["FOREVER", "Redirect", "Response", "WhiteNoise", "internals_changed", "serve_file"]

FOREVER = WhiteNoise.FOREVER  # the max-age WhiteNoise gives files whose names never change
serve_file = WhiteNoiseMiddleware.serve  # (static_file, request) -> a Django response

# name -> the parameters the site's code calls or overrides it with
EXPECTED = {
    (WhiteNoise, "redirect"): ["self", "from_url", "to_url"],
    (WhiteNoise, "add_mime_headers"): ["self", "headers", "path", "url"],
    (WhiteNoise, "add_files"): ["self", "root", "prefix"],
    (WhiteNoiseMiddleware, "serve"): ["static_file", "request"],
    (Redirect, "__init__"): ["self", "location", "headers"],
    (Response, "__init__"): ["self", "status", "headers", "file"],
}


def internals_changed():
    """What WhiteNoise no longer does as serving expects: [] when all holds."""
    changed = []
    for (owner, name), parameters in EXPECTED.items():
        found = getattr(owner, name, None)
        if found is None:
            changed.append(f"{owner.__name__}.{name} is gone")
            continue
        actual = list(inspect.signature(found).parameters)
        if actual != parameters:
            changed.append(
                f"{owner.__name__}.{name} now takes ({', '.join(actual)}), expected ({', '.join(parameters)})"
            )
    if not isinstance(inspect.getattr_static(WhiteNoiseMiddleware, "serve", None), staticmethod):
        changed.append("WhiteNoiseMiddleware.serve is no longer a static method")
    if not (isinstance(FOREVER, int) and FOREVER >= 365 * 24 * 3600):
        changed.append(f"WhiteNoise.FOREVER is {FOREVER!r}, not a max-age of a year or more")
    files = WhiteNoise(None)
    if not isinstance(getattr(files, "files", None), dict) or not hasattr(files, "media_types"):
        changed.append("WhiteNoise no longer keeps its index in `files` (a dict) and `media_types`")
    redirect = Redirect("/to/", headers={"Cache-Control": "x"})
    if not hasattr(getattr(redirect, "response", None), "headers"):
        changed.append("Redirect no longer holds a `response` with `headers`")
    return changed
