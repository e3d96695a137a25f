"""A library of many guides: no page grows with the pages of other guides."""

import shutil

import pytest
from django.test import Client

from articles.publish.publishing import publish
from articles.publish.site import FEW_GUIDES
from tests.conftest import Guide


def library(guide, count, pages=2):
    guides = [guide] + [Guide(guide.root, slug=f"guide-{number:03d}") for number in range(1, count)]
    for each in guides:
        for number in range(pages):
            name = f"page-{number}" if number else "index"  # a guide opens with its front page
            each.page(name, title=f"Page {number} of {each.folder.name}", order=number + 1)
    publish()
    return guides


def text(path):
    response = Client().get(path)
    return b"".join(response.streaming_content if response.streaming else [response.content]).decode()


def sizes(paths):
    return {path: len(text(path)) for path in paths}


def test_a_guide_page_is_the_same_size_with_2_or_12_guides(guide, settings, tmp_path):
    library(guide, 2)
    few = sizes(["/test-guide/page-1/", "/no-such-page/"])
    for entry in (tmp_path / "content").iterdir():
        if entry.name.startswith("guide-"):
            shutil.rmtree(entry)
    library(guide, 12)
    many = sizes(["/test-guide/page-1/", "/no-such-page/"])
    assert many["/test-guide/page-1/"] == few["/test-guide/page-1/"]
    assert many["/no-such-page/"] <= few["/no-such-page/"]  # the 404 page names the guides only when few


def test_with_many_guides_the_home_page_lists_each_guide_once_by_letter(guide):
    library(guide, FEW_GUIDES + 4)
    home = text("/")
    assert 'aria-label="Guides by first letter"' in home
    assert home.count('href="/guide-005/"') == 1
    assert "Page 1 of guide-005" not in home  # no guide's pages on the home page


def test_with_few_guides_the_home_page_lists_their_pages(guide):
    library(guide, 2)
    home = text("/")
    assert "Page 1 of guide-001" in home and "Guides by first letter" not in home


@pytest.mark.parametrize("count", [FEW_GUIDES + 1])
def test_the_sitemap_grows_by_pages_only(guide, count):
    library(guide, count)
    sitemap = text("/sitemap.xml")
    # home, privacy, about, accessibility, and each page once
    assert sitemap.count("<url>") == 4 + count * 2
