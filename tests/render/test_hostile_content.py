"""Hostile content cannot get through: each input is reported, and nothing dangerous is rendered."""

import html
import re

import pytest

from articles.content.problems import ContentError
from articles.render.pages import load_page
from articles.render.pipeline import render
from tests.hostile_corpus import HOSTILE
from tests.html_checks import Elements, assert_only_allowlisted


def test_the_corpus_is_big_enough():
    assert len(HOSTILE) >= 30


@pytest.mark.parametrize("name, body", HOSTILE, ids=[name for name, _ in HOSTILE])
def test_validation_reports_it(guide, name, body):
    path = guide.page("hostile", body=body + "\n")
    with pytest.raises(ContentError) as caught:
        load_page(path)
    assert all(str(problem).startswith("content/test-guide/hostile.md") for problem in caught.value.problems)


@pytest.mark.parametrize("name, body", HOSTILE, ids=[name for name, _ in HOSTILE])
def test_the_rendered_html_holds_only_allowlisted_markup(name, body):
    output = render(body, "content/g/hostile.md").html
    assert_only_allowlisted(output)
    for tag, attrs in Elements(output).found:
        for value in attrs.values():
            decoded = re.sub(r"[\x00-\x20\u200b-\u200f\u202a-\u202e]", "", html.unescape(value or "")).lower()
            assert not decoded.startswith(("javascript:", "vbscript:", "data:")), f"<{tag}> carries {value!r}"
            assert "evil.example" not in decoded
