"""An upgrade of WhiteNoise that changes what serving relies on fails here, saying what changed."""

import re
from pathlib import Path

from whitenoise.base import WhiteNoise

from articles.serve import whitenoise_api


def test_the_installed_whitenoise_still_works_as_serving_expects():
    assert whitenoise_api.internals_changed() == []


def test_a_changed_hook_is_named(monkeypatch):
    def redirect(self, from_url, to_url, status):  # a new parameter, as an upgrade might add
        return None

    monkeypatch.setattr(WhiteNoise, "redirect", redirect)
    assert whitenoise_api.internals_changed() == [
        "WhiteNoise.redirect now takes (self, from_url, to_url, status), expected (self, from_url, to_url)"
    ]


def test_a_removed_hook_is_named(monkeypatch):
    monkeypatch.delattr(WhiteNoise, "add_mime_headers")
    assert "WhiteNoise.add_mime_headers is gone" in whitenoise_api.internals_changed()


def test_no_other_module_reaches_into_whitenoise():
    # Both applications; the settings' storage (botox_info/storage.py) uses WhiteNoise's documented API.
    project = Path(whitenoise_api.__file__).resolve().parents[2]
    others = [
        str(path.relative_to(project))
        for app in ("articles", "feedback")
        for path in (project / app).rglob("*.py")
        if path.name != "whitenoise_api.py"
        and re.search(
            r"^\s*(from\s+whitenoise\b|import\s.*\bwhitenoise\b)|import_module\([\"']whitenoise", path.read_text(), re.M
        )
    ]
    assert others == [], f"WhiteNoise used outside whitenoise_api.py: {others}"
