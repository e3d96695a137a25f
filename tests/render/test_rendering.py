"""The Markdown pipeline: one test per feature it promises, and what it refuses."""

import unicodedata

import pytest

from articles.render.pipeline import render
from tests.html_checks import assert_only_allowlisted


def rendered(body):
    return render(body, "content/g/page.md", first_line=10, page_url=lambda stem, fragment: f"/g/{stem}/#{fragment}")


def messages(body):
    return [problem.message for problem in rendered(body).problems]


def test_headings_get_readable_ids_and_a_section_link():
    result = rendered("## How long it lasts\n")
    assert (
        '<div class="section-heading"><h2 id="how-long-it-lasts">How long it lasts</h2>'
        '<a class="section-link" href="#how-long-it-lasts" tabindex="-1">' in result.html
    )
    assert "Link to the section: How long it lasts" in result.html
    assert [(h.level, h.id, h.text) for h in result.headings] == [(2, "how-long-it-lasts", "How long it lasts")]


def test_explicit_heading_id_survives_rewording():
    assert '<h2 id="stable">Reworded heading' in rendered("## Reworded heading {#stable}\n").html


def test_emphasis_lists_and_tables():
    html = rendered("Some **bold** and *soft* text.\n\n- one\n- two\n\n| A | B |\n|---|--:|\n| 1 | 2 |\n").html
    assert "<strong>bold</strong>" in html and "<em>soft</em>" in html
    assert "<ul>\n<li>one</li>" in html
    assert '<th class="align-right">B</th>' in html and "<td>1</td>" in html


@pytest.mark.parametrize("kind", ["urgent", "warning", "info"])
def test_callouts(kind):
    html = rendered(f'!!! {kind} "Title here"\n    Inside the box.\n').html
    assert f'<div class="callout callout--{kind}">' in html
    assert '<p class="callout__title">Title here</p>' in html
    assert "<p>Inside the box.</p>" in html


def test_only_an_urgent_callout_ends_with_the_emergency_advice():
    """A "call 111" box must not also say "call the emergency number": one action per box."""
    assert 'class="callout__emergency"' in rendered('!!! urgent "Now"\n    Act.\n').html
    assert 'class="callout__emergency"' not in rendered('!!! warning "Soon"\n    Call 111.\n').html


@pytest.mark.parametrize("indent", ["", "  "])
def test_a_callout_whose_text_is_not_indented_is_reported_with_its_line(indent):
    """Its text fell outside the box: an urgent box published with only its title and the clinic's advice."""
    result = rendered(f'Intro.\n\n!!! urgent "Get help at once"\n{indent}If you cannot breathe.\n')
    problems = [(problem.message, problem.hint, problem.line) for problem in result.problems]
    assert problems == [
        ("has a callout with no text in it", "indent each line of its text by 4 spaces under the '!!! urgent' line", 12)
    ]
    assert rendered('!!! urgent "Get help at once"\n    If you cannot breathe.\n').problems == ()
    # The second of two: its own line, not the first's.
    two = rendered(f'!!! urgent "First"\n    Fine.\n\n!!! urgent "Second"\n{indent}Not in it.\n')
    assert [problem.line for problem in two.problems] == [13]
    # The first written '!!! Urgent' or '!!!urgent', and a line that only speaks of '!!! urgent' first.
    for first in ('!!! Urgent "First"\n    Fine.\n', '!!!urgent "First"\n    Fine.\n'):
        two = rendered(f'{first}\n!!! urgent "Second"\n{indent}Not in it.\n')
        assert [problem.line for problem in two.problems] == [13]
    spoken = rendered(f'Write `!!! urgent` for a box.\n\n!!! urgent "Get help"\n{indent}Not in it.\n')
    assert [problem.line for problem in spoken.problems] == [12]


def test_unknown_callout_is_reported():
    assert messages('!!! danger "Boo"\n    Text\n') == ["unknown callout type 'danger'"]


def test_external_links_get_noopener_noreferrer():
    html = rendered("[NHS](https://www.nhs.uk/)").html
    assert '<a href="https://www.nhs.uk/" rel="noopener noreferrer">NHS</a>' in html


def test_links_to_content_files_become_page_addresses():
    result = rendered("[Benefits](benefits.md#less-pain)")
    assert '<a href="/g/benefits/#less-pain">Benefits</a>' in result.html
    assert [(link.page, link.fragment) for link in result.links] == [("benefits", "less-pain")]


def test_raw_html_is_reported_with_its_line_and_shown_as_text():
    result = rendered("Hello\n\n<b>bold</b>\n")
    (problem,) = result.problems
    assert str(problem) == (
        "content/g/page.md, line 12: contains raw HTML ('<b>'); use Markdown instead: HTML is not allowed in content files."
    )
    assert "&lt;b&gt;bold&lt;/b&gt;" in result.html
    assert "<b>" not in result.html


def test_html_entities_are_not_raw_html():
    result = rendered("Fish &amp; chips")
    assert result.problems == ()
    assert "Fish &amp; chips" in result.html


@pytest.mark.parametrize(
    "body, expected",
    [
        ("<script>alert(1)</script>", "contains raw HTML ('<script>alert(1)</script>')"),
        ('<iframe src="https://evil.example"></iframe>', "contains raw HTML"),
        ('<form action="https://evil.example"><input></form>', "contains raw HTML"),
        ('<img src="x" onerror="alert(1)">', "contains raw HTML"),
        ("[click](javascript:alert(1))", "links to a 'javascript:' address, which is not allowed"),
        ("[click](data:text/html;base64,PHNjcmlwdD4=)", "links to a 'data:' address, which is not allowed"),
        (
            "![pic](https://tracker.example/pixel.png)",
            "shows an image from another site ('https://tracker.example/pixel.png')",
        ),
        ('## Title {onclick="alert(1)"}', "sets the attribute 'onclick' on <h2>, which is not allowed"),
        ("# Second title", "uses a top-level heading (# ...)"),
        ("![](local.png)", "the image 'local.png' has no description"),
        ("![ ](local.png)", "the image 'local.png' has no description"),
        ("## Title {#Bad_Id}", "the section id 'Bad_Id' is not a simple address"),
    ],
)
def test_unsafe_markdown_is_reported_and_never_reaches_the_page(body, expected):
    result = rendered(body)
    assert any(problem.message.startswith(expected) for problem in result.problems), result.problems
    assert_only_allowlisted(result.html)


@pytest.mark.parametrize(
    "body, expected",
    [
        (
            '![The jaw muscles](jaw.png "Masseter and temporalis")',
            '<img alt="The jaw muscles" src="jaw.png" title="Masseter and temporalis">',
        ),
        ("3. Third step\n4. Fourth step\n", '<ol start="3">\n<li>Third step</li>'),
        ("[NHS](HTTPS://www.nhs.uk/)", '<a href="HTTPS://www.nhs.uk/" rel="noopener noreferrer">NHS</a>'),
        ("[Email us](MAILTO:clinic@example.org)", '<a href="MAILTO:clinic@example.org">Email us</a>'),
        ("[Call us](tel:+442079460000)", '<a href="tel:+442079460000">Call us</a>'),
        ('[NHS](https://www.nhs.uk/ "The NHS website")', 'title="The NHS website"'),
    ],
    ids=["image title", "list starting at 3", "upper-case scheme", "mailto", "tel", "link title"],
)
def test_valid_markdown_is_accepted_as_written(body, expected):
    result = rendered(body)
    assert result.problems == ()
    assert expected in result.html


@pytest.mark.parametrize(
    "href, code",
    [
        ("java\u200bscript:alert(1)", "200B"),
        ("https://exa\u202emple.org", "202E"),
        ("https://example.org/\x07", "0007"),
    ],
)
def test_invisible_or_control_characters_in_a_link_are_reported(href, code):
    result = rendered(f"[click]({href})")
    assert [problem.message for problem in result.problems] == [
        f"the link address {href!r} contains an invisible or direction-changing character "
        f"(U+{code} {unicodedata.name(chr(int(code, 16)), 'without a name')})"
    ]
    assert_only_allowlisted(result.html)


def test_one_run_gives_the_page_and_its_handout_section():
    result = render(
        "## Less pain {#less-pain}\n\nSee [lasting](how-long.md#months), [above](#less-pain) and [here](index.md).\n",
        "content/g/benefits.md",
        page_url=lambda stem, fragment: f"/g/{stem}/" + (f"#{fragment}" if fragment else ""),
        stem="benefits",
    )
    assert '<h2 id="less-pain">Less pain</h2><a class="section-link"' in result.html
    assert 'href="/g/how-long/#months"' in result.html and 'href="#less-pain"' in result.html
    assert '<h3 id="benefits-less-pain">Less pain</h3>' in result.handout_html
    assert "section-link" not in result.handout_html
    assert 'href="#how-long-months"' in result.handout_html
    assert 'href="#benefits-less-pain"' in result.handout_html
    assert 'href="#index"' in result.handout_html
    assert "data-" not in result.html + result.handout_html


@pytest.mark.parametrize(
    "body, expected",
    [
        # Each named once, at its own line (first_line=10): a heading refused for its level no longer
        # also gets "sets the attribute 'id'" at the first line holding "id" ("did").
        ("Why did it help?\n\n##### Deep heading\n", [(12, "uses a heading level too deep (<h5>)")]),
        ("Why did it help?\n\n# Big title\n", [(12, "uses a top-level heading (# ...)")]),
        (
            "## Weighing it up\n\nText.\n\n## Weighing it up\n\nMore.\n",
            [(14, "two sections have the heading 'Weighing it up'")],
        ),
        ("Text.\n\n## 日本語\n", [(12, "the heading '日本語' makes no simple address for its section (got '_1')")]),
        ("Text.\n\n## Main content\n", [(12, "the section id 'main-content' is used by the page layout")]),
    ],
)
def test_a_heading_mistake_is_named_once_at_its_own_line(body, expected):
    assert [(problem.line, problem.message) for problem in rendered(body).problems] == expected
