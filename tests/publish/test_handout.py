"""The printable handout: the whole guide in order, with its address and QR code, and nothing interactive."""

import re

from django.utils import timezone

from tests.html_checks import Elements
from tests.site_pages import GUIDE_PAGES, real_library

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
    assert text.count("Not yet reviewed by a doctor or dentist.") == len(GUIDE_PAGES)


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

    from articles.checks.sentences import sentences

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
    assert '.handout--guide a[href^="#side-effects-"]::after { content: " (section 5)"; }' in css
    assert (
        'a[href^="/botox-jaw-pain/side-effects/"]:not(.has-printed-reference)::after '
        '{ content: " (guide.example.org/botox-jaw-pain/side-effects/)"' in css
    )


def test_a_title_cannot_break_out_of_the_paper_stylesheet(client, guide):
    (guide.folder / "guide.yaml").write_text('title: Quotes " and } and \\ end\nsummary: S.\naudience: A\nabout: B\n')
    guide.page("index")
    css = client.get("/test-guide/print/paper.css").text
    today = timezone.localdate()
    assert f'content: "Quotes \\22  and \\7d  and \\5c  end. Text of {today.day} {today:%B %Y}"' in css


SUMMARY = "/botox-jaw-pain/print/summary/"


def test_the_summary_names_no_publisher_without_a_clinic(client):
    assert "Published by" not in client.get(SUMMARY).text


def test_the_summary_names_the_clinic_as_its_publisher(client, clinic):
    text = client.get(SUMMARY).text
    assert '<p class="handout__publisher">Published by <strong>Riverside Dental Clinic</strong>.</p>' in text


def test_the_summary_lists_the_sources_its_sentences_rest_on_by_short_title(client):
    text = client.get(SUMMARY).text
    line = text[text.index('<p class="handout__sources">Sources:') :]
    line = line[: line.index("</p>")]
    # The key messages rest on the reviews and the FDA label; the short title drops the brackets.
    assert ">De la Torre Canales and others, Drugs, 2024</a>" in line
    assert ">US medicines agency: the official Botox label</a>" in line
    assert "(review of 18 reviews)" not in line
    # A source no sentence of the summary rests on is not listed.
    assert "General Medical Council" not in line


def test_every_page_reference_on_the_summary_can_be_followed_on_paper(client):
    """A link is lost on paper: each page the summary's text names sends the reader, in words, to the
    list "In the guide", which prints that page's address; the text itself prints no address."""
    import re

    text = client.get(SUMMARY).text
    main = text[text.index("<main") : text.index("</main>")]
    assert (
        'The page "<a class="has-printed-reference" href="/botox-jaw-pain/how-it-works/">How it works</a>" '
        '<span class="printed-reference">(see "In the guide" below)</span> tells you more.'
    ) in main
    # Each page of the guide is listed, under "In the guide", with the address to type.
    listed = main[main.index('<h2 id="summary-pages">In the guide</h2>') :]
    addresses = dict(
        re.findall(r'<li><strong>([^<]+)</strong>: <span class="printed-address">([^<]+)</span></li>', listed)
    )
    assert addresses["Benefits"] == "guide.example.org/botox-jaw-pain/benefits"
    assert len(addresses) == 7
    # The messages before the list name pages, and print no address.
    body = main[main.index('<h2 id="summary-key-messages">') : main.index('<h2 id="summary-pages">')]
    before = re.sub(r"<[^>]+>", "", body)
    assert "guide.example.org/botox-jaw-pain" not in before
    references = list(re.finditer(r'(?:[Ss]ee|[Tt]he pages?) "([^"]+)"(.{0,40})', before))
    assert len(references) >= 2
    for reference in references:
        named = reference[1]
        if named == "In the guide":
            continue
        # The page named is on the list, with its address, and the text says where to look.
        assert addresses.get(named, "").startswith("guide.example.org/botox-jaw-pain"), f"{named!r} is not listed"
        assert reference[2].lstrip().startswith('(see "In the guide" below)'), f"no pointer after {reference[0]!r}"


def test_the_summary_shows_the_three_steps_picture_beside_the_key_messages(client):
    text = client.get(SUMMARY).text
    messages = text[text.index('<h2 id="summary-key-messages">') : text.index("</section>")]
    assert '<div class="summary__steps">' in messages
    assert 'src="/static/img/first-steps-summary.svg"' in messages  # the simpler version, for print
    # Its text alternative says what the simpler picture shows (its own title), not the fuller one.
    assert 'alt="What to do about jaw pain, in three steps: try simple things first, talk to a dentist' in messages
    assert "soft food, a wrapped ice" not in messages.split("first-steps-summary")[0].rsplit("<img", 1)[-1]
    assert "Picture: what to do about jaw pain, in three steps." in messages


# Lines that label data (dates, addresses, source titles, the publisher's name): they state no fact.
LABELLED_DATA = (
    "Last reviewed: ",
    "Next review due: ",
    "Read it online: ",
    "The whole guide: ",
    "Sources: ",
    "Published by ",
    "How it is made, and who checks it: ",
    # The review labels, which sign-off makes (tests/publish/test_signoff.py):
    "Not yet reviewed by a doctor or dentist",
    "Reviewed by ",
    "Updated on ",
    "Every page: ",
)


def test_the_handouts_add_no_sentence_that_states_a_fact(client):
    """What the handouts say beyond the pages' own sentences (each with its evidence record) is labels only."""
    from articles.checks.evidence import fold, page_sentences
    from articles.checks.sentences import sentences

    pages = real_library(drafts=False).guides["botox-jaw-pain"].pages
    from_pages = {sentence for page in pages for sentence, _ in page_sentences(page)}
    titles = {page.title for page in pages}
    # The whole guide's numbered list of sources, at its end: each a source's title.
    source_titles = {fold(source.title) for page in pages for source in page.sources}
    labels = {
        "Sources",
        "Back to the guide",
        "Patient information",
        "Botox for jaw pain: a one-page summary",
        "Botox for jaw pain",
        "Key messages",
        "In the guide",
        "Your notes and questions",
        "Your appointment",
        "Call your local emergency number now",  # the site's own emergency advice
        "This summary explains a treatment",
        "This guide explains a treatment",
        "It does not replace advice from a healthcare professional who knows you",
        "What Botox injections can and cannot do for jaw pain from teeth grinding, or from problems with the jaw "
        "joint (temporomandibular joint, TMJ) or chewing muscles: what to try first, side effects, and who to talk to",
        # How to use the summary's tools (PEMAT-P item 25):
        "Questions to ask (tick each one when you have asked it)",
        "Your appointment: (write the date and time)",
    }
    for path in (HANDOUT, SUMMARY):
        text = client.get(path).text
        main = text[text.index("<main") : text.index("</main>")]
        main = re.sub(r'\s*<span class="printed-address">[^<]*</span>', "", main)  # the addresses, checked above
        main = re.sub(r'\s*<span class="printed-reference">[^<]*</span>', "", main)  # pointers to the list, above
        said = {fold(sentence).lstrip(": ") for sentence in sentences(main)}
        # The summary's list of pages: "Benefits: <the page's summary>".
        said = {
            rest if title in titles and rest else sentence
            for sentence in said
            for title, _, rest in [sentence.partition(": ")]
        }
        added = said - from_pages - labels - titles - source_titles
        # Section numbers of the whole-guide handout ("1. Overview") are labels too.
        added = {sentence for sentence in added if not sentence.startswith(LABELLED_DATA) and not sentence.isdigit()}
        assert not added, f"{path} adds {sorted(added)}"


def test_the_summary_says_how_to_use_its_checklist_and_appointment_line(client):
    """A reader of paper is told what to do with the tick boxes and the empty line (PEMAT-P item 25)."""
    text = client.get(SUMMARY).text
    questions = text[text.index('<h2 id="summary-questions">') :]
    questions = questions[: questions.index("</section>")]
    heading = re.sub(r"<[^>]+>", "", questions[: questions.index("</h2>")])
    assert heading.endswith("Questions to ask (tick each one when you have asked it)")
    appointment = re.sub(r"<[^>]+>", "", text[text.index('class="clinic-block__appointment"') :].split("</p>")[0])
    assert "Your appointment:  (write the date and time)" in appointment


def test_the_whole_guide_lists_each_source_once_and_each_section_gives_its_numbers(client):
    """On paper a source that several sections rest on is printed once, at the end; each section
    names its sources by their numbers in that list, smallest first."""
    text = client.get(HANDOUT).text
    listing = text[text.index('<h2 id="handout-sources">Sources</h2>') :]
    listing = listing[: listing.index("</ol>")]
    listed = re.findall(r'<li><a href="([^"]+)"', listing)
    assert len(listed) == len(set(listed)) > 5
    label = "https://dailymed.nlm.nih.gov/dailymed/archives/fdaDrugInfo.cfm?archiveid=15772"
    assert text.count(f'href="{label}"') == 1, "the label, a source of every section, is printed once"
    for page in real_library(drafts=False).guides["botox-jaw-pain"].pages:
        section = text[text.index(f'<h2 id="{page.file_stem}">') :]
        line = re.search(
            r'<p class="handout__sources">Sources?: ([\d, ]+), in the list "Sources" at the end\.</p>', section
        )
        numbers = [int(number) for number in line.group(1).split(", ")]
        assert numbers == sorted(numbers), f"{page.title}: numbers in order, as a reader looks them up"
        assert {listed[number - 1] for number in numbers} == {source.url for source in page.sources}, page.title
        assert len(numbers) == len(page.sources), page.title


def test_the_summary_lists_the_sources_of_the_evidence_log_as_the_page_was_loaded_with_it(guide):
    """The evidence check, the sign-off's fingerprint and the render cache's key all take the log as
    the page loaded with it: a summary made later lists that reading's sources, not the file's now.
    (The whole guide's handout lists every source a page names, whatever its log says.)"""
    from articles.publish import site
    from articles.render.library import load_library

    sources = (
        '[{title: "First source", url: "https://example.org/first"},'
        ' {title: "Second source", url: "https://example.org/second"}]'
    )
    claim = "Botox can ease jaw pain."  # in the first page's first section: the summary's key messages
    path = guide.page("index", f"## Key messages\n\n{claim}\n", evidence=False, sources=sources, summary=claim)

    def log_citing(url):
        path.with_name("index.evidence.yaml").write_text(
            '- sentence: "Key messages"\n  no_claim: heading\n'
            f'- sentence: "{claim}"\n  source: {url}\n  passage: "{claim}"\n  checked: 2026-11-01\n'
        )

    log_citing("https://example.org/first")
    library = load_library(guide.root, drafts=False)
    assert library.problems == ()
    log_citing("https://example.org/second")  # saved while the publish is under way
    summary = site.summary_handout(library, library.guide("test-guide"))
    assert "https://example.org/first" in summary
    assert "https://example.org/second" not in summary


def test_each_handout_says_once_that_it_does_not_replace_advice(client):
    """In its own words on the sheet; the site's footer, which guide pages end with, does not repeat it."""
    for path in (HANDOUT, SUMMARY):
        assert client.get(path).text.count("It does not replace advice") == 1, path
    assert client.get("/botox-jaw-pain/benefits/").text.count("It does not replace advice") == 1
