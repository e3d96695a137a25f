"""What an editor reads about a link or an image the page may not have: the message, the fix, the line.

articles/checks/markup.py. Each body puts the mistake on line 3, so a message that loses its line
(and the editor has to hunt for the link) fails too.
"""

import pytest

from articles.checks.site import content_problems
from articles.render.library import load_library
from articles.render.pipeline import render

INTRO = "Some text.\n\n"


def problems(body):
    """(line, message, hint) of each problem the page's body has on its own."""
    result = render(INTRO + body, "content/g/page.md", page_url=lambda stem, fragment: f"/g/{stem}/")
    return [(problem.line, problem.message, problem.hint) for problem in result.problems]


def messages():
    return [str(problem) for problem in content_problems(load_library(drafts=True))]


@pytest.mark.parametrize(
    "link, message, hint",
    [
        (
            "[click](javascript:alert(1))",
            "links to a 'javascript:' address, which is not allowed",
            "link to a web page (https://...) or to another page of the guide (benefits.md)",
        ),
        (
            "[a page](//evil.example/page)",
            "a link address starts with '//'",
            "write the full address with https://",
        ),
        (
            "[a page](https://exa\u200bmple.org/)",
            "the link address 'https://exa\\u200bmple.org/' contains an invisible or direction-changing character "
            "(U+200B ZERO WIDTH SPACE)",
            "retype it by hand",
        ),
        (
            "[benefits](Bad_Name.md)",
            "links to 'Bad_Name.md', which cannot be a page of the guide",
            "page files are named in lowercase words joined by hyphens, e.g. benefits.md",
        ),
    ],
)
def test_a_link_the_page_may_not_have_is_named_with_its_fix_and_line(link, message, hint):
    assert problems(f"{link}\n") == [(3, message, hint)]


def test_an_image_address_hiding_a_character_shows_it_escaped_in_every_message():
    assert problems("![ ](/static/img/a\u200b.png)\n") == [
        (
            3,
            "shows an image from another site ('/static/img/a\\u200b.png')",
            "images must be files of this site; other sites could track patients",
        ),
        (
            3,
            "the image '/static/img/a\\u200b.png' has no description",
            "say what it shows: ![what the picture shows](file.png)",
        ),
    ]


SECTIONS = "## Less pain {#less-pain}\n\nText.\n"


@pytest.mark.parametrize(
    "link, expected",
    [
        (
            "[here](#nope)",
            "line 7: links to the section '#nope', which is not on this page; "
            "this page has no sections: link to the page itself, without '#...'.",
        ),
        (
            "[there](/test-guide/side-effects/#nope)",
            "line 7: links to the section '#nope', which is not on side-effects.md; its sections are: #less-pain.",
        ),
        (
            "[there](side-effects?a=1&b=2)",
            "line 7: links to 'side-effects?a=1&b=2', which is not a page: a link to another page names its file; "
            "did you mean 'side-effects.md'?",
        ),
        (
            "[there](other/side-effects.md)",
            "line 7: links to 'other/side-effects.md', which is not a page: a link to another page names its file; "
            "did you mean 'side-effects.md'?",
        ),
    ],
)
def test_a_link_to_a_section_or_file_that_is_not_there_is_reported_on_its_line(guide, link, expected):
    guide.page("index", body=f"{link}\n")
    guide.page("side-effects", order=2, body=SECTIONS)
    assert messages() == [f"content/test-guide/index.md, {expected}"]


@pytest.mark.parametrize(
    "headings, message, hint",
    [
        (
            "## Bad {#Bad_Id}",
            "the section id 'Bad_Id' is not a simple address",
            "use lowercase words joined by hyphens, e.g. ## Heading {#heading}",
        ),
        (
            "## Main {#main-content}",
            "the section id 'main-content' is used by the page layout",
            "give the heading an id of its own, e.g. ## Heading {#other-name}",
        ),
        (
            "## One {#same}\n\n## Two {#same}",
            "two sections have the id 'same'",
            "give each heading an id of its own, e.g. ## Heading {#other-name}",
        ),
    ],
)
def test_a_section_id_the_page_cannot_use_is_named_with_its_fix_and_line(headings, message, hint):
    assert problems(f"{headings}\n") == [(3, message, hint)]


@pytest.mark.parametrize(
    "body, expected",
    [
        (
            "# Title here\n",
            (
                3,
                "uses a top-level heading (# ...)",
                "the page title is the only top-level heading; start sections with ##",
            ),
        ),
        ("##### Deep\n", (3, "uses a heading level too deep (<h5>)", "use ##, ### or ####")),
        ("###### Deeper\n", (3, "uses a heading level too deep (<h6>)", "use ##, ### or ####")),
        (
            '[a page](https://a.example "say <b>")\n',
            (
                3,
                "a link or image title contains quotes or angle brackets ('say <b>')",
                "write the title in plain words",
            ),
        ),
        (
            '![A jaw](/static/img/a.png "t`x")\n',
            (3, "a link or image title contains quotes or angle brackets ('t`x')", "write the title in plain words"),
        ),
        (
            'data-x is a word here.\n\nA line\n{: data-x="1" }\n',
            (6, "sets the attribute 'data-x' on <p>, which is not allowed", "remove it from the {...} after the text"),
        ),
        (
            "A class of its own.\n{: .big }\n",  # line 4, where it is set: not line 3, which says "class"
            (4, "sets the attribute 'class' on <p>, which is not allowed", "remove it from the {...} after the text"),
        ),
    ],
)
def test_a_heading_title_or_attribute_the_page_may_not_have_is_named_first_with_its_fix_and_line(body, expected):
    assert problems(body)[0] == expected


def test_a_title_with_an_x_in_it_is_plain_words():
    assert problems('[an X-ray](https://a.example "X-ray of the jaw")\n') == []


def test_a_page_named_in_quotes_without_a_link_is_named_with_the_link_to_write(guide):
    """'The page "Side effects" says more': a reader told where to read more can go there with one tap."""
    guide.page("index", title="Overview", body='Intro.\n\nThe page "Side effects" says more.\n')
    guide.page("side-effects", title="Side effects", order=2, body='See the page "[Overview](index.md)".\n')
    assert messages() == [
        'content/test-guide/index.md, line 9: names the page "Side effects" without a link to it; '
        'write it as a link: "[Side effects](side-effects.md)".'
    ]


@pytest.mark.parametrize(
    "body",
    [
        'The page "[Side effects](side-effects.md)" says more.',
        '[The page "Side effects"](side-effects.md) says more.',  # the whole phrase as the link
        'The NHS page "Side effects" says more.',  # another site's page of the same name
        'The [NHS page "Side effects"](https://www.nhs.uk/side-effects/) says more.',
        'Write `the page "Side effects"` to name it.',  # code
        'A quote: the page "Nowhere" is not one of ours.',
        'The page "Side" is not a title either.',  # only the start of one
        '![A drawing. The page "Side effects" shows it.](/static/img/jaw-muscles.svg)\n\n'
        'The page "[Side effects](side-effects.md)" says more.',  # a picture's description is not text
    ],
)
def test_a_quoted_title_that_is_linked_or_not_ours_is_left_alone(guide, body):
    guide.page("index", title="Overview", body=f"Intro.\n\n{body}\n")
    guide.page("side-effects", title="Side effects", order=2)
    assert messages() == []


def test_each_unlinked_name_is_found_on_its_own_line_with_any_quotes_or_case(guide):
    guide.page(
        "index",
        title="Overview",
        summary='Read the page "Side effects".',  # the summary is not the body: not its line
        body="Intro.\n\nSee [this](side-effects.md).\n\nThe page \u201cSide effects\u201d says more.\n\n"
        'Also the  Page "Side effects" again.\n',
    )
    guide.page("side-effects", title="Side effects", order=2)
    assert [line for line in messages()] == [
        f'content/test-guide/index.md, line {line}: names the page "Side effects" without a link to it; '
        'write it as a link: "[Side effects](side-effects.md)".'
        for line in (11, 13)
    ]


def test_a_draft_is_named_only_from_a_draft(guide):
    """Publishing leaves drafts out: a link to one would be refused, so naming it is not a problem."""
    guide.page("index", title="Overview", body='Intro.\n\nThe page "Side effects" says more.\n')
    guide.page("side-effects", title="Side effects", order=2, draft="true", body='See the page "Overview".\n')
    assert messages() == [
        'content/test-guide/side-effects.md, line 8: names the page "Overview" without a link to it; '
        'write it as a link: "[Overview](index.md)".'
    ]


@pytest.mark.parametrize(
    "mention",
    [
        'the page "**Side effects**"',
        "the page \u2018Side effects\u2019",
        "the page 'Side effects'",
        'the page "side effects"',
    ],
)
def test_a_name_in_bold_single_quotes_or_lower_case_is_found_too(guide, mention):
    guide.page("index", title="Overview", body=f"Intro.\n\nRead {mention} next.\n")
    guide.page("side-effects", title="Side effects", order=2)
    assert messages() == [
        'content/test-guide/index.md, line 9: names the page "Side effects" without a link to it; '
        'write it as a link: "[Side effects](side-effects.md)".'
    ]


def test_a_name_in_a_code_block_is_not_taken_for_the_line_of_one_in_the_text(guide):
    body = 'Intro.\n\n```\nthe page "Side effects"\n```\n\nThe page "Side effects" says more.\n'
    guide.page("index", title="Overview", body=body)
    guide.page("side-effects", title="Side effects", order=2)
    assert messages() == [
        'content/test-guide/index.md, line 13: names the page "Side effects" without a link to it; '
        'write it as a link: "[Side effects](side-effects.md)".'
    ]
