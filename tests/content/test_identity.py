"""The clinic's own guide: its name and phone on every page, both handouts, the privacy page and the JSON-LD.

Without content/site.yaml, nothing names a clinic.
"""

import json
import re

from articles.content.addresses import public_paths
from articles.render.library import load_library
from tests.conftest import CLINIC


def html_paths():
    return [path for path in public_paths(load_library(drafts=False)) if path.endswith("/")]


def test_the_clinic_is_named_on_every_page_with_its_phone(client, clinic):
    for path in html_paths():
        text = client.get(path).text
        assert "Riverside Dental Clinic" in text, path
        assert "020 7946 0000" in text, path


def test_the_phone_is_a_link_that_calls(client, clinic):
    text = client.get("/botox-jaw-pain/").text
    assert '<a class="site-header__phone" href="tel:02079460000">Call 020 7946 0000</a>' in text


def test_both_handouts_carry_the_clinic_block(client, clinic):
    for path in ("/botox-jaw-pain/print/", "/botox-jaw-pain/print/summary/"):
        text = client.get(path).text
        block = text[text.index('<div class="clinic-block">') :]
        assert "<strong>Riverside Dental Clinic</strong>" in block
        assert "Phone: <strong>020 7946 0000</strong>" in block
        assert "Your appointment:" in block
        assert "It does not replace advice from a healthcare professional who knows you." in text


def test_the_privacy_page_says_who_we_are_what_is_logged_and_whom_to_ask(client, clinic):
    text = client.get("/privacy/").text
    assert "This site is published by <strong>Riverside Dental Clinic</strong>, 1 High Street, Riverside." in text
    assert "deleted after 30 days" in text
    assert "To ask about your privacy, contact privacy@riverside.example." in text


def test_the_json_ld_names_the_clinic_as_publisher(client, clinic):
    text = client.get("/botox-jaw-pain/benefits/").text
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', text, re.S)[1])
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "Riverside Dental Clinic",
        "telephone": "020 7946 0000",
        "url": "https://riverside.example",
        "address": "1 High Street, Riverside",
    }


def test_link_previews_carry_the_clinics_name(client, clinic):
    text = client.get("/botox-jaw-pain/").text
    assert '<meta property="og:site_name" content="Riverside Dental Clinic">' in text


def test_the_urgent_callout_says_the_clinics_emergency_advice(client, clinic):
    text = client.get("/botox-jaw-pain/side-effects/").text
    callout = text[text.index('<div class="callout callout--urgent">') :]
    assert (
        '<p class="callout__emergency"><strong>In an emergency, call 999 or go to A&amp;E now.</strong></p>' in callout
    )
    assert "callout__call" not in text  # no emergency_phone in site.yaml: no button


def test_the_urgent_callout_calls_the_clinics_emergency_number_with_one_tap(client, own_clinic):
    with (own_clinic / "site.yaml").open("a") as site_yaml:
        site_yaml.write('emergency_phone: "999"\n')
    text = client.get("/botox-jaw-pain/side-effects/").text
    callout = text[text.index('<div class="callout callout--urgent">') :]
    callout = callout[: callout.index("</div>")]
    assert callout.endswith('<p class="callout__call"><a href="tel:999">Call 999</a></p>')
    assert client.refused == []


def test_without_site_yaml_nothing_names_a_clinic(client):
    for path in html_paths():
        text = client.get(path).text
        assert "Published by" not in text and 'href="tel:' not in text, path
    privacy = client.get("/privacy/").text
    assert "This copy of the site does not name it" in privacy
    side_effects = client.get("/botox-jaw-pain/side-effects/").text
    assert '<p class="callout__emergency"><strong>Call your local emergency number now.</strong></p>' in side_effects
    assert "publisher" not in side_effects


def test_a_mistake_in_site_yaml_is_named_like_any_content_mistake(guide):
    guide.page("index")
    (guide.root / "site.yaml").write_text("organisation: Riverside\nphone: 020\n")
    messages = [str(problem) for problem in load_library(drafts=True).problems]
    assert (
        "content/site.yaml: 'emergency_advice' is missing; add a line like: emergency_advice: In an emergency, call 999 or go to A&E."
        in messages
    )
    assert "content/site.yaml, line 2: 'phone' should be text (got '20'); write it after the colon." not in messages


def test_a_logo_is_reduced_to_plain_drawing(guide, client):
    guide.page("index")
    (guide.root / "site.yaml").write_text(CLINIC + "logo: logo.svg\n")
    (guide.root / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" onload="alert(1)">'
        '<script>alert(2)</script><a href="javascript:alert(3)"><rect width="10" height="10" fill="teal"/></a>'
        '<circle cx="5" cy="5" r="3" style="fill:url(https://evil.example/x)"/></svg>'
    )
    text = client.get("/test-guide/").text
    logo = text[text.index('<span class="site-logo">') : text.index("</span>", text.index('<span class="site-logo">'))]
    assert "<circle" in logo and 'cx="5"' in logo
    for hostile in ("onload", "script", "alert", "javascript", "evil.example", "style"):
        assert hostile not in logo


def test_a_logo_may_not_reference_anything_outside_itself(guide, client):
    guide.page("index")
    (guide.root / "site.yaml").write_text(CLINIC + "logo: logo.svg\n")
    (guide.root / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(https://evil.example/p.svg#g)" width="1"/>'
        '<text fill="url(//evil.example/x#y)">R</text><circle fill="url(#own)" r="2"/></svg>'
    )
    text = client.get("/test-guide/").text
    assert "evil.example" not in text
    assert '<circle fill="url(#own)" r="2" />' in text


def test_hostile_site_files_are_refused_with_a_message_not_a_traceback(guide):
    guide.page("index")
    (guide.root / "site.yaml").write_text(CLINIC + "logo: logo.svg\n")
    (guide.root / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg">' + "<g>" * 3000 + "</g>" * 3000 + "</svg>"
    )
    messages = [str(problem) for problem in load_library(drafts=True).problems]
    assert messages == [
        "content/logo.svg: cannot be used as a logo (it nests shapes more than 32 deep); save it as a plain SVG drawing."
    ]
    (guide.root / "site.yaml").write_text("organisation: " + "[" * 900 + "]" * 900 + "\n")
    messages = [str(problem) for problem in load_library(drafts=True).problems]
    assert len(messages) == 1 and messages[0].startswith("content/site.yaml: ")


def test_a_title_must_be_a_line_not_a_page(guide):
    guide.page("index", title="W" * 30_000)
    messages = [str(problem) for problem in load_library(drafts=True).problems]
    assert (
        "content/test-guide/index.md, line 2: 'title' is 30000 characters long; keep it under 300: one sentence."
        in messages
    )


def test_a_preview_picture_of_an_overlong_text_is_drawn_at_once():
    from articles.publish.cards import share_card

    assert share_card("W" * 30_000, "x " * 10_000, "Clinic")[:8] == b"\x89PNG\r\n\x1a\n"
