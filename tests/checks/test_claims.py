"""Every sentence of the guide names where it comes from: the evidence logs are complete.

Each page `x.md` has `x.evidence.yaml` beside it (articles/checks/evidence.py).
These tests hold the real content to it, and prove that the check names the
page, the line and the sentence when a log falls out of step with its page.
"""

import re

import pytest
from django.core.management import call_command

from articles.checks.evidence import evidence_path, page_sentences
from articles.publish.publishing import publish
from articles.render.library import load_library
from tests.site_pages import real_library

AUTHORITIES = {
    "doi.org",
    "pmc.ncbi.nlm.nih.gov",
    "uktis.org",
    "www.medicinesinpregnancy.org",
    "nidcr.nih.gov",
    "www.nhs.uk",
    "www.northerncarealliance.nhs.uk",
    "hnyppr.org.uk",
    "dailymed.nlm.nih.gov",
    "www.medicines.org.uk",  # the electronic medicines compendium: UK product information (SmPC) approved by the MHRA
    "www.sciencelearn.org.nz",
    "www.gmc-uk.org",
    "www.gdc-uk.org",
    "www.ncbi.nlm.nih.gov",  # LactMed, the US National Library of Medicine's database on medicines and breastfeeding
}


def real_pages():
    return real_library(drafts=True).guide("botox-jaw-pain").pages


@pytest.mark.parametrize("page", real_pages(), ids=lambda page: page.path.name)
def test_every_page_has_a_complete_evidence_log(page):
    assert evidence_path(page).is_file()
    assert [str(problem) for problem in page.evidence_problems] == []  # as the page loaded, as publishing sees it


@pytest.mark.parametrize("page", real_pages(), ids=lambda page: page.path.name)
def test_every_source_is_a_public_authority(page):
    hosts = {re.match(r"https?://([^/?]+)", source.url)[1] for source in page.sources}
    assert hosts <= AUTHORITIES, hosts - AUTHORITIES


PAGE = """\
Botox starts to work after a few days.

## After {#after}

- do not drive
"""


def test_a_sentence_without_a_record_fails_check_content_naming_page_line_and_sentence(guide, capsys):
    guide.page("index", PAGE)
    path = guide.folder / "index.md"
    path.write_text(path.read_text().replace("after a few days.", "after a few days. It cures jaw pain."))
    with pytest.raises(SystemExit):
        call_command("check_content")
    output = capsys.readouterr()
    text = output.out + output.err
    assert (
        "content/test-guide/index.md, line 7: the sentence 'It cures jaw pain' has no evidence record; "
        "add a record to index.evidence.yaml" in text
    )


def test_an_unrecorded_sentence_is_named_on_its_own_line_when_one_above_begins_the_same_way(guide):
    """Found by the whole sentence first: its first 40 characters are also those of the recorded one above."""
    from articles.checks.site import content_problems
    from articles.render.library import load_library

    recorded = "The page about side effects and what to do lists them all."
    path = guide.page("index", f"{recorded}\n")
    path.write_text(path.read_text() + "\nMore text.\n\nThe page about side effects and what to do lists the risks.\n")
    problems = [str(problem) for problem in content_problems(load_library(drafts=True))]
    assert any(
        problem.startswith("content/test-guide/index.md, line 11: the sentence 'The page about side effects and what")
        and "lists the risks' has no evidence record" in problem
        for problem in problems
    ), problems


def test_an_unrecorded_sentence_over_two_lines_is_named_on_its_first(guide):
    """Not on a later line that holds the same words inside a longer sentence."""
    from articles.checks.site import content_problems
    from articles.render.library import load_library

    path = guide.page("index", "Some text.\n")
    path.write_text(
        path.read_text()
        + "\nBotox can ease jaw pain for some people\nfor a few months.\n\n"
        + "Studies say Botox can ease jaw pain for some people for a few months, not more.\n"
    )
    problems = [str(problem) for problem in content_problems(load_library(drafts=True))]
    assert any(
        problem.startswith("content/test-guide/index.md, line 9: the sentence 'Botox can ease jaw pain for some")
        for problem in problems
    ), problems


def test_a_record_whose_sentence_left_the_page_fails_check_content(guide, capsys):
    guide.page("index", PAGE)
    path = guide.folder / "index.md"
    path.write_text(path.read_text().replace("- do not drive\n", ""))
    with pytest.raises(SystemExit):
        call_command("check_content")
    output = capsys.readouterr()
    text = output.out + output.err
    assert "content/test-guide/index.evidence.yaml, line " in text
    assert "has a record for the sentence 'do not drive', which is no longer on index.md" in text


def test_publish_refuses_a_page_with_a_sentence_without_a_record(guide, capsys):
    guide.page("index", PAGE)
    first = publish().release
    path = guide.folder / "index.md"
    path.write_text(path.read_text() + "\nIt cures jaw pain.\n")
    with pytest.raises(SystemExit):
        call_command("publish")
    err = capsys.readouterr().err
    assert "the sentence 'It cures jaw pain' has no evidence record" in err
    assert f"The site still serves release {first}." in err


def test_a_page_without_a_log_is_reported(guide):
    path = guide.page("index", PAGE, evidence=False)
    problems = [str(problem) for problem in load_problems()]
    assert any("index.md: has no evidence log; create index.evidence.yaml" in problem for problem in problems), problems
    assert path.is_file()


def log(guide, text):
    (guide.folder / "index.evidence.yaml").write_text(text)
    return [str(problem) for problem in load_problems()]


def test_a_claim_without_passage_or_date_or_a_listed_source_is_reported(guide):
    guide.page("index", "Botox starts to work after a few days.\n", evidence=False)
    problems = log(
        guide,
        '- sentence: "What the page is about."\n  no_claim: note\n'
        '- sentence: "Botox starts to work after a few days."\n  source: https://example.org/\n',
    )
    assert any("line 3: the claim 'Botox starts to work after a few days' has no 'passage'" in p for p in problems)
    assert any("line 3: the claim 'Botox starts to work after a few days' has no 'checked'" in p for p in problems)
    assert any("line 3: cites https://example.org/, which is not one of the page's sources" in p for p in problems)


def test_a_malformed_log_names_its_line(guide):
    guide.page("index", "Some text.\n", evidence=False)
    problems = log(guide, '- sentence: "Some text."\n  no_claim: [heading\n')
    assert any("index.evidence.yaml, line 3: is not valid YAML" in p for p in problems), problems


def test_an_anchor_or_alias_in_a_log_is_refused_with_its_line(guide):
    guide.page("index", "Some text.\n", evidence=False)
    record = '- sentence: "What the page is about."\n  no_claim: note\n'
    for third_line in ('- &same sentence: "Some text."\n  no_claim: note\n', "- *same\n"):
        problems = log(guide, record + third_line)
        assert any("index.evidence.yaml, line 3: uses a YAML anchor or alias" in p for p in problems), problems


def test_an_unclosed_quote_is_named_at_the_line_it_opens(guide):
    guide.page("index", "Some text.\n", evidence=False)
    # With or without a character that could start an anchor: the quote's own line, not where YAML tripped.
    for extra, line in (("", 4), ("# Q&A\n", 5)):
        problems = log(guide, f'{extra}- sentence: "a"\n  no_claim: note\nsource: x\n- sentence: "b\n')
        expected = f"index.evidence.yaml, line {line}: has a quote that is not closed on its line"
        assert any(expected in p for p in problems), problems


def test_the_summary_is_checked_too(guide):
    guide.page("index", "Some text.\n", evidence=False)
    problems = log(guide, '- sentence: "Some text."\n  no_claim: note\n')
    assert any("line 3: the sentence 'What the page is about' has no evidence record" in p for p in problems)


def load_problems():
    library = load_library(drafts=True)
    return [problem for page in library.guides["test-guide"].pages for problem in page.evidence_problems]


def test_page_sentences_leave_out_the_clinics_emergency_advice(guide):
    guide.page("index", '!!! urgent "Get help"\n    Call now.\n', evidence=False)
    page = load_library(drafts=True).guides["test-guide"].pages[0]
    assert [sentence for sentence, _ in page_sentences(page)] == ["What the page is about", "Get help", "Call now"]
