"""/about/, "About this information": it says only what site.yaml and the content support."""

import pytest

from tests.conftest import CLINIC
from tests.site_pages import HTML_PAGES

from .test_signoff import publish, sign


def test_the_about_page_without_a_clinic_names_no_publisher(client):
    response = client.get("/about/")
    assert response.status_code == 200
    text = response.text
    assert "<h1>About this information</h1>" in text
    assert "This copy of the site names no publisher." in text
    assert "The publisher has not stated how these guides are paid for." in text
    assert "The publisher has not stated whether it, or anyone who writes or reviews these guides" in text
    assert "tell whoever gave you the address of this site" in text
    assert "No page has been reviewed by a doctor or dentist yet." in text
    assert '<a href="/botox-jaw-pain/">Botox for jaw pain</a>' in text


def test_the_about_page_names_the_clinic_its_funding_conflicts_and_reviewers(guide, client):
    guide.page("index")
    guide.page("benefits", order=2)
    (guide.root / "site.yaml").write_text(
        CLINIC + "funding: Paid for by the clinic alone.\nconflicts_of_interest: The clinic sells this treatment.\n"
    )
    sign("test-guide/benefits")
    assert publish()[0] == 0
    text = client.get("/about/").text
    assert "These guides are published by <strong>Riverside Dental Clinic</strong>, 1 High Street, Riverside." in text
    assert "<p>Paid for by the clinic alone.</p>" in text
    assert "<p>The clinic sells this treatment.</p>" in text
    assert 'tell Riverside Dental Clinic: call <a href="tel:02079460000">020 7946 0000</a>' in text
    assert "<li>Dr Ann O&#x27;Neill (Consultant in oral medicine): 1 page</li>" in text
    assert "has not stated" not in text and "names no publisher" not in text
    assert "For every page, the editors keep a record of each sentence" in text


def test_the_about_page_says_every_page_has_an_evidence_log(guide, client):
    # Publishing refuses a page without a complete evidence log, so a published About page says "every page".
    guide.page("index")
    guide.page("benefits", order=2)
    assert "For every page, the editors keep a record of each sentence" in client.get("/about/").text


@pytest.mark.parametrize("field", ["funding", "conflicts_of_interest"])
def test_funding_and_conflicts_are_checked_like_every_site_field(guide, field):
    from .test_signoff import run

    guide.page("index")
    (guide.root / "site.yaml").write_text(CLINIC + f"{field}: no\n")
    code, out, _ = run("check_content")
    assert code == 1
    assert f"content/site.yaml, line 8: '{field}' should be text, but YAML reads 'no' as yes/no" in out


@pytest.mark.parametrize("path", HTML_PAGES)
def test_every_page_links_to_the_about_page_from_its_footer(client, path):
    text = client.get(path).text
    footer = text[text.index('<footer class="site-footer">') :]
    assert '<a href="/about/">About this information</a>' in footer or (
        path == "/about/" and '<span aria-current="page">About this information</span>' in footer
    )


@pytest.mark.parametrize("path", ["/botox-jaw-pain/print/", "/botox-jaw-pain/print/summary/"])
def test_both_handouts_print_the_about_address(client, path):
    text = client.get(path).text
    assert 'How it is made, and who checks it: <a href="/about/">https://guide.example.org/about/</a>' in text
