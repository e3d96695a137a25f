"""Content rules that keep a published page saying what the editor meant.

A former page name never shadows a page (index included) or another former name;
invisible and direction-changing characters are refused in the text and headings
too; and the tap-to-call link dials exactly the number shown.
"""

import re

import pytest

from articles.checks.site import content_problems
from articles.render.library import load_library


def messages():
    return [str(problem) for problem in content_problems(load_library(drafts=False))]


@pytest.mark.parametrize("former", ["index", "benefits"])
def test_a_former_name_may_not_be_a_page_that_exists(guide, former):
    guide.page("index")
    guide.page("benefits", order=2)
    guide.page("results", order=3, former_slugs=f"[{former}]")
    what = "the guide's front page" if former == "index" else "in use by another page"
    assert (
        f"content/test-guide/results.md: the former address '{former}' is {what}; remove it from 'former_slugs'."
        in (messages())
    )


def test_a_former_name_may_not_be_another_pages_former_name(guide):
    guide.page("index")
    guide.page("benefits", order=2, former_slugs="[advantages]")
    guide.page("results", order=3, former_slugs="[advantages]")
    assert messages() == [
        "content/test-guide/results.md: the former address 'advantages' is in use by another page; "
        "remove it from 'former_slugs'."
    ]


@pytest.mark.parametrize(
    ("char", "name"),
    [
        ("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\u200b", "U+200B ZERO WIDTH SPACE"),
        ("\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("\u2069", "U+2069 POP DIRECTIONAL ISOLATE"),
        ("\ufeff", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ("\u00ad", "U+00AD SOFT HYPHEN"),
        ("\x1b", "U+001B without a name"),  # a control character on a line otherwise all ASCII
    ],
)
def test_a_hidden_character_in_the_text_is_refused_with_its_line_and_name(guide, char, name):
    guide.page("index", body=f"Some text.\n\nTake {char}01 pills a day.\n")
    assert messages() == [
        f"content/test-guide/index.md, line 9: the text contains an invisible or direction-changing character "
        f"({name}); retype the line by hand."
    ]


def test_a_hidden_character_in_a_heading_is_refused(guide):
    guide.page("index", body="Intro.\n\n## Dose: 01\u202e pills\n\nText.\n")
    assert messages() == [
        "content/test-guide/index.md, line 9: the text contains an invisible or direction-changing character "
        "(U+202E RIGHT-TO-LEFT OVERRIDE); retype the line by hand."
    ]


def test_tabs_and_ordinary_text_pass(guide):
    guide.page("index", body="Some text.\n\n    code\twith a tab\n\nCafé, naïve, 10–20 mg.\n")
    assert messages() == []


CLINIC = "organisation: Riverside\nemergency_advice: Call 999.\nprivacy_contact: a@b.c\n"


@pytest.mark.parametrize("written", ["020 7946 0000, option 2", "0800 DENTIST", "020 7946 0000 ext. 12", "+44+20"])
def test_a_phone_number_that_cannot_be_dialled_as_written_is_refused(guide, written):
    guide.page("index")
    (guide.root / "site.yaml").write_text(CLINIC + f'phone: "{written}"\n')
    assert messages() == [
        f"content/site.yaml, line 4: 'phone' should be a number to dial, with only digits, spaces, '+', '-' and "
        f"brackets (got '{written}'); put words such as 'option 2' in 'phone_note', "
        f'e.g. phone: "020 7946 0000" and phone_note: option 2.'
    ]


def test_two_short_emergency_numbers_are_not_dialled_as_one(guide):
    guide.page("index")
    (guide.root / "site.yaml").write_text(CLINIC + 'phone: "020 7946 0000"\nemergency_phone: "999 112"\n')
    assert messages() == [
        "content/site.yaml, line 5: 'emergency_phone' looks like more than one number (got '999 112'); write the "
        "one number to call, e.g. emergency_phone: \"999\", and any words in 'emergency_advice'."
    ]
    for one in ("999", "112", "+44 20 7946 0000", "0800 123 4567"):
        (guide.root / "site.yaml").write_text(CLINIC + f'phone: "020 7946 0000"\nemergency_phone: "{one}"\n')
        assert messages() == [], one


@pytest.mark.parametrize("written", ["999 or 112", "ring an ambulance"])
def test_an_emergency_number_that_cannot_be_dialled_as_written_is_refused(guide, written):
    """The urgent boxes' "Call" button dials it: "999 or 112" would dial 999112, words nothing at all."""
    guide.page("index")
    (guide.root / "site.yaml").write_text(CLINIC + 'phone: "020 7946 0000"\n' + f'emergency_phone: "{written}"\n')
    assert messages() == [
        f"content/site.yaml, line 5: 'emergency_phone' should be a number to dial, with only digits, spaces, '+', "
        f"'-' and brackets (got '{written}'); write the one number to call, e.g. emergency_phone: \"999\", "
        "and any words in 'emergency_advice'."
    ]


def test_the_call_link_dials_exactly_the_digits_shown_with_the_note_beside(client, guide):
    guide.page("index")
    (guide.root / "site.yaml").write_text(CLINIC + 'phone: "+44 (0)20 7946-0000"\nphone_note: option 2\n')
    text = client.get("/test-guide/").text
    # From abroad the (0) is not dialled: the link leaves it out, as the written form means.
    assert '<a class="site-header__phone" href="tel:+442079460000">Call +44 (0)20 7946-0000 (option 2)</a>' in text
    assert set(re.findall(r'href="(tel:[^"]*)"', text)) == {"tel:+442079460000"}  # the note is never dialled
    privacy = client.get("/privacy/").text
    assert '<a href="tel:+442079460000">+44 (0)20 7946-0000</a> (option 2).' in privacy


def both_ways():
    """The problems as publishing sees them (no drafts) and as the check and the preview do (drafts)."""
    return messages(), [str(problem) for problem in content_problems(load_library(drafts=True))]


def test_a_guide_without_its_front_page_is_refused_by_the_check_and_the_publish(guide):
    """Published, the guide's own address (on the handouts and QR codes, and in every page's links) was a 404."""
    guide.page("benefits", order=2)
    missing = (
        "content/test-guide/index.md: is missing: it is the guide's front page, whose address the handouts, QR codes "
        "and other pages give; restore it (for example with git checkout), or rename the page that opens the guide "
        "to index.md."
    )
    for found in both_ways():
        assert missing in found


def test_a_front_page_made_a_draft_alone_is_refused_by_the_check_and_the_publish(guide):
    guide.page("index", draft="true")
    guide.page("benefits", order=2)
    for found in both_ways():
        assert (
            "content/test-guide/index.md, line 6: is a draft, but other pages of the guide are not: the guide would be "
            "published without its front page; remove 'draft: true' from index.md, or make every page of the guide "
            "a draft." in found
        )
    guide.page("benefits", order=2, draft="true")  # the whole guide a draft: nothing of it is published
    assert both_ways() == ([], [])


def test_a_page_ordered_before_the_front_page_is_refused(guide):
    """The one-page summary is made from the first page: it summarised another page."""
    guide.page("index", order=9)
    guide.page("benefits", order=2)
    for found in both_ways():
        assert found == [
            "content/test-guide/index.md, line 4: comes after benefits.md ('order' 9 against 2), but the front page "
            "comes first; give index.md the smallest 'order' of the guide (smaller than benefits.md's 2), and "
            "number the other pages after it."
        ]
