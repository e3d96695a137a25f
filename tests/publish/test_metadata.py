"""Link previews and structured data: what a chat app or a search engine reads from a page."""

import io
import json

import pytest

from tests.html_checks import Elements

PAGES = {
    "/botox-jaw-pain/": "OverviewHealthAspect",
    "/botox-jaw-pain/how-it-works/": "HowItWorksHealthAspect",
    "/botox-jaw-pain/is-it-right-for-me/": "SafetyHealthAspect",
    "/botox-jaw-pain/benefits/": "BenefitsHealthAspect",
    "/botox-jaw-pain/how-long-it-lasts/": "UsageOrScheduleHealthAspect",
    "/botox-jaw-pain/side-effects/": "SideEffectsHealthAspect",
    "/botox-jaw-pain/talk-to-a-professional/": "SeeDoctorHealthAspect",
}


def head(response):
    found = Elements(response.text).found
    meta = {attrs.get("property") or attrs.get("name"): attrs.get("content") for tag, attrs in found if tag == "meta"}
    links = {attrs["rel"]: attrs["href"] for tag, attrs in found if tag == "link"}
    return meta, links


def json_ld(response):
    start = response.text.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
    return json.loads(response.text[start : response.text.index("</script>", start)])


@pytest.mark.parametrize("path", PAGES)
def test_link_preview_tags(client, path):
    response = client.get(path, HTTP_HOST="localhost")
    meta, links = head(response)
    url = "https://guide.example.org" + path
    assert links["canonical"] == url
    assert meta["og:url"] == url
    assert meta["og:title"] and meta["og:title"] == meta["twitter:title"]
    assert meta["description"] == meta["og:description"] == meta["twitter:description"]
    assert len(meta["description"]) > 40
    assert meta["og:image"] == "https://guide.example.org/botox-jaw-pain/card.png"
    assert meta["og:image"] == meta["twitter:image"]
    assert meta["twitter:card"] == "summary_large_image"


def picture(client, path):
    from PIL import Image

    response = client.get(path)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (1200, 630)
    return response.content


def test_the_home_page_has_its_own_preview_picture(client):
    meta, _ = head(client.get("/"))
    assert meta["og:image"] == "https://guide.example.org/card.png"
    assert meta["og:image:alt"] == "Patient guides: Plain-language guides for patients."
    assert picture(client, "/card.png") != picture(client, "/botox-jaw-pain/card.png")


def test_each_guide_has_its_own_preview_picture_and_words(client, guide):
    from tests.conftest import Guide

    guide.page("index")
    other = Guide(guide.root, slug="second-guide")
    (other.folder / "guide.yaml").write_text(
        "title: Second guide\nsummary: Another guide entirely.\naudience: Testers\nabout: Testing\n"
    )
    other.page("index")
    first, second = head(client.get("/test-guide/"))[0], head(client.get("/second-guide/"))[0]
    assert first["og:image"].endswith("/test-guide/card.png") and second["og:image"].endswith("/second-guide/card.png")
    assert second["og:image:alt"] == "Second guide: Another guide entirely."
    assert picture(client, "/test-guide/card.png") != picture(client, "/second-guide/card.png")


@pytest.mark.parametrize("path, aspect", PAGES.items())
def test_json_ld_describes_a_medical_web_page(client, path, aspect):
    data = json_ld(client.get(path))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "MedicalWebPage"
    assert data["url"] == "https://guide.example.org" + path
    assert "lastReviewed" not in data and "reviewedBy" not in data  # no clinician has signed the real content off
    assert data["about"] == [
        {"@type": "MedicalCondition", "name": "Temporomandibular joint (TMJ) disorder"},
        {"@type": "MedicalCondition", "name": "Bruxism (teeth grinding)"},
    ]
    assert data["audience"] == {"@type": "MedicalAudience", "audienceType": "Patient"}
    assert data["hasHealthAspect"] == f"https://schema.org/{aspect}"


def test_json_ld_cannot_break_out_of_its_script(client, guide):
    guide.page("index", title="'</script><script>alert(1)</script>'")
    text = client.get("/test-guide/").text
    assert "</script><script>alert(1)" not in text
    assert "\\u003C/script\\u003E" in text
