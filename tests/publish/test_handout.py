"""The printable handout: the whole guide in order, with its address and QR code, and nothing interactive."""

import re

from django.utils import timezone

from tests.html_checks import Elements
from tests.site_pages import GUIDE_PAGES

HANDOUT = "/botox-jaw-pain/print/"


def test_handout_holds_every_page_in_order_numbered(client):
    """Numbered, so that a reference on paper can say where to look: "(section 3)"."""
    text = client.get(HANDOUT).text
    titles = list(GUIDE_PAGES.values())
    positions = [text.index(f">{number}. {title}</h2>") for number, title in enumerate(titles, start=1)]
    assert positions == sorted(positions)
    assert "<h1>Botox for jaw pain</h1>" in text


def test_handout_has_the_urgent_callout_the_call_to_action_and_review_labels(client):
    text = client.get(HANDOUT).text
    assert '<div class="callout callout--urgent">' in text
    assert "Always talk to a qualified healthcare provider" in text
    assert text.count("Not yet reviewed by a clinician.") == len(GUIDE_PAGES)


def test_handout_prints_the_guide_address_and_its_qr_code(client):
    text = client.get(HANDOUT).text
    assert "Read it online: <strong>https://guide.example.org/botox-jaw-pain/</strong>" in text
    assert '<img src="/botox-jaw-pain/qr.svg" width="112" height="112"' in text


def test_handout_has_no_navigation_share_block_or_buttons_and_is_noindex(client):
    text = client.get(HANDOUT).text
    main = text[text.index("<main") : text.index("</main>")]
    tags = [tag for tag, _ in Elements(main).found]
    assert "nav" not in tags and "button" not in tags
    assert "Share this page" not in main
    assert '<meta name="robots" content="noindex">' in text


def test_handout_section_ids_do_not_clash(client):
    ids = [attrs["id"] for _, attrs in Elements(client.get(HANDOUT).text).found if "id" in attrs]
    assert len(ids) == len(set(ids))
    assert "side-effects-serious" in ids


def test_links_between_pages_stay_inside_the_handout(client):
    text = client.get(HANDOUT).text
    assert '<a href="#how-it-works">How it works</a>' in text


def test_every_sentence_of_every_page_is_in_the_handout(client):
    """The printed guide says what the pages say: nothing left out, nothing reworded."""
    import re

    from articles.checks.readability import sentences

    def words(html):
        return {re.sub(r"\s+", " ", sentence).strip() for sentence in sentences(html)}

    handout = words(client.get(HANDOUT).text)
    for path in GUIDE_PAGES:
        text = client.get(path).text
        prose = text[text.index('<div class="prose" id="page-text">') : text.index('<section class="sources"')]
        missing = words(prose) - handout
        assert not missing, f"{path}: not in the handout: {sorted(missing)[:3]}"


def test_the_summary_takes_whole_elements_even_from_nested_markup():
    from articles.render.fragments import lead_section, urgent_callout

    html = (
        '<div class="section-heading"><h2 id="k">Key</h2></div>'
        '<ul><li>One <div class="callout callout--urgent"><p>Act now.</p><div class="callout callout--info">'
        "<p>Inner.</p></div><p>After the inner callout.</p></div></li></ul>\n<p>Two<br>lines.</p>"
        '<div class="section-heading"><h2 id="n">Next</h2></div><p>Not key.</p>'
    )
    assert lead_section(html).endswith("<p>Two<br>lines.</p>") and "Not key" not in lead_section(html)
    assert urgent_callout(html).endswith("<p>After the inner callout.</p></div>")


def test_a_callout_inside_a_callout_is_reported(guide):
    from articles.render.library import load_library

    guide.page("index", body='!!! urgent "Get help"\n    Call now.\n\n    !!! info "Inner"\n        Inside.\n')
    messages = [str(problem) for problem in load_library(drafts=True).problems]
    assert (
        "content/test-guide/index.md, line 7: has a callout inside another callout; "
        "end the first callout (stop indenting) before starting the next." in messages
    )


def test_the_paper_stylesheet_gives_every_sheet_a_footer_and_every_reference_a_place(client):
    handout = client.get(HANDOUT).text
    assert '<link rel="stylesheet" href="/botox-jaw-pain/print/paper.css" media="print">' in handout
    response = client.get("/botox-jaw-pain/print/paper.css")
    assert response.status_code == 200 and response["Content-Type"] == "text/css; charset=utf-8"
    css = response.text
    assert re.search(r'@bottom-left \{ content: "Botox for jaw pain. Text of \d{1,2} [A-Z][a-z]+ \d{4}";', css)
    assert '"Page " counter(page) " of " counter(pages)' in css
    assert '.handout--guide a[href^="#side-effects-"]::after { content: " (section 6)"; }' in css
    assert (
        'a[href^="/botox-jaw-pain/side-effects/"]::after { content: " (guide.example.org/botox-jaw-pain/side-effects/)"'
        in css
    )


def test_a_title_cannot_break_out_of_the_paper_stylesheet(client, guide):
    (guide.folder / "guide.yaml").write_text('title: Quotes " and } and \\ end\nsummary: S.\naudience: A\nabout: B\n')
    guide.page("index")
    css = client.get("/test-guide/print/paper.css").text
    today = timezone.localdate()
    assert f'content: "Quotes \\22  and \\7d  and \\5c  end. Text of {today.day} {today:%B %Y}"' in css
