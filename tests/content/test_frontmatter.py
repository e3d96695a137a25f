"""What an editor is told about each kind of bad front matter."""

import pytest

from articles.content.problems import ContentError
from articles.render.pages import load_page


def problems_for(path):
    with pytest.raises(ContentError) as caught:
        load_page(path)
    return [str(problem) for problem in caught.value.problems]


def test_a_valid_page_loads_with_its_fields(guide):
    page = load_page(guide.page("benefits", title="Benefits", order=3))
    assert page.title == "Benefits"
    assert page.order == 3
    assert str(page.next_review_due) == "2027-01-01"
    assert page.slug == "benefits"
    assert page.review.state == "unreviewed"


def test_bad_date_names_file_line_field_and_format(guide):
    path = guide.page("benefits", next_review_due="2026-13-01")
    assert problems_for(path) == [
        "content/test-guide/benefits.md, line 5: 'next_review_due' is not a date (got '2026-13-01'); use YYYY-MM-DD."
    ]


@pytest.mark.parametrize("field", ["last_reviewed", "reviewed_by"])
def test_a_leftover_hand_typed_review_field_says_what_replaced_it(guide, field):
    path = guide.page("benefits", **{field: "2026-01-01"})
    (found,) = problems_for(path)
    assert found.startswith(f"content/test-guide/benefits.md, line 6: '{field}' is no longer used: ")
    assert "now comes from their sign-off; delete this line;" in found
    assert 'make signoff PAGE=test-guide/benefits BY="Name" ROLE="Role"' in found


def test_missing_field_says_what_to_add(guide):
    path = guide.page("benefits", summary=None)
    assert problems_for(path) == [
        "content/test-guide/benefits.md: 'summary' is missing; "
        "add a line like: summary: One sentence saying what this page covers."
    ]


def test_unknown_field_suggests_the_closest_known_one(guide):
    path = guide.page("benefits", sumary="Typo")
    found = problems_for(path)
    assert "content/test-guide/benefits.md, line 6: unknown field 'sumary'; did you mean 'summary'?" in found


def test_wrong_type_for_a_number(guide):
    found = problems_for(guide.page("benefits", order="three"))
    assert found == ["content/test-guide/benefits.md, line 4: 'order' should be a whole number (got 'three'); e.g. 3."]


def test_yes_no_where_text_is_expected(guide):
    found = problems_for(guide.page("benefits", title="yes"))
    assert found == [
        "content/test-guide/benefits.md, line 2: 'title' should be text, but YAML reads 'yes' as yes/no; "
        'put it in quotes: title: "yes".'
    ]


def test_duplicate_key(guide):
    path = guide.raw(
        "benefits",
        "---\ntitle: One\ntitle: Two\nsummary: s\norder: 1\nnext_review_due: 2027-01-01\n---\nText\n",
    )
    assert problems_for(path) == [
        "content/test-guide/benefits.md, line 3: 'title' appears twice (also on line 2); keep only one of them."
    ]


def test_yaml_alias_is_refused(guide):
    path = guide.raw("benefits", "---\ntitle: &name One\nsummary: *name\n---\nText\n")
    assert problems_for(path) == [
        "content/test-guide/benefits.md, line 2: uses a YAML anchor or alias (& or *); write each value out in full."
    ]


def test_tab_is_refused(guide):
    path = guide.raw("benefits", "---\ntitle: One\n\tsummary: two\n---\nText\n")
    assert problems_for(path) == [
        "content/test-guide/benefits.md, line 3: contains a tab character; indent with spaces, not tabs."
    ]


def test_front_matter_that_is_not_a_mapping(guide):
    path = guide.raw("benefits", "---\n- just\n- a list\n---\nText\n")
    assert problems_for(path) == [
        "content/test-guide/benefits.md, line 2: the front matter is not a list of fields; "
        "write one 'name: value' a line, e.g. 'title: How Botox works'."
    ]


def test_front_matter_that_does_not_parse(guide):
    path = guide.raw("benefits", "---\ntitle: [unclosed\nsummary: s\n---\nText\n")
    (found,) = problems_for(path)
    assert found.startswith("content/test-guide/benefits.md, line 3: the front matter is not valid YAML")
    assert "each field is 'name: value'" in found


def test_missing_front_matter(guide):
    path = guide.raw("benefits", "# Just markdown\n")
    assert problems_for(path) == [
        "content/test-guide/benefits.md, line 1: the file does not start with front matter; "
        "make the first line '---', then the fields (title: ...), then another '---'."
    ]


def test_unclosed_front_matter(guide):
    path = guide.raw("benefits", "---\ntitle: One\n")
    assert problems_for(path) == [
        "content/test-guide/benefits.md, line 1: the front matter is never closed; add a line '---' after the last field."
    ]


def test_sources_need_a_title_and_a_web_address(guide):
    path = guide.raw(
        "benefits",
        "---\ntitle: One\nsummary: s\norder: 1\nnext_review_due: 2027-01-01\n"
        "sources:\n  - title: Label\n    url: javascript:alert(1)\n---\nText\n",
    )
    assert problems_for(path) == [
        "content/test-guide/benefits.md, line 7: a source's url is not a web address (got 'javascript:alert(1)'); "
        "use https://..."
    ]


def test_file_name_must_be_an_address(guide):
    found = problems_for(guide.page("Benefits Page"))
    assert found == [
        "content/test-guide/Benefits Page.md: the file name 'Benefits Page.md' cannot be a page address; "
        "name it in lowercase words joined by hyphens, e.g. how-it-works.md."
    ]


def test_file_that_is_not_utf8(guide):
    path = guide.folder / "benefits.md"
    path.write_bytes(b"---\ntitle: caf\xe9\n---\n")
    (found,) = problems_for(path)
    assert found.startswith("content/test-guide/benefits.md: is not UTF-8 text")


def test_a_source_url_that_cannot_even_be_parsed_is_a_problem(guide):
    path = guide.raw(
        "benefits",
        "---\ntitle: One\nsummary: s\norder: 1\nnext_review_due: 2027-01-01\n"
        "sources:\n  - title: Label\n    url: https://[x]/\n---\nText\n",
    )
    assert problems_for(path) == [
        "content/test-guide/benefits.md, line 7: a source's url is not a web address (got 'https://[x]/'); use https://..."
    ]


SOURCES = (
    "---\ntitle: One\nsummary: s\norder: 1\nnext_review_due: 2027-01-01\nsources:\n"
    "  - title: A review\n    url: https://doi.org/10.1/a\n    kind: research\n"
    "  - title: NHS page\n    url: https://www.nhs.uk/a/\n    kind: health-service\n"
    "  - title: A page of no stated kind\n    url: https://example.org/a/\n"
    "  - title: Another review\n    url: https://doi.org/10.1/b\n    kind: research\n"
    "---\nText\n"
)


def test_a_page_groups_its_sources_by_kind_under_plain_headings_in_a_fixed_order(guide):
    page = load_page(guide.raw("benefits", SOURCES))
    assert [(heading, [source.title for source in sources]) for heading, sources in page.source_groups] == [
        ("Health services and government agencies", ["NHS page"]),
        ("Research reviews", ["A review", "Another review"]),
        ("Other sources", ["A page of no stated kind"]),
    ]
    # Everything else still sees each source's title and address.
    assert [source.url for source in page.sources][:2] == ["https://doi.org/10.1/a", "https://www.nhs.uk/a/"]


def test_sources_all_of_one_kind_are_one_list_without_a_heading(guide):
    text = SOURCES.replace("kind: health-service", "kind: research").replace(
        "stated kind\n", "stated kind\n    kind: research\n"
    )
    page = load_page(guide.raw("benefits", text))
    ((heading, sources),) = page.source_groups
    assert heading == ""
    assert len(sources) == 4


def test_a_source_of_an_unknown_kind_names_the_kinds_and_the_closest_one(guide):
    path = guide.raw("benefits", SOURCES.replace("kind: research\n  - title: NHS", "kind: reserch\n  - title: NHS"))
    assert problems_for(path) == [
        "content/test-guide/benefits.md, line 7: a source's kind should be one of health-service, research, "
        "register, other (got 'reserch'); did you mean 'research'?"
    ]


@pytest.mark.parametrize("kind, got", [("[research]", "a list"), ("{a: 1}", "a mapping")])
def test_a_source_kind_that_is_not_a_word_is_named_not_a_developers_error(guide, kind, got):
    """It was 'could not be loaded (TypeError: unhashable type: 'list'); tell a developer'."""
    path = guide.raw("benefits", SOURCES.replace("kind: research\n  - title: NHS", f"kind: {kind}\n  - title: NHS"))
    (found,) = problems_for(path)
    assert found.startswith("content/test-guide/benefits.md, line 7: a source's kind should be one of health-service")
    assert "tell a developer" not in found


def test_a_page_saved_with_a_byte_order_mark_loads(guide):
    """Windows' Notepad can save UTF-8 with an invisible mark first: the page read '---' as not its first line."""
    path = guide.page("benefits", title="Benefits")
    path.write_bytes("\ufeff".encode() + path.read_bytes())
    assert load_page(path).title == "Benefits"


def test_a_source_with_a_field_it_cannot_have_says_which_it_may_have(guide):
    path = guide.raw("benefits", SOURCES.replace("    kind: health-service\n", "    kinds: health-service\n"))
    (found,) = problems_for(path)
    assert found.startswith(
        "content/test-guide/benefits.md, line 10: each of 'sources' needs a title and a url, and may have a kind; "
    )


def test_a_quote_not_closed_is_named_at_its_own_line(guide):
    """YAML reads on past the line's end and stumbled lines later: 'line 8: ... did not find expected key'."""
    path = guide.page("benefits", title='"Benefits')
    assert problems_for(path) == [
        "content/test-guide/benefits.md, line 2: the front matter has a quote that is not closed on its line; "
        "end the text with the same quote mark it starts with, on the same line."
    ]


def test_a_quote_not_closed_in_an_evidence_log_is_named_at_its_own_line(guide):
    from articles.checks.evidence import check_evidence

    page = load_page(guide.page("benefits", title="Benefits", body="Less pain.\n"))
    log = '- sentence: "Less pain.\n  no_claim: note\n- sentence: "Other"\n  no_claim: note\n'
    problems, _ = check_evidence(page, log)
    assert [(problem.line, problem.message) for problem in problems] == [
        (1, "has a quote that is not closed on its line")
    ]


def test_a_value_with_a_hash_after_a_space_is_refused_not_cut_short(guide):
    """YAML reads ' #...' as a note: 'title: Benefits #1' was published as 'Benefits'."""
    path = guide.page("benefits", title="Benefits #1")
    assert problems_for(path) == [
        "content/test-guide/benefits.md, line 2: 'title' has ' #' in it, after which YAML drops the rest of the "
        'line as a note; put the whole value in quotes, e.g. title: "Benefits #1".'
    ]
    assert load_page(guide.page("benefits", title='"Benefits #1"')).title == "Benefits #1"
