"""`manage.py content_report`: readability, review dates and problems, as a table or JSON."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.checks.readability import GRADE_LIMIT, SMOG_LIMIT
from tests.site_pages import GUIDE_PAGES

# Front matter naming one source, so that a test page has no warning it does not test.
# The report reads each page's share of "helpful" from the feedback database.
pytestmark = pytest.mark.django_db

SOURCED = {"sources": '[{title: "A health service page", url: "https://example.org/health"}]'}

HARD = (
    "Notwithstanding considerable interindividual variability, pharmacological interventions "
    "targeting hyperactive masticatory musculature demonstrate substantial therapeutic efficacy.\n"
)


def report(*args):
    """Run the command; return (exit code, what it printed, and the failure message if any)."""
    out = StringIO()
    try:
        call_command("content_report", *args, stdout=out)
    except SystemExit as exit:
        return exit.code, out.getvalue()
    return 0, out.getvalue()


def report_json(*args):
    code, output = report("--format", "json", *args)
    return code, json.loads(output[: output.rindex("}") + 1])


def days_from_today(days):
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_table_lists_each_page_with_its_figures(guide):
    guide.page(
        "index",
        title="Start here",
        body="Botox can help. It eases the jaw.\n",
        next_review_due=days_from_today(30),
        **SOURCED,
    )
    guide.signed_off("index", timezone.localdate())
    code, output = report()
    assert code == 0
    header, row = output.splitlines()[:2]
    assert header.split() == [
        *("Guide", "Page", "Words", "Read", "Grade", "SMOG", "Long", "Clinical", "review", "Signed", "off", "by"),
        *("Next", "review"),
    ]
    assert row.startswith("test-guide  Start here")
    assert " 7 " in row and "1 min" in row
    assert "signed off" in row and f"Dr Ann Example (Dentist), {timezone.localdate().isoformat()}" in row
    assert "(due in 30 days)" in row  # the editor's own date, sooner than a year after sign-off
    assert "No problems found." in output


def test_json_has_every_figure(guide):
    guide.page("index", title="Start here", body="Botox can help. It eases the jaw.\n", **SOURCED)
    code, data = report_json()
    (page,) = data["pages"]
    assert code == 0
    assert page["file"] == "content/test-guide/index.md"
    assert page["title"] == "Start here"
    assert page["words"] == 7
    assert page["reading_minutes"] == 1
    assert page["grade"] < GRADE_LIMIT
    assert 0 < page["smog"] <= SMOG_LIMIT
    assert data["smog_limit"] == SMOG_LIMIT == 9
    assert page["long_sentences"] == 0
    assert page["review_state"] == "unreviewed" and page["reviewer"] is None and page["days_until_review"] is None
    assert data["errors"] == 0 and data["warnings"] == 0


def test_validation_errors_are_listed_and_fail_only_with_strict(guide):
    guide.page("index")
    guide.page("benefits", order=2, next_review_due="2026-13-01")
    assert report("--strict")[0] == 1
    code, output = report()
    assert code == 0
    assert output.rstrip().endswith("2 files, 1 error and 1 warning.")  # index.md lists no sources
    assert (
        "ERROR: content/test-guide/benefits.md, line 5: 'next_review_due' is not a date (got '2026-13-01'); use YYYY-MM-DD."
        in output
    )
    assert "content/test-guide/benefits.md" in output.splitlines()[2]  # its row says it did not load


@pytest.mark.parametrize(
    "body, expected",
    [
        ("[Missing](nowhere.md)", "links to 'nowhere.md', but there is no page nowhere.md"),
        ("[Anchor](other.md#nope)", "links to the section '#nope', which is not on other.md"),
        ("[Here](#nope)", "links to the section '#nope', which is not on this page"),
        ("[Site](/not-a-page/)", "links to '/not-a-page/', which is not a page of this site"),
        ("![A jaw](/static/img/missing.png)", "shows the image '/static/img/missing.png', which does not exist"),
        ("![Escape](/static/../manage.py)", "shows the image '/static/../manage.py', which does not exist"),
    ],
)
def test_links_anchors_and_images_that_do_not_resolve_are_errors(guide, body, expected):
    guide.page("index", body=body + "\n")
    guide.page("other", order=2, body="## Real section\n")
    code, output = report("--strict")
    assert code == 1
    assert expected in output


def test_links_that_resolve_are_fine(guide):
    guide.page(
        "index",
        body="[Other](other.md#real-section) [Home](/) [Self](#top)\n\n## Top\n\n![Icon](/static/img/favicon.svg)\n",
    )
    guide.page("other", order=2, body="## Real section\n")
    code, output = report()
    assert code == 0, output


def test_overdue_review_is_a_warning_that_fails_only_with_strict(guide):
    from articles.content.reviews import add_months

    guide.page("index", next_review_due=None, **SOURCED)
    guide.signed_off("index", add_months(timezone.localdate() - datetime.timedelta(days=3), -12))
    code, output = report()
    assert code == 0
    assert "(OVERDUE by 3 days)" in output
    assert "WARNING: content/test-guide/index.md: review is OVERDUE by 3 days" in output
    code, output = report("--strict")
    assert code == 1
    assert output.rstrip().endswith("1 file, 1 warning.")


def test_a_page_without_sources_is_a_warning_that_fails_only_with_strict(guide):
    guide.page("index", body="Botox can help. It eases the jaw.\n")
    guide.page("other", order=2, body="It wears off.\n", **SOURCED)
    code, output = report()
    assert code == 0
    assert (
        "WARNING: content/test-guide/index.md: lists no sources; add 'sources:' to its front matter, "
        "with the title and url of each page its facts come from." in output
    )
    assert "other.md: lists no sources" not in output
    code, output = report("--strict")
    assert code == 1
    assert output.rstrip().endswith("2 files, 1 warning.")


def test_hard_reading_is_a_warning(guide):
    guide.page("index", body=HARD)
    code, output = report("--strict")
    assert code == 1
    assert "reading grade is" in output and "over the limit of 6" in output


def test_many_long_words_are_a_smog_warning(guide):
    """SMOG counts words of three or more syllables, however short the sentences are."""
    guide.page("index", body=HARD * 3, **SOURCED)
    code, data = report_json("--strict")
    (page,) = data["pages"]
    messages = [problem["message"] for problem in page["problems"]]
    assert code == 1
    assert page["smog"] > SMOG_LIMIT
    assert f"SMOG reading grade is {page['smog']}, over the limit of 9" in messages


def test_plain_words_pass_smog(guide):
    guide.page("index", body="Botox can help. It eases the jaw. Ask your dentist first.\n", **SOURCED)
    code, data = report_json("--strict")
    assert code == 0
    assert 0 < data["pages"][0]["smog"] <= SMOG_LIMIT


def test_a_sentence_over_25_words_is_a_warning(guide):
    long = " ".join(["word"] * 26) + ".\n"
    guide.page("index", body=long)
    code, data = report_json("--strict")
    messages = [problem["message"] for problem in data["pages"][0]["problems"]]
    assert code == 1
    assert any(message.startswith("has a sentence of 26 words (limit 25)") for message in messages)


def test_readability_ignores_markup_and_hidden_text(guide):
    guide.page("index", body="## A heading\n\nShort [words](https://example.org/a-very-long-address).\n")
    code, data = report_json()
    assert data["pages"][0]["words"] == 4  # "A heading." "Short words." — no address, no "Link to the section"


def test_real_content_passes_strict_and_prints_each_grade(settings):
    code, output = report("--strict")
    assert code == 0, output
    for title in GUIDE_PAGES.values():
        (row,) = [line for line in output.splitlines() if line.startswith(f"botox-jaw-pain  {title} ")]
        grade, smog = (float(cell) for cell in row.split()[len(title.split()) + 4 :][:2])
        assert grade <= GRADE_LIMIT == 6
        assert smog <= SMOG_LIMIT == 9
