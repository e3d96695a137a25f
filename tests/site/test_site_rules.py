"""Rules every page keeps: one h1, landmarks, a skip link, a title and a description."""

import re
from pathlib import Path

import pytest

from tests.html_checks import Elements
from tests.site_pages import HTML_PAGES


@pytest.fixture(params=HTML_PAGES)
def page(request, client):
    return client.get(request.param)


def tags(response, name):
    return [attrs for tag, attrs in Elements(response.text).found if tag == name]


def test_exactly_one_h1(page):
    assert len(tags(page, "h1")) == 1


def test_landmarks_and_skip_link(page):
    assert len(tags(page, "header")) == 1
    assert len(tags(page, "footer")) == 1
    (main,) = tags(page, "main")
    links = tags(page, "a")
    assert links[0] == {"class": "skip-link", "href": "#" + main["id"]}


def test_language_title_and_viewport(page):
    assert '<html lang="en-GB">' in page.text
    assert re.search(r"<title>[^<]{5,}</title>", page.text)
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page.text


def test_every_nav_has_its_own_label(page):
    labels = [nav.get("aria-label") for nav in tags(page, "nav")]
    assert all(labels) and len(labels) == len(set(labels))


LOADING_RELS = {"stylesheet", "icon", "preload", "prefetch", "modulepreload", "manifest", "dns-prefetch", "preconnect"}


def test_nothing_loaded_from_another_site(page):
    """Every resource the browser fetches is on this site (a relative address)."""
    for tag, attrs in Elements(page.text).found:
        if tag == "link" and attrs.get("rel") not in LOADING_RELS:
            continue  # canonical: a statement, not a download
        for name in ("src", "href", "srcset", "data", "poster", "action", "formaction"):
            if (
                tag in {"script", "img", "link", "iframe", "source", "video", "audio", "object", "embed", "form"}
                and name in attrs
            ):
                assert attrs[name].startswith("/") and not attrs[name].startswith("//"), f"<{tag} {name}={attrs[name]}>"


def test_no_template_markup_shows_on_the_page(page):
    """A template comment written over two lines with {# #} (one line only, in Django) is printed as text."""
    for markup in ("{#", "#}", "{%", "%}", "{{", "}}"):
        assert markup not in page.text, markup


def test_every_template_comment_with_hashes_closes_on_its_own_line():
    """Django reads {# #} on one line only: one left open prints as text, on pages no rule above loads
    (the feedback form's answers, the 500 page, the admin's)."""
    templates = Path(__file__).resolve().parents[2] / "templates"
    open_comments = [
        f"{path.relative_to(templates)}:{number}"
        for path in sorted(templates.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if "{#" in line and "#}" not in line[line.index("{#") :]
    ]
    assert open_comments == []
